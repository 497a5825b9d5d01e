/**
 * Queue mode in the n8n the harness chose (PUMBLE_N8N_VERSIONS): a main instance (`n8n start`) and a
 * worker (`n8n worker`), both with the package installed, sharing one Redis (n8n's QUEUE_BULL_REDIS_*),
 * as the README's queue-mode section sets them up. A production webhook call to the main instance
 * becomes a job in Redis; the worker runs the workflow with the Pumble node against the sandbox, and the
 * node's rate limiter joins the same Redis (Bottleneck's `b_*` keys) because n8n runs in queue mode.
 * Main and worker share one user folder here (SQLite; n8n warns that it wants PostgreSQL for scaling).
 */
import { setTimeout as delay } from 'node:timers/promises';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	cleanupAll,
	createN8nHome,
	currentTarget,
	ensureN8n,
	freePort,
	importCredentials,
	importWorkflow,
	N8nRest,
	packPackage,
	setupOwner,
	startN8n,
	startN8nWorker,
	startRedis,
	type RunningRedis,
	type WorkflowInput,
} from '../../scripts/lib/n8n';
import { PUMBLE_CREDENTIALS, PUMBLE_NODE_TYPE, sandboxCredential } from '../../scripts/lib/workflows';

const SETUP_TIMEOUT = 20 * 60_000;
const OWNER = { email: 'owner@example.com', password: 'E2e-queue-Passw0rd', firstName: 'E2E', lastName: 'Owner' };
const WORKFLOW_ID = 'e2eQueueMode01';
const WEBHOOK_PATH = 'pumble-queue-mode';

let sandbox: Sandbox;
let redis: RunningRedis;

function webhookWorkflow(): WorkflowInput {
	return {
		id: WORKFLOW_ID,
		name: 'Queue mode (Webhook → Pumble Get Me)',
		nodes: [
			{
				id: '00000000-0000-4000-8000-0000000000d1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '00000000-0000-4000-8000-0000000000d9',
				parameters: { path: WEBHOOK_PATH, httpMethod: 'GET', responseMode: 'lastNode', options: {} },
			},
			{
				id: '00000000-0000-4000-8000-0000000000d2',
				name: 'Get Me',
				type: PUMBLE_NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'user', operation: 'getMe' },
				credentials: PUMBLE_CREDENTIALS,
			},
		],
		connections: { Webhook: { main: [[{ node: 'Get Me', type: 'main', index: 0 }]] } },
	};
}

beforeAll(async () => {
	await ensureN8n();
	sandbox = await startSandbox();
	redis = await startRedis();
}, SETUP_TIMEOUT);

afterAll(async () => {
	await sandbox?.close();
	await redis?.stop();
	await cleanupAll();
});

test(
	`queue mode in n8n ${currentTarget().n8n}: a webhook call on main runs on the worker, and the node's limiter shares n8n's Redis`,
	async () => {
		const home = await createN8nHome(await packPackage(), {
			env: { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redis.port) },
		});
		await importCredentials(home, [sandboxCredential(sandbox.apiKey, sandbox.url)]);
		await importWorkflow(home, webhookWorkflow());

		// generous: on a shared 2-core machine a queue-mode start takes minutes
		const main = await startN8n(home, await freePort(), { readyTimeoutMs: 600_000 });
		const worker = await startN8nWorker(home, { readyTimeoutMs: 600_000 });
		await setupOwner(main, OWNER);
		const rest = new N8nRest(main);
		await rest.login(OWNER.email, OWNER.password);
		const wf = await rest.call<{ versionId: string }>('GET', `/workflows/${WORKFLOW_ID}`);
		await rest.call('POST', `/workflows/${WORKFLOW_ID}/activate`, { versionId: wf.versionId });
		expect(await redis.client.keys('b_*')).toEqual([]);

		sandbox.reset();
		// n8n 2.8.4 registers the webhook inside the activate call; 2.41.1 publishes through an outbox that
		// main drains shortly after: until then the production URL answers 404 "not registered"
		let response: Response;
		let body: string;
		const deadline = Date.now() + 300_000;
		for (;;) {
			response = await fetch(`http://127.0.0.1:${main.port}/webhook/${WEBHOOK_PATH}`);
			body = await response.text();
			if (response.status !== 404 || !/is not registered/.test(body) || Date.now() > deadline) break;
			await delay(1_000);
		}
		if (response.status !== 200) {
			throw new Error(`webhook answered ${response.status}: ${body}\n--- main ---\n${main.output().slice(-3000)}\n--- worker ---\n${worker.output().slice(-2000)}`);
		}
		const me = JSON.parse(body) as { id?: unknown };
		expect(sandbox.state.users.map((u) => u.id)).toContain(me.id);

		// the worker ran it, not main
		expect(worker.output()).toMatch(/Worker started execution \d+/);
		expect(main.output()).not.toMatch(/Worker started execution/);
		const calls = sandbox.log.filter((e) => !e.path.startsWith('/__sandbox'));
		expect(new Set(calls.map((e) => `${e.method} ${e.path} ${e.status}`))).toEqual(new Set(['GET /myInfo 200']));
		// n8n's own queue and the node's rate limiter in the same Redis
		expect((await redis.client.keys('bull:*')).length).toBeGreaterThan(0);
		expect((await redis.client.keys('b_*')).length).toBeGreaterThan(0);
		expect(JSON.stringify(await redis.client.keys('*'))).not.toContain(sandbox.apiKey);

		await worker.stop();
		await main.stop();
	},
	SETUP_TIMEOUT,
);
