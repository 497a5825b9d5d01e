/**
 * The Pumble Trigger inside a real n8n 2.8.4, installed from the packed tarball as a community package,
 * against the in-process sandbox:
 *
 * 1. `n8n execute --id` cannot run a workflow whose first node is a polling trigger: it starts only from
 *    a Manual Trigger (or Execute Workflow Trigger) and runs in mode `cli`, where n8n passes a poll
 *    node's input through instead of polling. Asserted below, so a change in n8n shows up here.
 * 2. Manual mode is what the editor does ("Test workflow" / "Fetch Test Event"): `n8n start`, then
 *    `POST /rest/workflows/:id/run` with `triggerToStartFrom` → WorkflowExecute.executePollNode in mode
 *    `manual` → the trigger returns the newest matching message as a sample.
 * 3. Production: the workflow is activated (the activation poll starts from now and emits nothing), a
 *    message arrives, the scheduled poll (every minute) starts an execution with it; n8n is stopped, a
 *    message arrives while it is down, and n8n's start-up activation emits exactly that one from the
 *    static data it had saved. A second workflow (Reaction Added) is active beside it: a reaction added
 *    before the restart starts it once, and the restart does not start it again.
 *
 * First run on a fresh machine installs n8n into ~/.cache/n8n-nodes-pumble (≈ 6 min). PUMBLE_KEEP_TMP=1
 * keeps the n8n home folder.
 */

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	cleanupAll,
	createN8nHome,
	currentTarget,
	ensureN8n,
	executeWorkflow,
	freePort,
	importCredentials,
	importWorkflow,
	N8nRest,
	packPackage,
	setupOwner,
	startN8n,
	type N8nHome,
	type RunningN8n,
	type WorkflowInput,
} from '../../scripts/lib/n8n';
import { nodeTypeOf } from '../../scripts/lib/packageName';
import { PUMBLE_CREDENTIALS, sandboxCredential } from '../../scripts/lib/workflows';

const SETUP_TIMEOUT = 20 * 60_000;
const WORKFLOW_ID = 'e2ePumbleTrigger1';
const REACTIONS_ID = 'e2ePumbleReactions1';
const TRIGGER = 'Pumble Trigger';
const RECEIVED = 'Received';
const OWNER = { email: 'owner@example.com', password: 'E2e-trigger-Passw0rd', firstName: 'E2E', lastName: 'Owner' };


let sandbox: Sandbox;
let home: N8nHome;
let n8n: RunningN8n | undefined;
let rest: N8nRest;

interface Execution {
	id: string;
	mode: string;
	status: string;
	items: Array<Record<string, unknown>>;
}

function workflow(channels: string[], event = 'newMessage', id = WORKFLOW_ID, nodeIds = ['a1', 'a2']): WorkflowInput {
	return {
		id,
		name: `E2E Pumble Trigger (${event})`,
		nodes: [
			{
				id: `00000000-0000-4000-8000-0000000000${nodeIds[0]}`,
				name: TRIGGER,
				type: nodeTypeOf('pumbleTrigger'),
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event, watch: 'selected', channels },
				credentials: PUMBLE_CREDENTIALS,
			},
			{ id: `00000000-0000-4000-8000-0000000000${nodeIds[1]}`, name: RECEIVED, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [TRIGGER]: { main: [[{ node: RECEIVED, type: 'main', index: 0 }]] } },
	};
}

async function start(): Promise<void> {
	n8n = await startN8n(home, await freePort());
	rest = new N8nRest(n8n);
	await rest.login(OWNER.email, OWNER.password);
}

async function execution(id: string, timeoutMs = 60_000): Promise<Execution> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = await rest.execution(id);
		if (found.status !== 'running' && found.status !== 'new' && found.status !== 'waiting') {
			const items = found.data?.resultData?.runData?.[RECEIVED]?.[0]?.data?.main?.[0]?.map((item) => item.json) ?? [];
			return { id, mode: found.mode, status: found.status, items };
		}
		if (Date.now() > deadline) throw new Error(`execution ${id} did not finish in time (status ${found.status})`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** Executions of the workflow in `mode`, oldest first. */
async function executions(mode: string, workflowId = WORKFLOW_ID): Promise<Array<{ id: string; status: string }>> {
	return (await rest.executions(workflowId)).filter((e) => e.mode === mode);
}

async function waitForExecutions(mode: string, count: number, timeoutMs: number, workflowId = WORKFLOW_ID): Promise<Execution[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = await executions(mode, workflowId);
		if (found.length >= count) return Promise.all(found.map((e) => execution(e.id)));
		if (Date.now() > deadline) throw new Error(`expected ${count} ${mode} execution(s), found ${found.length}`);
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

const listMessagesCalls = () => sandbox.log.filter((e) => e.path === '/listMessages');

beforeAll(async () => {
	await ensureN8n();
	const tgz = await packPackage();
	home = await createN8nHome(tgz);
	sandbox = await startSandbox();
	await importCredentials(home, [sandboxCredential(sandbox.apiKey, sandbox.url)]);
	await importWorkflow(home, workflow([sandbox.ids.general, sandbox.ids.random]));
	await importWorkflow(home, workflow([sandbox.ids.general], 'reactionAdded', REACTIONS_ID, ['b1', 'b2']));
}, SETUP_TIMEOUT);

afterAll(async () => {
	await n8n?.stop();
	await sandbox?.close();
	await home?.cleanup();
	await cleanupAll();
}, 60_000);

describe(`Pumble Trigger inside a real n8n ${currentTarget().n8n}`, () => {
	it('`n8n execute` does not run a workflow that starts with a polling trigger (manual mode needs the editor API)', async () => {
		const before = listMessagesCalls().length;
		const result = await executeWorkflow(home, WORKFLOW_ID, { allowFailure: true }).catch((error: Error) => error);
		// n8n looks for a Manual Trigger to start from and gives up without calling the trigger.
		const text = result instanceof Error ? result.message : `${result.stdout}\n${result.stderr}`;
		expect(text).toMatch(/Missing node to start execution|Execute Workflow Trigger/);
		expect(listMessagesCalls().length).toBe(before);
	}, 180_000);

	it('a manual run (the editor\'s "Test workflow") returns the newest matching message as a sample', async () => {
		const { general, random, bob, carol } = sandbox.ids;
		sandbox.postAs(bob, general, 'older sample candidate');
		const newest = sandbox.postAs(carol, random, 'the sample: newest matching message');
		sandbox.postAs(sandbox.ids.ada, general, "Ada's own message is not a sample");
		n8n = await startN8n(home, await freePort());
		await setupOwner(n8n, OWNER);
		rest = new N8nRest(n8n);
		await rest.login(OWNER.email, OWNER.password);
		const wf = await rest.call<Record<string, unknown>>('GET', `/workflows/${WORKFLOW_ID}`);
		const started = await rest.call<{ executionId: string }>('POST', `/workflows/${WORKFLOW_ID}/run`, {
			workflowData: wf,
			triggerToStartFrom: { name: TRIGGER },
		});
		const run = await execution(started.executionId);
		expect(run).toMatchObject({ mode: 'manual', status: 'success' });
		expect(run.items).toHaveLength(1);
		expect(run.items[0]).toMatchObject({ id: newest.id, channelId: random, text: 'the sample: newest matching message', author: carol });
		// the trigger read both channels with the ApiKey header; the key never appears in the output
		const reads = listMessagesCalls();
		expect(new Set(reads.map((e) => e.query.channelId))).toEqual(new Set([general, random]));
		expect(reads.every((e) => e.headerName === 'ApiKey')).toBe(true);
		expect(JSON.stringify(run)).not.toContain(sandbox.apiKey);
	}, 300_000);

	it('active: the activation emits nothing old; the scheduled poll emits a new message once, and a reaction once; after a restart the message that arrived meanwhile comes exactly once, the reaction not again', async () => {
		const { general, random, bob, carol } = sandbox.ids;
		const since = sandbox.log[sandbox.log.length - 1]?.seq ?? 0;
		for (const id of [WORKFLOW_ID, REACTIONS_ID]) {
			const wf = await rest.call<{ versionId: string }>('GET', `/workflows/${id}`);
			await rest.call('POST', `/workflows/${id}/activate`, { versionId: wf.versionId });
		}
		// the activation polls: one small read per channel (New Message), one page of the newest messages
		// (Reaction Added), nothing emitted (n8n 2.41.1 publishes the activation through an outbox that is
		// drained shortly after the call returns: wait for it). The minute's scheduled poll may come right
		// after it when the activation lands just before a minute boundary: New Message's reads AFTER its
		// cursor are that poll, and Reaction Added's scheduled poll reads the same page as its activation.
		const activationReads = () =>
			sandbox.log.filter((e) => e.seq > since && e.path === '/listMessages' && e.query.strategy !== 'AFTER');
		const shapes = () => [...new Set(activationReads().map((e) => `${e.query.channelId} ${e.query.limit}`))].sort();
		for (const until = Date.now() + 120_000; shapes().length < 3 && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 500));
		expect(shapes()).toEqual([`${general} 100`, `${general} 20`, `${random} 20`].sort());
		expect(await executions('trigger')).toHaveLength(0);
		expect(await executions('trigger', REACTIONS_ID)).toHaveLength(0);

		const first = sandbox.postAs(bob, general, 'first message for the active workflow');
		const [run1] = await waitForExecutions('trigger', 1, 150_000);
		expect(run1.status).toBe('success');
		expect(run1.items.map((m) => m.id)).toEqual([first.id]);

		// Carol reacts with her own key: the Reaction Added workflow starts once, with the reaction
		const reacted = await fetch(`${sandbox.url}/addReaction`, {
			method: 'POST',
			headers: { ApiKey: sandbox.keys.carol, 'content-type': 'application/json' },
			body: JSON.stringify({ channelId: general, messageId: first.id, reaction: ':tada:' }),
		});
		expect(reacted.status).toBe(200);
		const [reaction] = await waitForExecutions('trigger', 1, 150_000, REACTIONS_ID);
		expect(reaction.status).toBe('success');
		expect(reaction.items).toEqual([expect.objectContaining({ reaction: ':tada:', user: carol, messageId: first.id, channelId: general })]);

		// n8n goes down; a message arrives; n8n comes back and activates the workflow from its saved state
		await n8n!.stop();
		n8n = undefined;
		const meanwhile = sandbox.postAs(carol, random, 'arrived while n8n was down');
		await start();
		const runs = await waitForExecutions('trigger', 2, 150_000);
		expect(runs[1].status).toBe('success');
		expect(runs[1].items.map((m) => m.id)).toEqual([meanwhile.id]);
		// and nothing twice: the next scheduled poll finds nothing new (no third execution)
		const polls = () => sandbox.log.filter((e) => e.path === '/listMessages' && e.query.strategy === 'AFTER').length;
		const after = polls();
		const deadline = Date.now() + 90_000;
		while (polls() < after + 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(polls()).toBeGreaterThanOrEqual(after + 2);
		expect(await executions('trigger')).toHaveLength(2);
		// the reaction, seen again by every poll since (the restart's activation included), started nothing more
		expect(await executions('trigger', REACTIONS_ID)).toHaveLength(1);
	}, 600_000);
});
