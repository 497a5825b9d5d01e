/**
 * n8n's Retry of a failed and of a crashed execution, in a real n8n (`n8n start`, the package installed
 * from its packed tarball): Manual Trigger → Code (600 items, item i → channel i mod 10, text "item i")
 * → Pumble Message → Send in the node's default settings, run over REST as the editor runs it.
 * - Refusal, then Retry: item 300 goes to a private channel the key's user is not in; the execution fails
 *   and its error tells every item's fate in ranges; the user is added to the channel and the execution
 *   retried as the Executions list does (`POST /rest/executions/:id/retry`, "with original workflow").
 * - Crash, then Retry: n8n is killed (SIGKILL) after about 200 stored messages, started again on the same
 *   folder; the execution comes back crashed and is retried.
 * Each time every message exists exactly once afterwards, and the retry's output marks the items already
 * sent (`alreadySent: true`, the original message ID). Once with the receipts in files (n8n's default
 * single process), once in Redis (PUMBLE_RATE_LIMIT_REDIS_URL, a non-default setting).
 */
import { setTimeout as delay } from 'node:timers/promises';

import { startSandbox, type KeyUser, type Sandbox } from '../../sandbox';
import { Input } from '../../sandbox/validation';
import { cleanupAll, currentTarget, freePort, N8nRest, startN8n, startRedis, type RunningRedis, type WorkflowInput } from '../../scripts/lib/n8n';
import { createChannels, executionEnd, runWorkflow, SEND_NODE, sendsWorkflow, startN8nWithSends, storedItems, userCredential, type N8nWithSends } from '../../scripts/lib/n8nSends';

const ITEMS = 600;
const FAILING = 300;
const TIMEOUT = 30 * 60_000;
const OWNER = { email: 'owner@example.com', password: 'Sends-Passw0rd' };

let sandbox: Sandbox;
let redis: RunningRedis | undefined;

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.configure({ latencyMs: 30 });
}, TIMEOUT);

afterAll(async () => {
	await sandbox?.close();
	await redis?.stop();
	await cleanupAll();
});

/** Every item 0..count-1 stored exactly once in `channelIds`. */
function expectEachOnce(channelIds: string[]) {
	const counts = new Map<number, number>();
	for (const { item } of storedItems(sandbox, channelIds)) counts.set(item, (counts.get(item) ?? 0) + 1);
	const wrong = [...Array(ITEMS).keys()].filter((i) => counts.get(i) !== 1).map((i) => `item ${i}: ${counts.get(i) ?? 0}×`);
	expect(wrong).toEqual([]);
}

async function retry(rest: N8nRest, executionId: string) {
	const answer = await rest.call<{ id: string }>('POST', `/executions/${executionId}/retry`, { loadWorkflow: false });
	return await executionEnd(rest, answer.id);
}

/** The retry's output: which items came back already sent, and their IDs are the stored messages'. */
function expectRetryOutput(output: Array<Record<string, unknown>>, channelIds: string[], sentBefore: Set<number>) {
	expect(output).toHaveLength(ITEMS);
	const stored = new Map(sandbox.state.messages.filter((m) => channelIds.includes(m.channelId)).map((m) => [m.text, m.id]));
	const already = output.flatMap((json, i) => (json.alreadySent === true ? [i] : []));
	expect(new Set(already)).toEqual(sentBefore);
	output.forEach((json, i) => expect(json.id).toBe(stored.get(`item ${i}`)));
}

/** The workflow with item `item` sent to `channelId` instead (the Code node's items, changed in one place). */
function withItemTo(workflow: WorkflowInput, item: number, channelId: string): WorkflowInput {
	const code = (workflow.nodes as Array<{ name: string; parameters: Record<string, unknown> }>).find((node) => node.name === 'Items')!;
	const jsCode = String(code.parameters.jsCode);
	code.parameters = { ...code.parameters, jsCode: `const items = (() => {\n${jsCode}\n})();\nitems[${item}].json.channelId = ${JSON.stringify(channelId)};\nreturn items;` };
	return workflow;
}

/**
 * The workflow started by a production webhook instead (a crashed execution can only be retried when n8n
 * saved its start data, which it does for production runs, not for runs from the editor).
 */
function fromWebhook(workflow: WorkflowInput, webhookPath: string): WorkflowInput {
	const nodes = workflow.nodes as Array<Record<string, unknown>>;
	const trigger = nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger')!;
	const connections = workflow.connections as Record<string, unknown>;
	const next = connections[trigger.name as string];
	delete connections[trigger.name as string];
	Object.assign(trigger, {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: '00000000-0000-4000-8000-0000000000a9',
		parameters: { path: webhookPath, httpMethod: 'POST', responseMode: 'onReceived', options: {} },
	});
	connections.Webhook = next;
	return workflow;
}

/** Activates the workflow and calls its production webhook; resolves with the new execution's ID. */
async function startByWebhook(rest: N8nRest, port: number, workflowId: string, webhookPath: string): Promise<string> {
	const stored = await rest.call<{ versionId: string }>('GET', `/workflows/${workflowId}`);
	await rest.call('POST', `/workflows/${workflowId}/activate`, { versionId: stored.versionId });
	const deadline = Date.now() + 300_000;
	for (;;) {
		// n8n 2.41.1 registers the webhook shortly after the activate call returns: until then it answers 404
		const response = await fetch(`http://127.0.0.1:${port}/webhook/${webhookPath}`, { method: 'POST' });
		const body = await response.text();
		if (response.ok) break;
		if (response.status !== 404 || Date.now() > deadline) throw new Error(`webhook answered ${response.status}: ${body}`);
		await delay(1_000);
	}
	for (;;) {
		const list = await rest.call<{ results: Array<{ id: string }> }>('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
		if (list.results.length > 0) return list.results[0].id;
		if (Date.now() > deadline) throw new Error('the webhook started no execution');
		await delay(200);
	}
}

const cases: Array<[string, boolean]> = [
	['receipts in files (default)', false],
	['receipts in Redis (PUMBLE_RATE_LIMIT_REDIS_URL set)', true],
];

describe.each(cases)(`n8n ${currentTarget().n8n}, %s`, (_, withRedis) => {
	const user: KeyUser = withRedis ? 'bob' : 'ada';
	let n8n: N8nWithSends;
	let env: NodeJS.ProcessEnv = {};
	const refused = { channels: [] as string[], id: `e2eRetryRefused${withRedis ? 'R' : 'F'}` };
	const crash = { channels: [] as string[], id: `e2eRetryCrash${withRedis ? 'R' : 'F'}`, path: `pumble-retry-crash-${withRedis ? '01' : '02'}` };

	beforeAll(async () => {
		if (withRedis) {
			redis ??= await startRedis();
			env = { PUMBLE_RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${redis.port}` };
		}
		refused.channels = createChannels(sandbox, user, 10, `retry-refused-${user}`);
		crash.channels = createChannels(sandbox, user, 10, `retry-crash-${user}`);
		// item 300's channel: private, of another user, so Pumble refuses this user's message
		const owner = sandbox.state.userById(sandbox.ids[user === 'ada' ? 'carol' : 'ada'])!;
		const privateChannel = sandbox.state.createChannel(owner, Input.fromBody({ name: `retry-private-${user}`, type: 'PRIVATE' })).id;
		refused.channels.push(privateChannel);
		const credential = userCredential(sandbox, user);
		n8n = await startN8nWithSends(
			[credential],
			[
				withItemTo(sendsWorkflow({ id: refused.id, items: ITEMS, channelIds: refused.channels.slice(0, 10), credential }), FAILING, privateChannel),
				fromWebhook(sendsWorkflow({ id: crash.id, items: ITEMS, channelIds: crash.channels, credential }), crash.path),
			],
			env,
		);
	}, TIMEOUT);

	afterAll(async () => {
		await n8n?.stop();
	});

	test(
		'a refused item fails the execution with every item told; after the fix, Retry sends only what did not arrive',
		async () => {
			const executionId = await runWorkflow(n8n.rest, refused.id);
			const failed = await executionEnd(n8n.rest, executionId);
			expect(failed.status).toBe('error');
			const sentBefore = new Set(storedItems(sandbox, refused.channels).map((entry) => entry.item));
			expect(sentBefore.size).toBeGreaterThan(0);
			expect(sentBefore.has(FAILING)).toBe(false);
			// the error names the failing item and tells the sent ones in ranges
			const description = failed.errorDescription ?? '';
			expect(failed.error).toMatch(/403|not find|Forbidden/i);
			expect(description).toMatch(new RegExp(`Sent \\(${sentBefore.size}\\)`));
			expect(description).toMatch(new RegExp(`Failed, not sent \\(1\\): items ${FAILING}\\.`));
			expect(description).toMatch(/Never started \(\d+\)/);

			// the fix: the user joins the private channel
			const privateChannel = refused.channels[10];
			sandbox.state.addUsersToChannel(sandbox.state.userById(sandbox.ids[user === 'ada' ? 'carol' : 'ada'])!, Input.fromBody({ channelId: privateChannel, userIds: [sandbox.ids[user]] }));

			const retried = await retry(n8n.rest, executionId);
			expect(retried.status).toBe('success');
			expectEachOnce(refused.channels);
			expectRetryOutput(retried.output(SEND_NODE), refused.channels, sentBefore);
		},
		TIMEOUT,
	);

	test(
		'n8n killed (SIGKILL) after about 200 messages and started again: Retry of the crashed execution sends each message once',
		async () => {
			const executionId = await startByWebhook(n8n.rest, n8n.n8n.port, crash.id, crash.path);
			const deadline = Date.now() + 600_000;
			while (storedItems(sandbox, crash.channels).length < 200 && Date.now() < deadline) await delay(50);
			process.kill(-n8n.n8n.process.pid!, 'SIGKILL');
			await new Promise((resolve) => n8n.n8n.process.once('exit', resolve));
			await delay(2_000); // anything in flight has landed
			const sentBefore = new Set(storedItems(sandbox, crash.channels).map((entry) => entry.item));
			expect(sentBefore.size).toBeGreaterThanOrEqual(200);
			expect(sentBefore.size).toBeLessThan(ITEMS);

			const restarted = await startN8n(n8n.home, await freePort(), { env: { N8N_RUNNERS_MODE: 'internal', ...env } });
			n8n = { ...n8n, n8n: restarted, stop: async () => (await restarted.stop(), await n8n.home.cleanup()) };
			const rest = new N8nRest(restarted);
			await rest.login(OWNER.email, OWNER.password);
			const crashed = await executionEnd(rest, executionId);
			expect(crashed.status).toBe('crashed');

			const retried = await retry(rest, executionId);
			expect(retried.status).toBe('success');
			expectEachOnce(crash.channels);
			expectRetryOutput(retried.output(SEND_NODE), crash.channels, sentBefore);
		},
		TIMEOUT,
	);
});
