/**
 * Every examples/*.workflow.json, imported unchanged into a real n8n (each version `npm run test:e2e`
 * runs; the package installed as a community package) and run with `n8n execute --id` against the Pumble sandbox, with assertions on the
 * run data and on what the sandbox received and now holds. The sandbox is reset before each example.
 *
 * The AI-agent example runs twice: once with no model at all (the workflow loads: every node type,
 * `n8n-nodes-pumble.pumbleTool` included, is recognised, and a bogus type is not), and once end to end
 * with the local stand-in for OpenAI's Chat Completions API that `npm start` runs, with no script (its
 * generic behaviour, scripts/lib/fakeLlm), through the same "OpenAI account" credential: the agent calls
 * both Pumble tools.
 *
 * First run on a fresh machine installs n8n into ~/.cache/n8n-nodes-pumble (≈ 6 min, progress on stderr).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../../sandbox';
import {
	cleanupAll,
	createN8nHome,
	ensureN8n,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	nodeItems,
	packPackage,
	PROJECT_ROOT,
	type ExecuteResult,
	type N8nHome,
	type WorkflowInput,
} from '../../scripts/lib/n8n';
import { APP_CREDENTIAL_ID, APP_CREDENTIAL_NAME, CREDENTIAL_ID, CREDENTIAL_NAME, PUMBLE_NODE_TYPE, sandboxCredential } from '../../scripts/lib/workflows';
import { nodeTypeOf } from '../../scripts/lib/packageName';
import { OPENAI_CREDENTIAL, standInOpenAiCredential, STAND_IN_NOTE, startFakeLlm, type FakeLlm } from '../../scripts/lib/fakeLlm';
import { parseCsv } from '../helpers/csv';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type WfNode = { name: string; type: string; disabled?: boolean; credentials?: Record<string, { id: string; name: string }> };

const SETUP_TIMEOUT = 20 * 60_000; // a fresh machine installs n8n first (≈ 6 min)
const RUN_TIMEOUT = 180_000;
/** More than two pages of /listMessages (100 per page) in #general, spread over ~41 hours (10 min apart). */
const SEED_MESSAGES = 250;
const DAY_MS = 24 * 60 * 60 * 1000;

const EXAMPLES_DIR = path.join(PROJECT_ROOT, 'examples');
const AI_SUMMARY_PREFIX = 'Summary of #general:';
const AI_FINAL_ANSWER = `Done: read #general, posted to #random. ${STAND_IN_NOTE}`;

let sandbox: Sandbox;
let llm: FakeLlm;
let home: N8nHome;

function loadExample(file: string): WorkflowInput {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowInput;
}

const nodesOf = (wf: WorkflowInput): WfNode[] => wf.nodes as WfNode[];
const apiCalls = (): Sandbox['log'] => sandbox.log.filter((e) => !e.path.startsWith('/__sandbox'));
const callsTo = (method: string, p: string): Sandbox['log'] => apiCalls().filter((e) => e.method === method && e.path === p);
const json = (r: ExecuteResult, node: string): Array<Record<string, unknown>> => nodeItems(r, node).map((i) => i.json);
/** Messages listed in a channel (top level, or replies also sent to the channel), newest first. */
const channelMessages = (channelId: string): Sandbox['state']['messages'] =>
	sandbox.state.messages
		.filter((m) => m.channelId === channelId && (m.threadRootId === null || m.sentToChannel))
		.sort((a, b) => b.timestampMilli - a.timestampMilli || b.seq - a.seq);
const userName = (id: string): string | undefined => sandbox.state.users.find((u) => u.id === id)?.name;

/** Reset the sandbox, import the example unchanged, run it; fails on a non-zero exit. */
async function runExample(file: string): Promise<{ wf: WorkflowInput; r: ExecuteResult }> {
	sandbox.reset();
	const wf = loadExample(file);
	await importWorkflow(home, wf);
	const r = await executeWorkflow(home, wf.id);
	return { wf, r };
}

/** Common checks: success, every node after the Manual Trigger ran, the key never printed, all calls authenticated and 2xx. */
function expectGreen(wf: WorkflowInput, r: ExecuteResult, notRun: string[] = []): void {
	expect(r.run.status).toBe('success');
	expect(r.run.finished).toBe(true);
	expect(r.run.data.resultData.error).toBeUndefined();
	for (const node of nodesOf(wf)) {
		if (node.disabled || node.type === 'n8n-nodes-base.stickyNote' || notRun.includes(node.name)) continue;
		const runs = r.runData[node.name] ?? [];
		expect({ node: node.name, ran: runs.length > 0, ok: runs.every((x) => x.executionStatus === 'success') }).toEqual({
			node: node.name,
			ran: true,
			ok: true,
		});
	}
	expect(r.stdout.includes(sandbox.apiKey) || r.stderr.includes(sandbox.apiKey) || r.runText.includes(sandbox.apiKey)).toBe(false);
	for (const c of apiCalls()) {
		expect({ call: `${c.method} ${c.path}`, header: c.headerName, user: c.userId, status: c.status }).toEqual({
			call: `${c.method} ${c.path}`,
			header: 'ApiKey',
			user: sandbox.ids.ada,
			status: 200,
		});
	}
}

beforeAll(async () => {
	await ensureN8n();
	const tgz = await packPackage();
	home = await createN8nHome(tgz);
	sandbox = await startSandbox({ seedMessages: SEED_MESSAGES });
	// npm start's stand-in and credential: what runs here is what runs in the editor
	llm = await startFakeLlm();
	await importCredentials(home, [sandboxCredential(sandbox.apiKey, sandbox.url), standInOpenAiCredential(llm.url)]);
}, SETUP_TIMEOUT);

afterAll(async () => {
	await llm?.close();
	await sandbox?.close();
	await home?.cleanup();
	await cleanupAll();
}, 60_000);

/** Every example file has a describe block below. */
const SPECS = [
	'demo.workflow.json',
	'daily-digest.workflow.json',
	'incident-thread.workflow.json',
	'channel-archive.workflow.json',
	'ai-agent-tool.workflow.json',
	// These wait for a person's answer, so they run in `n8n start`: their specs are in sendAndWait.test.ts.
	'approval-announcement.workflow.json',
	'approval-agent-tool.workflow.json',
	// Started by Pumble's App platform (the sandbox's deliveries), not by `n8n execute`: its spec is app-trigger.test.ts.
	'app-events.workflow.json',
];
const APP_TRIGGER_TYPE = nodeTypeOf('pumbleAppTrigger');

describe('examples/', () => {
	const files = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.workflow.json')).sort();

	it('every *.workflow.json has a spec here (so the e2e run executes every example)', () => {
		expect(files).toEqual([...SPECS].sort());
	});

	it.each(files)('%s is importable as is: fixed id ≤ 21 chars, unique node names, the harness credential on every Pumble node', (file) => {
		const wf = loadExample(file);
		expect(wf.id).toMatch(/^[A-Za-z0-9]{1,21}$/);
		expect(typeof wf.name).toBe('string');
		const names = nodesOf(wf).map((n) => n.name);
		expect(new Set(names).size).toBe(names.length);
		for (const [from, byType] of Object.entries(wf.connections as Record<string, Record<string, Array<Array<{ node: string }>>>>)) {
			expect(names).toContain(from);
			for (const outputs of Object.values(byType)) for (const conns of outputs) for (const c of conns ?? []) expect(names).toContain(c.node);
		}
		const pumbleNodes = nodesOf(wf).filter((n) => n.type.startsWith(nodeTypeOf('')));
		expect(pumbleNodes.length).toBeGreaterThan(0);
		for (const n of pumbleNodes) {
			expect({ node: n.name, credentials: n.credentials }).toEqual({
				node: n.name,
				credentials:
					n.type === APP_TRIGGER_TYPE ? { pumbleAppApi: { id: APP_CREDENTIAL_ID, name: APP_CREDENTIAL_NAME } } : { pumbleApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
			});
		}
		// n8n execute starts only at a Manual Trigger (or an Execute Workflow Trigger); the App Trigger's example starts from Pumble
		const appTriggered = nodesOf(wf).some((n) => n.type === APP_TRIGGER_TYPE);
		expect(nodesOf(wf).some((n) => n.type === (appTriggered ? APP_TRIGGER_TYPE : 'n8n-nodes-base.manualTrigger'))).toBe(true);
	});
});

describe('demo.workflow.json (npm run demo)', () => {
	let wf: WorkflowInput;
	let r: ExecuteResult;
	beforeAll(async () => {
		({ wf, r } = await runExample('demo.workflow.json'));
	}, RUN_TIMEOUT);

	it('runs green: creates a channel, posts, replies, reacts, lists, deletes', () => {
		expectGreen(wf, r);
		const channel = json(r, 'Create Channel')[0];
		expect(channel.name).toMatch(/^n8n-demo-\d{6}$/);
		expect(sandbox.state.channels.some((c) => c.id === channel.id && c.channelType === 'PUBLIC')).toBe(true);
		const order = ['/createChannel', '/sendMessage', '/sendReply', '/addReaction', '/listMessages', '/listChannels', '/deleteMessage'];
		expect(order.map((p) => apiCalls().some((c) => c.path === p))).toEqual(order.map(() => true));
	});
});

describe('daily-digest.workflow.json: Schedule Trigger (+ Run Now) → last 24 h of #general → digest in #random', () => {
	let wf: WorkflowInput;
	let r: ExecuteResult;
	let runStart: number;
	let runEnd: number;
	beforeAll(async () => {
		runStart = Date.now();
		({ wf, r } = await runExample('daily-digest.workflow.json'));
		runEnd = Date.now();
	}, RUN_TIMEOUT);

	it('has a daily Schedule Trigger and a Manual Trigger feeding the same chain', () => {
		const schedule = nodesOf(wf).find((n) => n.type === 'n8n-nodes-base.scheduleTrigger') as WfNode & { parameters: unknown };
		expect(schedule).toBeDefined();
		expect(JSON.stringify(schedule.parameters)).toContain('"field":"days"');
		const targets = (from: string): string[] =>
			((wf.connections as Record<string, { main: Array<Array<{ node: string }>> }>)[from]?.main ?? []).flat().map((c) => c.node);
		const manual = nodesOf(wf).find((n) => n.type === 'n8n-nodes-base.manualTrigger') as WfNode;
		expect(targets(schedule.name)).toEqual(targets(manual.name));
		expect(targets(manual.name)).toEqual(['Get Last 24 Hours']);
	});

	it('runs green, headless through the Schedule Trigger itself', () => {
		// `n8n execute` refuses a workflow without a Manual Trigger ("Missing node to start execution"), but then
		// n8n 2.8.4 starts at the first trigger in the node list: the Schedule Trigger (first on purpose), which
		// emits one item when run by hand. So the scheduled path is what runs here; Run Now is the editor's button.
		expect(nodesOf(wf)[0].type).toBe('n8n-nodes-base.scheduleTrigger');
		expectGreen(wf, r, ['Run Now']);
		expect(r.runData['Every Day at 9:00']).toHaveLength(1);
		expect(r.runData['Run Now']).toBeUndefined();
		const runtime = (r.run.data as { executionData?: { runtimeData?: { triggerNode?: { name?: string } } } }).executionData?.runtimeData;
		if (runtime?.triggerNode) expect(runtime.triggerNode.name).toBe('Every Day at 9:00');
	});

	it('reads exactly the messages of the last 24 hours, paging through /listMessages and stopping at the cut-off', () => {
		const got = json(r, 'Get Last 24 Hours');
		const all = channelMessages(sandbox.ids.general);
		// 250 seeded messages 10 minutes apart span ~41 h: the filter must drop some
		const mustHave = all.filter((m) => m.timestampMilli >= runEnd - DAY_MS + 5_000);
		const mayHave = all.filter((m) => m.timestampMilli >= runStart - DAY_MS - 5_000);
		expect(mustHave.length).toBeGreaterThan(100);
		expect(mayHave.length).toBeLessThan(all.length);
		const ids = got.map((m) => m.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const m of mustHave) expect(ids).toContain(m.id);
		for (const id of ids) expect(mayHave.map((m) => m.id)).toContain(id);

		const pages = callsTo('GET', '/listMessages');
		expect(pages.length).toBeGreaterThanOrEqual(2); // > 100 messages: more than one page
		expect(pages.length).toBeLessThan(Math.ceil(all.length / 100)); // stopped before the whole history
	});

	it('posts one digest to #random with the count, the most active people and the latest messages', () => {
		const got = json(r, 'Get Last 24 Hours');
		const sends = callsTo('POST', '/sendMessage');
		expect(sends).toHaveLength(1);
		const posted = json(r, 'Post Digest')[0];
		expect(posted.channelId).toBe(sandbox.ids.random);
		const stored = sandbox.state.messages.find((m) => m.id === posted.id);
		expect(stored?.channelId).toBe(sandbox.ids.random);
		const text = stored?.text ?? '';
		expect(text).toContain('Daily digest of #general');
		expect(text).toContain(`${got.length} messages in the last 24 hours`);
		// the most active author of the day is mentioned first
		const counts = new Map<string, number>();
		for (const m of got) counts.set(String(m.author), (counts.get(String(m.author)) ?? 0) + 1);
		const top = Math.max(...counts.values());
		const firstMention = /Most active: <<@([0-9a-f]{24})>> \((\d+)\)/.exec(text);
		expect(firstMention).not.toBeNull();
		expect(Number(firstMention?.[2])).toBe(top);
		expect(counts.get(firstMention?.[1] ?? '')).toBe(top);
		// the five latest messages as bullets, newest first
		const bullets = text.split('\n').filter((l) => l.startsWith('• '));
		expect(bullets).toEqual(got.slice(0, 5).map((m) => `• ${String(m.text).replace(/\s+/g, ' ').slice(0, 100)}`));
	});
});

describe('incident-thread.workflow.json: alert → thread of updates → reaction and edit when resolved', () => {
	let wf: WorkflowInput;
	let r: ExecuteResult;
	let alert: { service: string; summary: string; updates: Array<{ text: string; resolved: boolean }> };
	beforeAll(async () => {
		({ wf, r } = await runExample('incident-thread.workflow.json'));
		alert = json(r, 'Alert')[0] as typeof alert;
	}, RUN_TIMEOUT);

	it('runs green', () => {
		expectGreen(wf, r);
		expect(alert.updates.length).toBeGreaterThanOrEqual(2);
		expect(alert.updates.filter((u) => u.resolved)).toHaveLength(1);
	});

	it('opens the incident in #general, posts every update as a reply in its thread, in order', () => {
		const root = json(r, 'Open Incident')[0];
		expect(root.channelId).toBe(sandbox.ids.general);
		const replies = sandbox.state.messages.filter((m) => m.threadRootId === root.id).sort((a, b) => a.seq - b.seq);
		expect(replies.map((m) => m.text)).toEqual(alert.updates.map((u) => u.text));
		expect(replies.every((m) => m.channelId === sandbox.ids.general && !m.sentToChannel && m.author === sandbox.ids.ada)).toBe(true);
		const sendReplies = callsTo('POST', '/sendReply');
		expect(sendReplies).toHaveLength(alert.updates.length);
		for (const c of sendReplies) expect(JSON.stringify(c.body)).toContain(String(root.id));
	});

	it('only the resolving update passes "Resolved?"; the alert gets ✅ and is edited to RESOLVED, after the last reply', () => {
		const root = json(r, 'Open Incident')[0];
		expect(json(r, 'Post Update in Thread')).toHaveLength(alert.updates.length);
		expect(json(r, 'Resolved?')).toHaveLength(1);
		const stored = sandbox.state.messages.find((m) => m.id === root.id);
		expect(stored?.reactions).toEqual([{ user: sandbox.ids.ada, code: ':white_check_mark:' }]);
		expect(stored?.edited).toBe(true);
		expect(stored?.text).toMatch(new RegExp(`^:white_check_mark: \\*\\*RESOLVED: ${alert.service}\\*\\*`));
		expect(stored?.text).toContain(alert.summary);

		const calls = apiCalls();
		const lastReply = calls.map((c) => c.path).lastIndexOf('/sendReply');
		const react = calls.findIndex((c) => c.path === '/addReaction');
		const edit = calls.findIndex((c) => c.path === '/editMessage');
		expect(callsTo('POST', '/addReaction')).toHaveLength(1);
		expect(callsTo('POST', '/editMessage')).toHaveLength(1);
		expect(lastReply).toBeLessThan(react);
		expect(react).toBeLessThan(edit);
	});
});

describe('channel-archive.workflow.json: every message of #general → spreadsheet rows → CSV', () => {
	const COLUMNS = ['id', 'time', 'author', 'authorId', 'text', 'replies', 'threadRootId', 'reactions'];
	let wf: WorkflowInput;
	let r: ExecuteResult;
	beforeAll(async () => {
		({ wf, r } = await runExample('channel-archive.workflow.json'));
	}, RUN_TIMEOUT);

	it('runs green', () => {
		expectGreen(wf, r);
	});

	it('Return All pages through the whole channel: one item per message, none missing, none twice', () => {
		const all = channelMessages(sandbox.ids.general);
		expect(all.length).toBeGreaterThanOrEqual(SEED_MESSAGES);
		const got = json(r, 'Get All Messages');
		expect(got.map((m) => m.id).sort()).toEqual(all.map((m) => m.id).sort());
		// newest first, as Pumble lists them
		const times = got.map((m) => Number(m.timestampMilli));
		expect(times).toEqual([...times].sort((a, b) => b - a));
		expect(callsTo('GET', '/listMessages').length).toBe(Math.ceil(all.length / 100));
	});

	it('maps each message to the spreadsheet columns: ISO time, author name, counts and reactions as text', () => {
		const rows = json(r, 'Spreadsheet Rows');
		const all = channelMessages(sandbox.ids.general);
		expect(rows).toHaveLength(all.length);
		const byId = new Map(all.map((m) => [m.id, m]));
		for (const row of rows) {
			const m = byId.get(String(row.id));
			if (!m) throw new Error(`row for an unknown message ${String(row.id)}`);
			expect(Object.keys(row)).toEqual(COLUMNS);
			expect(row.time).toBe(new Date(m.timestampMilli).toISOString());
			expect(row.authorId).toBe(m.author);
			expect(row.author).toBe(userName(m.author) ?? m.author);
			expect(row.text).toBe(m.text);
			expect(typeof row.replies).toBe('number');
			expect(row.replies).toBe(sandbox.state.messages.filter((x) => x.threadRootId === m.id).length);
			const codes = [...new Set(m.reactions.map((x) => x.code))];
			expect(row.reactions).toBe(codes.map((c) => `${c} x${m.reactions.filter((x) => x.code === c).length}`).join(' '));
		}
		// the seed has reactions and several authors: the mapping is exercised, not vacuous
		expect(rows.some((row) => row.reactions !== '')).toBe(true);
		expect(new Set(rows.map((row) => row.author)).size).toBeGreaterThanOrEqual(3);
	});

	it('Convert to CSV writes one file with a header and one row per message', () => {
		const items = nodeItems(r, 'Convert to CSV');
		expect(items).toHaveLength(1);
		const file = items[0].binary?.data as { id?: string; fileName?: string; mimeType?: string } | undefined;
		expect(file?.mimeType).toBe('text/csv');
		expect(file?.fileName).toMatch(/^pumble-general-\d{4}-\d{2}-\d{2}\.csv$/);
		// filesystem binary mode: "filesystem-v2:<path>" under $N8N_USER_FOLDER/.n8n/storage
		const rel = String(file?.id).replace(/^filesystem(-v2)?:/, '');
		const csv = parseCsv(fs.readFileSync(path.join(home.dir, '.n8n', 'storage', rel), 'utf8'));
		const rows = json(r, 'Spreadsheet Rows');
		expect(csv[0]).toEqual(COLUMNS);
		expect(csv.slice(1)).toHaveLength(rows.length);
		expect(csv[1]).toEqual(COLUMNS.map((c) => String(rows[0][c])));
	});
});

describe('ai-agent-tool.workflow.json: an AI Agent with Pumble as its tools', () => {
	const TOOL_TYPE = `${PUMBLE_NODE_TYPE}Tool`;
	let wf: WorkflowInput;

	beforeAll(() => {
		wf = loadExample('ai-agent-tool.workflow.json');
	});

	it('wires two Pumble tool nodes (n8n-nodes-pumble.pumbleTool) and a chat model into the agent', () => {
		const tools = nodesOf(wf).filter((n) => n.type === TOOL_TYPE);
		expect(tools.map((n) => n.name).sort()).toEqual(['Post Message', 'Read Channel']);
		const conns = wf.connections as Record<string, Record<string, Array<Array<{ node: string; type: string }>>>>;
		for (const t of tools) expect(conns[t.name].ai_tool[0]).toEqual([{ node: 'AI Agent', type: 'ai_tool', index: 0 }]);
		expect(conns['OpenAI Chat Model'].ai_languageModel[0]).toEqual([{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]);
		const model = nodesOf(wf).find((n) => n.name === 'OpenAI Chat Model');
		expect(model?.credentials).toEqual({ openAiApi: OPENAI_CREDENTIAL });
	});

	describe('without a model: the workflow loads', () => {
		/** The example's nodes, with the agent left unreached: n8n still builds the whole workflow, resolving every node type. */
		const loadCheck = (id: string, mutate: (nodes: WfNode[]) => void = () => undefined): WorkflowInput => {
			const copy = JSON.parse(JSON.stringify(wf)) as WorkflowInput;
			mutate(copy.nodes as WfNode[]);
			const conns = copy.connections as Record<string, unknown>;
			delete conns['Sample Question'];
			return { ...copy, id, name: `${wf.name} (load check)` };
		};

		it('n8n recognises every node type, the Pumble tool included', async () => {
			sandbox.reset();
			const check = loadCheck('e2eAiLoadCheck');
			await importWorkflow(home, check);
			const r = await executeWorkflow(home, check.id);
			expect(r.run.status).toBe('success');
			expect(Object.keys(r.runData).sort()).toEqual(['Manual Trigger', 'Sample Question']);
			expect(json(r, 'Sample Question')[0].chatInput).toEqual(expect.any(String));
			expect(r.stdout + r.stderr).not.toMatch(/Unrecognized node type/);
			expect(apiCalls()).toHaveLength(0);
		}, RUN_TIMEOUT);

		it('…and the check bites: the same workflow with an unknown tool type fails with "Unrecognized node type"', async () => {
			const check = loadCheck('e2eAiLoadCheckBad', (nodes) => {
				const tool = nodes.find((n) => n.type === TOOL_TYPE) as WfNode;
				tool.type = `${TOOL_TYPE}DoesNotExist`;
			});
			await importWorkflow(home, check);
			const r = await executeWorkflow(home, check.id, { allowFailure: true }).catch((err: Error) => err);
			const text = r instanceof Error ? r.message : r.stdout + r.stderr;
			if (!(r instanceof Error)) expect(r.code).not.toBe(0);
			expect(text).toContain(`Unrecognized node type: ${TOOL_TYPE}DoesNotExist`);
		}, RUN_TIMEOUT);
	});

	describe("end to end with npm start's stand-in chat model (no real model): the agent calls both Pumble tools", () => {
		let r: ExecuteResult;
		beforeAll(async () => {
			llm.requests.length = 0;
			({ r } = await runExample('ai-agent-tool.workflow.json'));
		}, RUN_TIMEOUT);

		it('runs green from the Manual Trigger (the Chat Trigger is the editor\'s way in)', () => {
			expectGreen(wf, r, ['When Chat Message Received']);
			expect(json(r, 'AI Agent')[0].output).toBe(AI_FINAL_ANSWER);
			expect(llm.unexpected).toEqual([]);
		});

		it('n8n offers the model both Pumble tools, with the $fromAI parameters as their arguments', () => {
			const first = llm.requests[0];
			const tools = Object.fromEntries((first.tools ?? []).map((t) => [t.function.name, t.function]));
			expect(Object.keys(tools).sort()).toEqual(['Post_Message', 'Read_Channel']);
			const props = (name: string): string[] =>
				Object.keys((tools[name].parameters as { properties?: Record<string, unknown> }).properties ?? {}).sort();
			expect(props('Read_Channel')).toEqual(['channel']);
			expect(props('Post_Message')).toEqual(['channel', 'text']);
			expect(first.messages.find((m) => m.role === 'user')?.content).toBe(json(r, 'Sample Question')[0].chatInput);
		});

		it('Read Channel lists #general and hands the simplified messages back to the model', () => {
			const reads = callsTo('GET', '/listMessages');
			expect(reads).toHaveLength(1);
			// the model names the channel; the node resolves the name through the channel list and asks by ID
			expect(reads[0].query).toEqual(expect.objectContaining({ channelId: sandbox.ids.general, limit: '20' }));
			const toolResult = llm.requests[1].messages.find((m) => m.role === 'tool');
			const latest = channelMessages(sandbox.ids.general)[0];
			expect(String(toolResult?.content)).toContain(latest.text);
			expect(String(toolResult?.content)).not.toContain(sandbox.apiKey);
		});

		it('Post Message posts the model\'s summary to #random', () => {
			const sends = callsTo('POST', '/sendMessage');
			expect(sends).toHaveLength(1);
			const latest = channelMessages(sandbox.ids.general)[0];
			const posted = sandbox.state.messages.filter((m) => m.channelId === sandbox.ids.random && m.text.startsWith(AI_SUMMARY_PREFIX));
			expect(posted).toHaveLength(1);
			expect(posted[0].text).toBe(`${AI_SUMMARY_PREFIX} 20 messages, latest: "${latest.text}"`);
			expect(posted[0].author).toBe(sandbox.ids.ada);
		});
	});
});
