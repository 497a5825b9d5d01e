/**
 * Message → Send and Wait for Response inside a real n8n (`n8n start`), installed from the packed tarball as
 * a community package, against the in-process sandbox. A workflow (Manual Trigger → "Ask" → "Answer") is
 * run the way the editor runs it; the test reads the request from the sandbox and follows its links over
 * HTTP like a person's browser: the execution resumes with approved: true, with approved: false through the
 * decline link, with a free-text answer through the form, and on its own at the wait limit. The message is
 * edited each time. A replayed link changes nothing; a forged or altered one is refused by n8n.
 *
 * First run on a fresh machine installs n8n into ~/.cache/n8n-nodes-pumble (≈ 6 min).
 * PUMBLE_E2E_N8N_LOG=<file> writes n8n's own output there at the end (for debugging a failure).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	cleanupAll,
	PROJECT_ROOT,
	startN8nSession,
	type N8nRest,
	type N8nSession,
	type RunData,
	type RunningN8n,
	type WorkflowInput,
} from '../../scripts/lib/n8n';
import { PUMBLE_CREDENTIALS, PUMBLE_NODE_TYPE, sandboxCredential } from '../../scripts/lib/workflows';
import { standInOpenAiCredential, STAND_IN_NOTE, startFakeLlm, type FakeLlm, type FakeLlmStep } from '../../scripts/lib/fakeLlm';

const SETUP_TIMEOUT = 20 * 60_000;
const OWNER = { email: 'owner@example.com', password: 'E2e-wait-Passw0rd', firstName: 'E2E', lastName: 'Owner' };
const ASK = 'Ask';
const ASK_NODE_ID = '00000000-0000-4000-8000-0000000000b2';

let sandbox: Sandbox;
let session: N8nSession | undefined;
let n8n: RunningN8n;
let rest: N8nRest;
/** npm start's stand-in chat model (its generic behaviour), behind the examples' "OpenAI account" credential. */
let llm: FakeLlm;
/** The chat model of the agent that uses Send and Wait as a tool (a script of steps, below). */
let agentLlm: FakeLlm;

const EXAMPLE = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'approval-announcement.workflow.json'), 'utf8')) as WorkflowInput;
/** What the stand-in drafts for the examples' request ("… for the team: the office is closed next Friday for maintenance. …"). */
const DRAFT = 'Heads-up: the office is closed next Friday for maintenance.';

function workflow(id: string, ask: Record<string, unknown>): WorkflowInput {
	return {
		id,
		name: `E2E send and wait ${id}`,
		nodes: [
			{ id: '00000000-0000-4000-8000-0000000000b1', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: ASK_NODE_ID,
				name: ASK,
				type: PUMBLE_NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'message', operation: 'sendAndWait', select: 'channel', channel: { __rl: true, mode: 'id', value: sandbox.ids.general }, ...ask },
				credentials: PUMBLE_CREDENTIALS,
			},
			{ id: '00000000-0000-4000-8000-0000000000b3', name: 'Answer', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0], parameters: {} },
		],
		connections: {
			'Manual Trigger': { main: [[{ node: ASK, type: 'main', index: 0 }]] },
			[ASK]: { main: [[{ node: 'Answer', type: 'main', index: 0 }]] },
		},
	};
}

const WORKFLOWS = {
	approval: () =>
		workflow('e2eWaitApproval1', {
			message: 'Publish the release notes?',
			responseType: 'approval',
			approvalOptions: { values: { approvalType: 'double', approveLabel: 'Approve', disapproveLabel: 'Decline' } },
		}),
	freeText: () => workflow('e2eWaitFreeText1', { message: 'What should the release be called?', responseType: 'freeText' }),
	expiry: () =>
		workflow('e2eWaitExpiry1', {
			message: 'Quick decision?',
			responseType: 'approval',
			options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' } } },
		}),
};

/**
 * examples/approval-agent-tool.workflow.json: an AI agent with two Pumble tools, "Ask for Approval" (Send
 * and Wait, the draft from the model through `$fromAI`) and "Post Announcement" (Send). Its chat model
 * (agentLlm, a script of steps) drafts, asks, posts only when the tool result says approved, then answers.
 * The file names the OpenAI credential users pick; in this copy (its own id) it points at agentLlm. The file
 * itself, unchanged, runs too, as in `npm start`: with npm start's stand-in behind "OpenAI account".
 */
const START_AGENT_EXAMPLE = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'approval-agent-tool.workflow.json'), 'utf8')) as WorkflowInput;
const AGENT_CREDENTIAL = { id: 'openAiAgentTool01', name: 'OpenAI (agent tool)' };
const AGENT_EXAMPLE = ((wf: WorkflowInput): WorkflowInput => {
	const nodes = (wf.nodes as Array<{ type: string; credentials?: unknown }>).map((n) =>
		n.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi' ? { ...n, credentials: { openAiApi: AGENT_CREDENTIAL } } : n,
	);
	return { ...wf, id: 'e2eApprovalAgentScr', name: `${wf.name} (scripted model)`, nodes };
})(START_AGENT_EXAMPLE);
const AGENT = {
	askNode: 'Ask for Approval',
	postNode: 'Post Announcement',
	agentNode: 'AI Agent',
	approvedAnswer: 'Posted the approved announcement to #general.',
	declinedAnswer: 'The draft was declined, so nothing was posted.',
};
const TOOL_TYPE = `${PUMBLE_NODE_TYPE}Tool`;
const AGENT_ASK_ID = (AGENT_EXAMPLE.nodes as Array<{ id: string; name: string }>).find((n) => n.name === AGENT.askNode)!.id;
/** The draft the model proposes in the current test (each test its own, so their posts are told apart). */
let agentDraft = '';
/** The request's text, as the tool's message parameter builds it from the draft. */
const requestFor = (draft: string) => `**Announcement draft** for #general, please review:\n\n${draft}`;
const APPROVED_RESULT = /"approved":\s*true/;
const AGENT_STEPS: FakeLlmStep[] = [
	() => ({ call: /approval/i, args: { draft: agentDraft } }),
	([verdict]) => (APPROVED_RESULT.test(verdict) ? { call: /post/i, args: { text: agentDraft } } : { answer: AGENT.declinedAnswer }),
	() => ({ answer: AGENT.approvedAnswer }),
];

interface Execution {
	status: string;
	/** The "Ask" node's last run output (while waiting: the waiting output; after: the answer). */
	ask: Array<Record<string, unknown>>;
	runData: RunData;
}

/** The items of a node's runs on one connection type (`main`, or `ai_tool` for a tool an agent called). */
const outputsOf = (runData: RunData, node: string, type = 'main') => (runData[node] ?? []).map((run) => run.data?.[type]?.[0]?.map((item) => item.json) ?? []);

async function execution(id: string): Promise<Execution> {
	const found = await rest.execution(id);
	const runData = found.data?.resultData?.runData ?? {};
	return { status: found.status, ask: outputsOf(runData, ASK).at(-1) ?? [], runData };
}

async function until(id: string, wanted: (e: Execution) => boolean, timeoutMs = 150_000): Promise<Execution> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		// a reused keep-alive connection the server has just closed fails with ECONNRESET: a GET is asked again
		const current = await execution(id).catch((error: Error & { cause?: { code?: string } }) => {
			if (error.cause?.code !== 'ECONNRESET') throw error;
			return undefined;
		});
		if (current && wanted(current)) return current;
		// a finished execution does not change any more: say so now rather than at the deadline
		if (current && ['success', 'error', 'crashed', 'canceled'].includes(current.status)) throw new Error(`execution ${id} ended with status ${current.status}`);
		if (Date.now() > deadline) throw new Error(`execution ${id} never got there (status ${current?.status})`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** Runs a workflow as the editor does; resolves once it waits, with the request the sandbox received. */
async function ask(wf: WorkflowInput, nodeId = ASK_NODE_ID): Promise<{ executionId: string; messageId: string; links: string[] }> {
	const stored = await rest.call<Record<string, unknown>>('GET', `/workflows/${wf.id}`);
	const { executionId } = await rest.call<{ executionId: string }>('POST', `/workflows/${wf.id}/run`, { workflowData: stored, triggerToStartFrom: { name: 'Manual Trigger' } });
	await until(executionId, (e) => e.status === 'waiting');
	const message = sandbox.state.messages.find((m) => m.text.includes(`/webhook-waiting/${executionId}/${nodeId}`));
	if (!message) throw new Error(`no request for execution ${executionId} in the sandbox`);
	return { executionId, messageId: message.id, links: message.text.match(/https?:\/\/\S+/g) ?? [] };
}

/** A person's browser following a link: the request goes to the link's own host name (it is signed). */
function follow(url: string, method: 'GET' | 'POST' = 'GET', form?: Record<string, string>): Promise<{ status: number; html: string }> {
	const target = new URL(url);
	const body = form ? new URLSearchParams(form).toString() : '';
	return new Promise((resolve, reject) => {
		const request = http.request(
			{
				host: '127.0.0.1',
				port: target.port,
				path: target.pathname + target.search,
				method,
				headers: {
					host: target.host,
					'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) e2e',
					...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
				},
			},
			(response) => {
				let html = '';
				response.setEncoding('utf8').on('data', (chunk: string) => (html += chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, html }));
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

const messageText = (id: string) => sandbox.state.messages.find((m) => m.id === id)?.text ?? '';
const withParam = (url: string, name: string, value: string) => {
	const changed = new URL(url);
	changed.searchParams.set(name, value);
	return changed.toString();
};

beforeAll(async () => {
	sandbox = await startSandbox();
	llm = await startFakeLlm();
	agentLlm = await startFakeLlm({ steps: AGENT_STEPS });
	session = await startN8nSession(
		[sandboxCredential(sandbox.apiKey, sandbox.url), standInOpenAiCredential(llm.url), standInOpenAiCredential(agentLlm.url, AGENT_CREDENTIAL)],
		[...Object.values(WORKFLOWS).map((build) => build()), EXAMPLE, AGENT_EXAMPLE, START_AGENT_EXAMPLE],
		{ owner: OWNER },
	);
	({ n8n, rest } = session);
}, SETUP_TIMEOUT);

afterAll(async () => {
	if (process.env.PUMBLE_E2E_N8N_LOG) fs.writeFileSync(process.env.PUMBLE_E2E_N8N_LOG, n8n?.output() ?? '');
	await session?.stop();
	await llm?.close();
	await agentLlm?.close();
	await sandbox?.close();
	await cleanupAll();
}, 60_000);

describe('Send and Wait for Response inside a real n8n', () => {
	it('approve: opening the link asks for confirmation; confirming resumes with approved: true and edits the message; a replay changes nothing', async () => {
		const { executionId, messageId, links } = await ask(WORKFLOWS.approval());
		expect(links).toHaveLength(2);
		const [approve] = links;
		expect(new URL(approve).searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
		expect((await execution(executionId)).ask).toEqual([{ status: 'waiting', messageId, channelId: sandbox.ids.general, waitingUntil: null }]);

		const opened = await follow(approve);
		expect(opened.status).toBe(200);
		expect(opened.html).toContain('<form method="post"');
		expect((await execution(executionId)).status).toBe('waiting');

		const confirmed = await follow(approve, 'POST');
		expect(confirmed.status).toBe(200);
		expect(confirmed.html).toContain('✅ Approved');
		const done = await until(executionId, (e) => e.status === 'success');
		expect(done.ask).toEqual([{ data: { approved: true } }]);
		const answered = messageText(messageId);
		// the time is in the workflow's time zone (n8n's default here)
		expect(answered).toMatch(/^Publish the release notes\?\n\n✅ Approved · \d{1,2} \w{3} \d{4}, \d{2}:\d{2} \S+$/);

		const replay = await follow(approve, 'POST');
		expect(replay.html).toContain('No action required');
		expect((await execution(executionId)).ask).toEqual([{ data: { approved: true } }]);
		expect(messageText(messageId)).toBe(answered);
	}, 300_000);

	it('forged or altered links are refused and resume nothing; the decline link resumes with approved: false', async () => {
		const { executionId, messageId, links } = await ask(WORKFLOWS.approval());
		const [approve, decline] = links;
		const waiting = messageText(messageId);
		const forged = [
			withParam(approve, 'signature', `${'0'.repeat(63)}1`),
			withParam(approve, 'approved', 'false'),
			withParam(decline, 'approved', 'true'),
			withParam(approve, 'message', 'ffffffffffffffffffffffff'),
			approve.replace(/[?&]signature=[^&]+/, ''),
		];
		for (const url of forged) {
			const refused = await follow(url, 'POST');
			expect(refused.status).toBe(401);
		}
		expect((await execution(executionId)).status).toBe('waiting');
		expect(messageText(messageId)).toBe(waiting);

		expect((await follow(decline, 'POST')).status).toBe(200);
		const done = await until(executionId, (e) => e.status === 'success');
		expect(done.ask).toEqual([{ data: { approved: false } }]);
		expect(messageText(messageId)).toMatch(/\n\n❌ Declined · /);
	}, 300_000);

	it('free text: the link opens a form; the submitted text resumes the workflow', async () => {
		const { executionId, messageId, links } = await ask(WORKFLOWS.freeText());
		expect(links).toHaveLength(1);
		const form = await follow(links[0]);
		expect(form.status).toBe(200);
		expect(form.html).toContain('name="field-0"');
		expect((await follow(links[0], 'POST', { 'field-0': 'Aurora' })).status).toBe(200);
		const done = await until(executionId, (e) => e.status === 'success');
		expect(done.ask).toEqual([{ data: { text: 'Aurora' } }]);
		expect(messageText(messageId)).toMatch(/\n\nResponded · /);
	}, 300_000);

	it('the wait limit: n8n resumes on its own (the input passes through) and the message says it expired', async () => {
		const { executionId, messageId } = await ask(WORKFLOWS.expiry());
		expect(messageText(messageId)).toContain('Answer by ');
		const done = await until(executionId, (e) => e.status === 'success', 240_000);
		expect(done.ask).toEqual([{}]);
		const deadline = Date.now() + 60_000;
		while (!messageText(messageId).includes('Expired') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
		expect(messageText(messageId)).toMatch(/\n\n⌛ Expired: no answer in time · /);
	}, 400_000);

	it('examples/approval-announcement.workflow.json: the agent drafts, a person approves in Pumble, the announcement is posted', async () => {
		const askNode = (EXAMPLE.nodes as Array<{ id: string; type: string }>).find((n) => n.type === PUMBLE_NODE_TYPE)!;
		const { executionId, messageId, links } = await ask(EXAMPLE, askNode.id);
		expect(sandbox.state.messages.find((m) => m.id === messageId)?.channelId).toBe(sandbox.ids.random);
		expect(messageText(messageId)).toContain(DRAFT);
		expect(sandbox.state.messages.some((m) => m.channelId === sandbox.ids.general && m.text === DRAFT)).toBe(false);
		expect((await follow(links[0], 'POST')).status).toBe(200);
		await until(executionId, (e) => e.status === 'success');
		expect(sandbox.state.messages.filter((m) => m.channelId === sandbox.ids.general && m.text === DRAFT)).toHaveLength(1);
		expect(messageText(messageId)).toContain('✅ Approved · ');
	}, 300_000);
});

describe('Send and Wait as an AI-agent tool inside a real n8n: examples/approval-agent-tool.workflow.json', () => {
	it('the example wires both Pumble tools (n8n-nodes-pumble.pumbleTool) into the agent; the approval tool is Send and Wait', () => {
		const tools = (AGENT_EXAMPLE.nodes as Array<{ name: string; type: string; parameters: Record<string, unknown> }>).filter((n) => n.type === TOOL_TYPE);
		expect(tools.map((n) => [n.name, n.parameters.operation])).toEqual([
			[AGENT.askNode, 'sendAndWait'],
			[AGENT.postNode, 'send'],
		]);
		const connections = AGENT_EXAMPLE.connections as Record<string, Record<string, unknown>>;
		for (const tool of tools) expect(connections[tool.name].ai_tool).toEqual([[{ node: AGENT.agentNode, type: 'ai_tool', index: 0 }]]);
	});

	/** The tool messages (role "tool") of the agent's requests to the model, in order. */
	const toolResultsSent = () => agentLlm.requests.map((r) => r.messages.filter((m) => m.role === 'tool').map((m) => String(m.content)));
	const postedDrafts = () => sandbox.state.messages.filter((m) => m.channelId === sandbox.ids.general && m.text === agentDraft);
	const agentOutput = (e: Execution) => outputsOf(e.runData, AGENT.agentNode).at(-1);

	beforeEach(() => {
		agentLlm.requests.length = 0;
	});

	it("the agent's tool call posts the request and waits; approving resumes it with { data: { approved: true } } as the tool result, and the agent posts once", async () => {
		agentDraft = 'Heads-up: the office is closed next Friday (agent tool, approve).';
		const { executionId, messageId, links } = await ask(AGENT_EXAMPLE, AGENT_ASK_ID);

		// waiting: one request in #random with the model's draft, nothing posted, the model asked once
		expect(sandbox.state.messages.filter((m) => m.text.includes(`/webhook-waiting/${executionId}/`))).toHaveLength(1);
		expect(sandbox.state.messages.find((m) => m.id === messageId)?.channelId).toBe(sandbox.ids.random);
		expect(messageText(messageId).startsWith(requestFor(agentDraft))).toBe(true);
		expect(links).toHaveLength(2);
		expect(postedDrafts()).toHaveLength(0);
		expect(agentLlm.requests).toHaveLength(1);
		expect((await execution(executionId)).status).toBe('waiting');
		// the confirmation page shows the draft the model gave the tool ($fromAI, read again when answering)
		const opened = await follow(links[0]);
		expect(opened.status).toBe(200);
		expect(opened.html).toContain(agentDraft);

		expect((await follow(links[0], 'POST')).status).toBe(200);
		const done = await until(executionId, (e) => e.status === 'success');

		// the tool's output is the answer; the model got it as the tool result, then posted, then answered
		expect(outputsOf(done.runData, AGENT.askNode, 'ai_tool')).toEqual([[{ data: { approved: true } }]]);
		expect(toolResultsSent()).toHaveLength(3);
		expect(toolResultsSent()[0]).toEqual([]);
		expect(toolResultsSent()[1]).toHaveLength(1);
		expect(toolResultsSent()[1][0]).toMatch(APPROVED_RESULT);
		expect(toolResultsSent()[2]).toHaveLength(2);
		expect(agentLlm.unexpected).toEqual([]);
		expect(postedDrafts()).toHaveLength(1);
		expect(agentOutput(done)).toEqual([expect.objectContaining({ output: AGENT.approvedAnswer })]);
		// the request was sent once (not again on resume) and now shows the answer, links gone
		expect(sandbox.state.messages.filter((m) => m.text.includes(agentDraft) && m.channelId === sandbox.ids.random)).toHaveLength(1);
		expect(messageText(messageId).startsWith(`${requestFor(agentDraft)}\n\n✅ Approved · `)).toBe(true);
		expect(messageText(messageId)).not.toContain('webhook-waiting');

		// a replay changes nothing
		expect((await follow(links[0], 'POST')).html).toContain('No action required');
		expect(postedDrafts()).toHaveLength(1);
	}, 300_000);

	it('declining resumes the tool call with { data: { approved: false } }; the agent posts nothing', async () => {
		agentDraft = 'Heads-up: the office is closed next Friday (agent tool, decline).';
		const { executionId, messageId, links } = await ask(AGENT_EXAMPLE, AGENT_ASK_ID);
		expect(agentLlm.requests).toHaveLength(1);

		expect((await follow(links[1], 'POST')).status).toBe(200);
		const done = await until(executionId, (e) => e.status === 'success');

		expect(outputsOf(done.runData, AGENT.askNode, 'ai_tool')).toEqual([[{ data: { approved: false } }]]);
		expect(toolResultsSent()).toHaveLength(2);
		expect(toolResultsSent()[1][0]).toMatch(/"approved":\s*false/);
		expect(outputsOf(done.runData, AGENT.postNode, 'ai_tool')).toEqual([]);
		expect(postedDrafts()).toHaveLength(0);
		expect(agentOutput(done)).toEqual([expect.objectContaining({ output: AGENT.declinedAnswer })]);
		expect(messageText(messageId).startsWith(`${requestFor(agentDraft)}\n\n❌ Declined · `)).toBe(true);
	}, 300_000);

	it("as in npm start: the unchanged file, with the stand-in's generic behaviour, drafts, asks, waits, and posts once approved", async () => {
		const posted = () => sandbox.state.messages.filter((m) => m.channelId === sandbox.ids.general && m.text === DRAFT);
		const before = posted().length;
		llm.requests.length = 0;
		const { executionId, messageId, links } = await ask(START_AGENT_EXAMPLE, AGENT_ASK_ID);
		expect(sandbox.state.messages.find((m) => m.id === messageId)?.channelId).toBe(sandbox.ids.random);
		expect(messageText(messageId).startsWith(requestFor(DRAFT))).toBe(true);
		expect(posted()).toHaveLength(before);
		expect(llm.requests).toHaveLength(1);

		expect((await follow(links[0])).html).toContain(DRAFT);
		expect((await follow(links[0], 'POST')).status).toBe(200);
		const done = await until(executionId, (e) => e.status === 'success');
		expect(outputsOf(done.runData, AGENT.askNode, 'ai_tool')).toEqual([[{ data: { approved: true } }]]);
		expect(posted()).toHaveLength(before + 1);
		expect(agentOutput(done)).toEqual([
			expect.objectContaining({ output: `Done: asked for approval in Pumble (approved), posted with Post_Announcement. ${STAND_IN_NOTE}` }),
		]);
		expect(llm.unexpected).toEqual([]);
	}, 300_000);
});
