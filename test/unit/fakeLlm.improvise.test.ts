/**
 * The model stand-in's generic behaviour (scripts/lib/fakeLlm/improvise.ts), conversation by conversation,
 * with the tools and prompts of the AI examples as n8n's agent sends them. The e2e tests run the same
 * behaviour inside a real n8n (examples.test.ts, sendAndWait.test.ts).
 */
import { improvise, STAND_IN_NOTE, type ChatRequest } from '../../scripts/lib/fakeLlm';

type Tool = NonNullable<ChatRequest['tools']>[number];
const tool = (name: string, description: string, props: string[]): Tool => ({
	type: 'function',
	function: { name, description, parameters: { type: 'object', properties: Object.fromEntries(props.map((p) => [p, { type: 'string' }])) } },
});
const READ = tool('Read_Channel', 'Read the latest messages of a Pumble channel.', ['channel']);
const POST = tool('Post_Message', 'Post a message to a Pumble channel.', ['channel', 'text']);
const ASK = tool('Ask_for_Approval', 'Ask a person in Pumble to approve an announcement draft.', ['draft']);
const ANNOUNCE = tool('Post_Announcement', 'Post an approved announcement to #general.', ['text']);

const SUMMARY_PROMPT = 'Read the latest messages in #general and post a one-line summary of them to #random.';
const APPROVAL_PROMPT =
	'Draft a short, friendly announcement for the team: the office is closed next Friday for maintenance. Ask for approval in Pumble, and post it to #general only if it is approved.';
const DRAFT = 'Heads-up: the office is closed next Friday for maintenance.';

/** A conversation: the prompt, then each earlier tool call with its result. */
function request(prompt: string, tools: Tool[], turns: Array<{ name: string; args: Record<string, unknown>; result: string }> = []): ChatRequest {
	const messages: ChatRequest['messages'] = [
		{ role: 'system', content: 'You are a helpful assistant.' },
		{ role: 'user', content: prompt },
	];
	turns.forEach((t, i) => {
		messages.push({ role: 'assistant', content: '', tool_calls: [{ id: `call_${i}`, function: { name: t.name, arguments: JSON.stringify(t.args) } }] });
		messages.push({ role: 'tool', tool_call_id: `call_${i}`, content: t.result });
	});
	return { model: 'gpt-4o-mini', messages, tools };
}

describe('the stand-in model without a script', () => {
	it('without tools: answers with a draft of the announcement the prompt asks for', () => {
		const prompt = 'Draft a short, friendly announcement for the team: the office is closed next Friday for maintenance. Answer with the announcement text only.';
		expect(improvise(request(prompt, []))).toEqual({ content: DRAFT });
	});

	it('read and post tools: reads the first channel named, posts a summary of it to the next, then says what it did', () => {
		expect(improvise(request(SUMMARY_PROMPT, [READ, POST]))).toEqual({ content: null, toolCall: { name: 'Read_Channel', args: { channel: 'general' } } });
		const read = { name: 'Read_Channel', args: { channel: 'general' }, result: JSON.stringify([{ text: 'Lunch at noon' }, { text: 'older' }]) };
		expect(improvise(request(SUMMARY_PROMPT, [READ, POST], [read]))).toEqual({
			content: null,
			toolCall: { name: 'Post_Message', args: { channel: 'random', text: 'Summary of #general: 2 messages, latest: "Lunch at noon"' } },
		});
		const post = { name: 'Post_Message', args: { channel: 'random', text: '…' }, result: '[{"id":"m1"}]' };
		expect(improvise(request(SUMMARY_PROMPT, [READ, POST], [read, post]))).toEqual({ content: `Done: read #general, posted to #random. ${STAND_IN_NOTE}` });
	});

	it('an approval tool (named so, whatever its description) is called with the draft before posting; posting follows only "approved": true', () => {
		expect(improvise(request(APPROVAL_PROMPT, [ASK, ANNOUNCE]))).toEqual({ content: null, toolCall: { name: 'Ask_for_Approval', args: { draft: DRAFT } } });
		const asked = (approved: boolean) => ({ name: 'Ask_for_Approval', args: { draft: DRAFT }, result: JSON.stringify([{ data: { approved } }]) });
		expect(improvise(request(APPROVAL_PROMPT, [ASK, ANNOUNCE], [asked(true)]))).toEqual({
			content: null,
			toolCall: { name: 'Post_Announcement', args: { text: DRAFT } },
		});
		expect(improvise(request(APPROVAL_PROMPT, [ASK, ANNOUNCE], [asked(false)]))).toEqual({ content: `Nothing posted: the draft was not approved. ${STAND_IN_NOTE}` });
		// the wait limit passed: the tool result has no approval
		const expired = { ...asked(true), result: '[{}]' };
		expect(improvise(request(APPROVAL_PROMPT, [ASK, ANNOUNCE], [expired])).toolCall).toBeUndefined();
		const post = { name: 'Post_Announcement', args: { text: DRAFT }, result: '[{"id":"m2"}]' };
		expect(improvise(request(APPROVAL_PROMPT, [ASK, ANNOUNCE], [asked(true), post]))).toEqual({
			content: `Done: asked for approval in Pumble (approved), posted with Post_Announcement. ${STAND_IN_NOTE}`,
		});
	});
});
