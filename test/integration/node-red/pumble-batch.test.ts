/**
 * Node-RED: a batch marked `msg._pumbleBatch` resumes after a redeploy without sending twice (receipts in
 * files, as without Redis), in Node-RED's own test runtime against the sandbox over HTTP.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Sandbox } from '../../../sandbox';
import { collect, getNode, helper, loadFlow, nodeRedSuite, type FlowNode } from '../../helpers/nodeRed';

process.env.PUMBLE_RECEIPTS_DIR = mkdtempSync(join(tmpdir(), 'pumble-node-red-receipts-'));

let sandbox: Sandbox;
nodeRedSuite((started) => (sandbox = started));

const flow: FlowNode[] = [
	{ id: 'p1', type: 'pumble', pumble: 'cfg', resource: 'message', operation: 'send', channel: 'general', wires: [['out']] },
	{ id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
	{ id: 'out', type: 'helper' },
	{ id: 'caught', type: 'helper' },
];

/** The first `count` outputs; an error caught before them fails the test with its message (not a timeout). */
async function outputs(out: ReturnType<typeof collect>, caught: ReturnType<typeof collect>, count: number) {
	const failed = caught.next(1).then(([msg]) => {
		throw new Error(`a send failed: ${msg.error?.message}`);
	});
	return await Promise.race([out.next(count), failed]);
}
const COUNT = 30;
const stored = (prefix: string) => sandbox.state.messages.filter((m) => m.text?.startsWith(prefix)).map((m) => m.text);
const send = (batch: string | undefined, prefix: string) => {
	for (let i = 0; i < COUNT; i++) getNode('p1').receive({ payload: `${prefix} ${i}`, ...(batch ? { _pumbleBatch: batch } : {}) });
};

test('a batch cut by a redeploy, sent again under its key: each message once, the sent ones come back alreadySent', async () => {
	sandbox.configure({ latencyMs: 20 });
	await loadFlow(sandbox, flow);
	const first = collect('out');
	send('batch-1', 'resume');
	await outputs(first, collect('caught'), 10);
	await helper.unload(); // the redeploy: what is still queued is cancelled, never sent
	const before = stored('resume');
	expect(before.length).toBeGreaterThanOrEqual(10);
	expect(before.length).toBeLessThan(COUNT);

	await loadFlow(sandbox, flow);
	const second = collect('out');
	send('batch-1', 'resume');
	const results = await outputs(second, collect('caught'), COUNT);
	expect([...stored('resume')].sort()).toEqual(Array.from({ length: COUNT }, (_, i) => `resume ${i}`).sort());
	const already = results.filter((msg) => (msg.payload as { alreadySent?: boolean }).alreadySent === true).map((msg) => msg.payload as { id: string });
	expect(already).toHaveLength(before.length);
	const ids = new Map(sandbox.state.messages.map((m) => [m.id, m.text]));
	for (const receipt of already) expect(before).toContain(ids.get(receipt.id));
});

test('without a key, or under another key, the same messages are sent again (two runs, two sends)', async () => {
	await loadFlow(sandbox, flow);
	const out = collect('out');
	const caught = collect('caught');
	send('batch-a', 'twice');
	await outputs(out, caught, COUNT);
	send('batch-b', 'twice');
	send(undefined, 'twice');
	const results = await outputs(out, caught, 3 * COUNT);
	expect(stored('twice')).toHaveLength(3 * COUNT);
	expect(results.some((msg) => (msg.payload as { alreadySent?: boolean }).alreadySent)).toBe(false);
});
