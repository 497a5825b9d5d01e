/**
 * The proof inside a real n8n (each version `npm run test:e2e` runs): pack this package, install the tarball the way n8n installs a
 * community package, import a `pumbleApi` credential pointing at the in-process sandbox, import a
 * workflow chaining seven operations (create a channel, send, reply, react, read, list, delete), run it with `n8n execute --id`, and check the run data
 * and what the sandbox received.
 *
 * First run on a fresh machine installs n8n into ~/.cache/n8n-nodes-pumble (≈ 6 min, progress on stderr).
 * PUMBLE_KEEP_TMP=1 keeps the n8n home folder for debugging.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../../sandbox';
import {
	cleanupAll,
	currentTarget,
	ensureN8n,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	nodeItems,
	packPackage,
	createN8nHome,
	type ExecuteResult,
	type N8nHome,
	type RunItem,
} from '../../scripts/lib/n8n';
import { DEMO_CHAIN_NODES as N, noOpWorkflow, sandboxCredential, demoChainWorkflow } from '../../scripts/lib/workflows';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const SETUP_TIMEOUT = 20 * 60_000; // a fresh machine installs n8n first (≈ 6 min)
const HEX24 = /^[0-9a-f]{24}$/;

const suffix = Math.random().toString(36).slice(2, 8);
const CHANNEL_NAME = `e2e-${suffix}`;
const DESCRIPTION = `Created by the n8n e2e test ${suffix}`;
const MESSAGE_TEXT = `Hello from n8n e2e ${suffix}`;
const REPLY_TEXT = `Threaded reply ${suffix}`;

let sandbox: Sandbox;
let home: N8nHome;
let result: ExecuteResult;

/** Every item of every node output. */
function allItems(r: ExecuteResult): Array<{ node: string; item: RunItem }> {
	const out: Array<{ node: string; item: RunItem }> = [];
	for (const [node, runs] of Object.entries(r.runData)) {
		for (const run of runs) for (const items of run.data?.main ?? []) for (const item of items ?? []) out.push({ node, item });
	}
	return out;
}

const only = (r: ExecuteResult, node: string): Record<string, unknown> => {
	const items = nodeItems(r, node);
	expect(items).toHaveLength(1);
	return items[0].json;
};

const apiCalls = (): Sandbox['log'] => sandbox.log.filter((e) => !e.path.startsWith('/__sandbox'));
const callsTo = (method: string, p: string): Sandbox['log'] => apiCalls().filter((e) => e.method === method && e.path === p);

beforeAll(async () => {
	await ensureN8n();
	const tgz = await packPackage();
	home = await createN8nHome(tgz);
	sandbox = await startSandbox();
	await importCredentials(home, [sandboxCredential(sandbox.apiKey, sandbox.url)]);
	const wf = demoChainWorkflow({
		id: 'e2eDemoChain01',
		name: 'E2E demo chain',
		channelName: CHANNEL_NAME,
		description: DESCRIPTION,
		messageText: MESSAGE_TEXT,
		replyText: REPLY_TEXT,
		emoji: ':tada:',
	});
	await importWorkflow(home, wf);
	result = await executeWorkflow(home, wf.id);
}, SETUP_TIMEOUT);

afterAll(async () => {
	await sandbox?.close();
	await home?.cleanup();
	await cleanupAll();
}, 60_000);

describe(`seven operations chained in one workflow inside a real n8n ${currentTarget().n8n}`, () => {
	it('finishes successfully and every node ran once', () => {
		expect(result.run.status).toBe('success');
		expect(result.run.finished).toBe(true);
		expect(result.run.data.resultData.error).toBeUndefined();
		for (const node of Object.values(N)) {
			expect(result.runData[node]).toHaveLength(1);
			expect(result.runData[node][0].executionStatus).toBe('success');
		}
		expect(result.run.data.resultData.lastNodeExecuted).toBe(N.deleteMessage);
	});

	it('every item carries pairedItem', () => {
		const items = allItems(result);
		expect(items.length).toBeGreaterThan(7);
		for (const { node, item } of items) {
			expect({ node, pairedItem: item.pairedItem }).toEqual({ node, pairedItem: expect.anything() });
		}
	});

	it('Create Channel returns the new public channel', () => {
		const channel = only(result, N.createChannel);
		expect(channel.id).toMatch(HEX24);
		expect(channel.name).toBe(CHANNEL_NAME);
	});

	it('Send Message and Reply post into the new channel, the reply in the thread of the message', () => {
		const channelId = only(result, N.createChannel).id;
		const sent = only(result, N.sendMessage);
		const reply = only(result, N.reply);
		expect(sent.id).toMatch(HEX24);
		expect(sent.channelId).toBe(channelId);
		expect(reply.id).toMatch(HEX24);
		expect(reply.id).not.toBe(sent.id);
		expect(reply.channelId).toBe(channelId);
		// Send and Reply output receipts, { id, channelId } and nothing else (README, Operations)...
		expect(sent).toEqual({ id: sent.id, channelId });
		expect(reply).toEqual({ id: reply.id, channelId });
		// ...so the thread and the texts are checked in what Pumble lists afterwards (Get Messages, simplified):
		// the reply points at the sent message, which counts it, and each carries its text.
		const listed = nodeItems(result, N.getMessages).map((i) => i.json);
		expect(listed.find((m) => m.id === reply.id)).toMatchObject({ threadRootId: sent.id, text: REPLY_TEXT });
		expect(listed.find((m) => m.id === sent.id)).toMatchObject({ threadRootId: null, repliesCount: 1, text: MESSAGE_TEXT });
	});

	it('Add Reaction answers ok', () => {
		const answer = only(result, N.addReaction);
		expect(answer.status === 'ok' || answer.success === true).toBe(true);
	});

	it('Get Messages returns one item per message of the channel, the sent message among them', () => {
		const items = nodeItems(result, N.getMessages).map((i) => i.json);
		expect(items.length).toBeGreaterThanOrEqual(1);
		for (const m of items) {
			expect(typeof m.id).toBe('string');
			expect(typeof m.text).toBe('string');
		}
		const sentId = only(result, N.sendMessage).id;
		const root = items.find((m) => m.id === sentId);
		expect(root).toBeDefined();
		expect(root?.text).toBe(MESSAGE_TEXT);
		// alsoSendToChannel: the reply shows in the channel as well
		const replyId = only(result, N.reply).id;
		expect(items.some((m) => m.id === replyId)).toBe(true);
	});

	it('Get Channels returns one item per channel (public and direct), the new channel and #general among them', () => {
		const items = nodeItems(result, N.getChannels).map((i) => i.json);
		expect(items.length).toBeGreaterThanOrEqual(2);
		expect(items.length).toBeLessThanOrEqual(50);
		const ids = items.map((c) => (typeof c.channel === 'object' && c.channel ? (c.channel as { id?: unknown }).id : c.id));
		expect(ids).toContain(only(result, N.createChannel).id);
		expect(ids).toContain(sandbox.ids.general);
	});

	it('Delete Message answers deleted', () => {
		expect(only(result, N.deleteMessage)).toEqual(expect.objectContaining({ deleted: true }));
	});

	it('the sandbox received each expected request, authenticated with the ApiKey header', () => {
		const calls = apiCalls();
		expect(calls.length).toBeGreaterThanOrEqual(7);
		for (const c of calls) {
			expect({ path: c.path, headerName: c.headerName }).toEqual({ path: c.path, headerName: 'ApiKey' });
			expect(c.userId).toBe(sandbox.ids.ada);
			expect(c.status).toBeGreaterThanOrEqual(200);
			expect(c.status).toBeLessThan(300);
		}
		const channelId = only(result, N.createChannel).id as string;
		const sentId = only(result, N.sendMessage).id as string;

		const create = callsTo('POST', '/createChannel');
		expect(create).toHaveLength(1);
		expect(JSON.stringify(create[0].body)).toContain(CHANNEL_NAME);

		const send = callsTo('POST', '/sendMessage');
		expect(send).toHaveLength(1);
		expect(JSON.stringify(send[0].body)).toContain(MESSAGE_TEXT);
		expect(JSON.stringify(send[0])).toContain(channelId);

		const reply = callsTo('POST', '/sendReply');
		expect(reply).toHaveLength(1);
		expect(JSON.stringify(reply[0].body)).toContain(REPLY_TEXT);
		expect(JSON.stringify(reply[0])).toContain(sentId);

		const react = callsTo('POST', '/addReaction');
		expect(react).toHaveLength(1);
		expect(JSON.stringify(react[0])).toContain(sentId);
		expect(JSON.stringify(react[0].body)).toContain('tada');

		const list = callsTo('GET', '/listMessages');
		expect(list.length).toBeGreaterThanOrEqual(1);
		expect(list.every((c) => JSON.stringify(c.query).includes(channelId))).toBe(true);

		expect(callsTo('GET', '/listChannels').length).toBeGreaterThanOrEqual(1);

		const del = callsTo('DELETE', '/deleteMessage');
		expect(del).toHaveLength(1);
		expect(JSON.stringify(del[0])).toContain(sentId);

		// in the order of the chain
		const order = ['/createChannel', '/sendMessage', '/sendReply', '/addReaction', '/listMessages', '/listChannels', '/deleteMessage'];
		const firstAt = order.map((p) => calls.findIndex((c) => c.path === p));
		expect(firstAt).toEqual([...firstAt].sort((a, b) => a - b));
	});

	it('the API key appears nowhere: not in stdout, stderr, run data, nor in clear in n8n\'s database', () => {
		const key = sandbox.apiKey;
		expect(key.length).toBeGreaterThan(8);
		expect(home.transcripts.length).toBeGreaterThanOrEqual(3);
		for (const t of home.transcripts) {
			expect({ command: t.command, leaked: t.stdout.includes(key) }).toEqual({ command: t.command, leaked: false });
			expect({ command: t.command, leaked: t.stderr.includes(key) }).toEqual({ command: t.command, leaked: false });
		}
		expect(result.runText.includes(key)).toBe(false);
		// n8n's own files (database, WAL, config); the installed package is not n8n data
		const n8nDir = path.join(home.dir, '.n8n');
		const files = fs
			.readdirSync(n8nDir, { recursive: true, withFileTypes: true })
			.filter((d) => d.isFile())
			.map((d) => path.join(d.parentPath, d.name))
			.filter((f) => !f.startsWith(path.join(n8nDir, 'nodes') + path.sep));
		expect(files.some((f) => f.endsWith('database.sqlite'))).toBe(true);
		for (const f of files) {
			expect({ file: path.relative(home.dir, f), leaked: fs.readFileSync(f).includes(key) }).toEqual({
				file: path.relative(home.dir, f),
				leaked: false,
			});
		}
	});
});

// Every examples/*.workflow.json is imported and run, with per-example assertions, in ./examples.test.ts.

describe('the harness itself', () => {
	it('runs a Manual Trigger → NoOp workflow (the harness works without the Pumble node)', async () => {
		const wf = noOpWorkflow('e2eHarnessNoOp01');
		await importWorkflow(home, wf);
		const r = await executeWorkflow(home, wf.id);
		expect(r.run.status).toBe('success');
		expect(nodeItems(r, 'No Operation')).toHaveLength(1);
	}, 120_000);
});
