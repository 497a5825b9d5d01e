/**
 * 1,500 sends in the node's default setting inside a real n8n (`n8n start`, the package installed from its packed tarball): Manual Trigger
 * → Code (1,500 items, item i → channel i mod 10) → Pumble Message → Send in the node's DEFAULT error
 * setting, run over REST as the editor runs it, against the in-process sandbox at 100 ms latency and
 * Pumble's 1,000 requests per minute.
 * - All 1,500 arrive exactly once, each channel's in item order, and requests to different channels were
 *   at the sandbox at the same time (from the sandbox's own log of arrival and answer times).
 * - Stopping the execution (`POST /rest/executions/:id/stop`, the editor's Stop button) mid-run: it ends
 *   canceled, no request reaches the sandbox later than 1 s after the stop call returned, and nothing
 *   was stored twice.
 * Each test runs as its own sandbox user (own key, own budget). First run on a fresh machine installs n8n.
 * PUMBLE_E2E_N8N_LOG=<file> writes n8n's own output there at the end (for debugging a failure).
 */
import * as fs from 'node:fs';

import { keyHash, startSandbox, type KeyUser, type RequestLogEntry, type Sandbox } from '../../sandbox';
import { cleanupAll } from '../../scripts/lib/n8n';
import {
	createChannels,
	executionEnd,
	readExecution,
	runWorkflow,
	SEND_NODE,
	sendsWorkflow,
	startN8nWithSends,
	storedItems,
	userCredential,
	type N8nWithSends,
} from '../../scripts/lib/n8nSends';

const ITEMS = 1_500;
const CHANNELS = 10;
const LATENCY_MS = 100;

let sandbox: Sandbox;
let n8n: N8nWithSends;
const channels: Partial<Record<KeyUser, string[]>> = {};

const setups = {
	all: { user: 'ada', workflowId: 'e2eDefaultSends01' },
	stop: { user: 'bob', workflowId: 'e2eDefaultStop01' },
} as const;

/** Item indices the sandbox stored in one channel, in storing order. */
const inChannel = (channelId: string, user: KeyUser) =>
	storedItems(sandbox, channels[user]!)
		.filter((m) => m.channel === channelId)
		.map((m) => m.item);
/** Channel c's items in item order: c, c + 10, c + 20, … */
const laneOrder = (c: number, count = ITEMS) => Array.from({ length: Math.ceil((count - c) / CHANNELS) }, (_, k) => c + CHANNELS * k);
const requestsOf = (user: KeyUser): RequestLogEntry[] => sandbox.log.filter((e) => e.keyHash === keyHash(sandbox.keys[user]));

beforeAll(async () => {
	sandbox = await startSandbox({ latencyMs: LATENCY_MS, rateLimit: { limit: 1_000, windowMs: 60_000 }, seedMessages: 0 });
	const workflows = Object.values(setups).map(({ user, workflowId }) => {
		channels[user] = createChannels(sandbox, user, CHANNELS, `sends-${user}`);
		return sendsWorkflow({ id: workflowId, items: ITEMS, channelIds: channels[user]!, credential: userCredential(sandbox, user) });
	});
	n8n = await startN8nWithSends(
		Object.values(setups).map(({ user }) => userCredential(sandbox, user)),
		workflows,
	);
}, 20 * 60_000);

afterAll(async () => {
	if (process.env.PUMBLE_E2E_N8N_LOG) fs.writeFileSync(process.env.PUMBLE_E2E_N8N_LOG, n8n?.n8n.output() ?? '');
	await n8n?.stop();
	await sandbox?.close();
	await cleanupAll();
}, 60_000);

describe("the node's default error setting inside a real n8n", () => {
	it('1,500 sends over 10 channels: each exactly once, in item order per channel, different channels at the same time', async () => {
		const { user, workflowId } = setups.all;
		const executionId = await runWorkflow(n8n.rest, workflowId);
		const done = await executionEnd(n8n.rest, executionId);
		expect(done.error).toBeUndefined();
		expect(done.status).toBe('success');
		expect(done.output(SEND_NODE)).toHaveLength(ITEMS);

		const stored = storedItems(sandbox, channels[user]!);
		expect(stored).toHaveLength(ITEMS);
		expect(new Set(stored.map((m) => m.item)).size).toBe(ITEMS);
		channels[user]!.forEach((channelId, c) => expect(inChannel(channelId, user)).toEqual(laneOrder(c)));

		// From the sandbox's own record: some request to one channel arrived while one to another channel
		// was still unanswered (one after another, each would be answered before the next arrived).
		const sends = requestsOf(user).filter((e) => e.path === '/sendMessage' && e.status === 200);
		expect(sends).toHaveLength(ITEMS);
		const channelOf = (e: RequestLogEntry) => (e.body as { channelId: string }).channelId;
		const overlapping = sends.filter((e, i) => sends.some((other, j) => j < i && channelOf(other) !== channelOf(e) && other.endTs > e.ts));
		expect(overlapping.length).toBeGreaterThan(ITEMS / 2);
		// ...while one channel never had two requests at once.
		for (const channelId of channels[user]!) {
			const mine = sends.filter((e) => channelOf(e) === channelId);
			mine.slice(1).forEach((e, k) => expect(e.ts).toBeGreaterThanOrEqual(mine[k].endTs));
		}
	}, 600_000);

	it('Stop during a 1,500-item run: canceled, no request reaches the sandbox 1 s after the stop, nothing stored twice', async () => {
		const { user, workflowId } = setups.stop;
		const executionId = await runWorkflow(n8n.rest, workflowId);
		const deadline = Date.now() + 300_000;
		while (storedItems(sandbox, channels[user]!).length < 100) {
			if (Date.now() > deadline) throw new Error(`the run never got to 100 messages: ${(await readExecution(n8n.rest, executionId)).status}`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		await n8n.rest.call('POST', `/executions/${executionId}/stop`);
		const stoppedAt = Date.now();

		const done = await executionEnd(n8n.rest, executionId);
		expect(done.status).toBe('canceled');
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		const count = storedItems(sandbox, channels[user]!).length;
		const requests = requestsOf(user);
		expect(Math.max(...requests.map((e) => e.ts)) - stoppedAt).toBeLessThanOrEqual(1_000);
		// the run did not get far: it was stopped, not finished
		expect(count).toBeLessThan(ITEMS);
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		expect(storedItems(sandbox, channels[user]!)).toHaveLength(count);
		expect(requestsOf(user)).toHaveLength(requests.length);

		const stored = storedItems(sandbox, channels[user]!);
		expect(new Set(stored.map((m) => m.item)).size).toBe(stored.length);
		// each channel holds the start of its lane, in item order: nothing skipped, nothing twice
		channels[user]!.forEach((channelId, c) => {
			const mine = inChannel(channelId, user);
			expect(mine).toEqual(laneOrder(c).slice(0, mine.length));
		});
	}, 600_000);
});
