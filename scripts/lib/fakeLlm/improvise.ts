/**
 * The stand-in model's generic behaviour (no script): one answer decided from the tools offered and the
 * conversation so far, so each AI example runs from the editor without a real model.
 *
 * Each offered tool gets a role from its name (or, when the name says nothing, its description):
 * `read` (read/get/list/fetch/search), `approval` (approve/ask/review/confirm) or `post` (post/send/announce/
 * publish). The model calls each role's tool once, in the order read → approval → post, with arguments built
 * from the tool's parameter schema (a `channel…` parameter gets a channel, any other string the text):
 *   - read: the first #channel the user's message names (default general);
 *   - approval: the draft (below); an answer without `"approved": true` ends the run: nothing is posted;
 *   - post: a summary of what was read, or else the draft, to the next #channel named (default random).
 * Then it answers with what it did. With no tools it answers with the draft: the text after the first ":"
 * of the user's message, as an announcement ("Heads-up: the office is closed next Friday.").
 */

export interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
	tool_call_id?: string;
	name?: string;
}

export interface ChatRequest {
	model?: string;
	stream?: boolean;
	messages: ChatMessage[];
	tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
	[key: string]: unknown;
}

/** The model's answer: text, or one tool call. */
export interface ModelReply {
	content: string | null;
	toolCall?: { name: string; args: Record<string, unknown> };
}

type Role = 'read' | 'approval' | 'post';

/** Said in every final answer, so nobody takes the stand-in for a model. */
export const STAND_IN_NOTE = '(Answered by the scripted local stand-in, not a real model.)';

const ORDER: Role[] = ['read', 'approval', 'post'];
/** Matched word by word, approval first: "Ask_for_Approval" is an approval even if its description says "post". */
const ROLE_WORDS: Array<[Role, RegExp]> = [
	['approval', /^(approv\w*|ask|review|confirm\w*)$/i],
	['read', /^(read|get|list|fetch|search|history)$/i],
	['post', /^(post|send|announce\w*|publish|write|reply)$/i],
];

const words = (text: string): string[] => text.split(/[^A-Za-z]+|(?<=[a-z])(?=[A-Z])/).filter(Boolean);

function roleOf(text: string): Role | undefined {
	const ws = words(text);
	return ROLE_WORDS.find(([, pattern]) => ws.some((w) => pattern.test(w)))?.[0];
}

const textOf = (content: unknown): string =>
	typeof content === 'string'
		? content
		: Array.isArray(content)
			? content.map((part) => (typeof part === 'string' ? part : String((part as { text?: unknown }).text ?? ''))).join('')
			: JSON.stringify(content ?? '');

/** The draft announcement for a request like "Draft …: the office is closed next Friday. Answer with …". */
export function draftFrom(prompt: string): string {
	const afterColon = prompt.includes(':') ? prompt.slice(prompt.indexOf(':') + 1) : prompt;
	const subject = afterColon.trim().split(/(?<=[.!?])\s/)[0].replace(/[.!?]+$/, '').trim();
	return `Heads-up: ${subject || 'an announcement for the team'}.`;
}

/** One line about what a read tool returned (n8n hands back the items as a JSON array, newest first). */
export function summaryOf(channel: string, result: string): string {
	let items: unknown;
	try {
		items = JSON.parse(result);
	} catch {
		items = undefined;
	}
	if (!Array.isArray(items)) return `Summary of #${channel}: could not read it (${result.replace(/\s+/g, ' ').slice(0, 120)})`;
	const latest = (items[0] as { text?: unknown } | undefined)?.text;
	return `Summary of #${channel}: ${items.length} messages, latest: "${typeof latest === 'string' ? latest.replace(/\s+/g, ' ') : '?'}"`;
}

interface Call {
	id?: string;
	name: string;
	role?: Role;
	args: Record<string, unknown>;
	result?: string;
}

/** The tool calls the conversation already holds, each with its result. */
function callsSoFar(messages: ChatMessage[], roles: Map<string, Role>): Call[] {
	const calls: Call[] = [];
	for (const m of messages) {
		if (m.role === 'assistant') {
			for (const c of m.tool_calls ?? []) {
				let args: Record<string, unknown> = {};
				try {
					args = JSON.parse(c.function?.arguments ?? '{}') as Record<string, unknown>;
				} catch {
					/* kept empty */
				}
				const name = c.function?.name ?? '';
				calls.push({ id: c.id, name, role: roles.get(name), args });
			}
		} else if (m.role === 'tool') {
			const call = calls.find((c) => c.id !== undefined && c.id === m.tool_call_id) ?? calls.find((c) => c.result === undefined);
			if (call) call.result = textOf(m.content);
		}
	}
	return calls;
}

const approved = (result: string | undefined): boolean => /"approved"\s*:\s*true/.test(result ?? '');

/** The answer to one Chat Completions request. */
export function improvise(req: ChatRequest): ModelReply {
	const prompt = textOf([...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '');
	const draft = draftFrom(prompt);
	const tools = (req.tools ?? []).map((t) => ({ ...t.function, role: roleOf(t.function.name) ?? roleOf(t.function.description ?? '') }));
	if (!tools.some((t) => t.role)) return { content: draft };

	const calls = callsSoFar(req.messages, new Map(tools.filter((t) => t.role).map((t) => [t.name, t.role as Role])));
	const asked = calls.find((c) => c.role === 'approval');
	if (asked && asked.result !== undefined && !approved(asked.result)) {
		return { content: `Nothing posted: the draft was not approved. ${STAND_IN_NOTE}` };
	}

	const channels = [...prompt.matchAll(/#([\w-]+)/g)].map((m) => m[1]);
	const readChannel = channels[0] ?? 'general';
	const hasRead = tools.some((t) => t.role === 'read');
	const postChannel = hasRead ? (channels.find((c) => c !== readChannel) ?? 'random') : (channels[0] ?? 'general');
	const read = calls.find((c) => c.role === 'read' && c.result !== undefined);
	const text = read ? summaryOf(String(read.args.channel ?? readChannel), read.result ?? '') : draft;

	for (const role of ORDER) {
		const tool = tools.find((t) => t.role === role);
		if (!tool || calls.some((c) => c.name === tool.name)) continue;
		const properties = (tool.parameters as { properties?: Record<string, { type?: string }> } | undefined)?.properties ?? {};
		const args: Record<string, unknown> = {};
		for (const [key, schema] of Object.entries(properties)) {
			if (/channel/i.test(key)) args[key] = role === 'read' ? readChannel : postChannel;
			else if (!schema.type || schema.type === 'string') args[key] = text;
		}
		return { content: null, toolCall: { name: tool.name, args } };
	}

	const did = calls.map((c) => {
		const where = typeof c.args.channel === 'string' ? ` #${c.args.channel}` : '';
		if (c.role === 'read') return `read${where}`;
		if (c.role === 'approval') return `asked for approval in Pumble (${approved(c.result) ? 'approved' : 'no approval'})`;
		if (c.role === 'post') return where ? `posted to${where}` : `posted with ${c.name}`;
		return `called ${c.name}`;
	});
	return { content: `Done: ${did.join(', ')}. ${STAND_IN_NOTE}` };
}
