/**
 * Every Get Many of the catalogue gives the same flat objects in both hosts: the n8n node (through n8n-core's
 * WorkflowExecute) and the `pumble` node (in Node-RED's test runtime, one message per result), against one
 * sandbox over HTTP. Flat: each result is the object itself with its `id` at the top (a channel with its member
 * IDs in `users`, not Pumble's `{ channel, users }`). Channel Get gives the channel as Get Many does.
 */
import type { INodeParameters } from 'n8n-workflow';

import { CATALOGUE } from '../../core';
import { byId } from '../helpers/sandboxSuite';
import { collect, getNode, loadFlow, nodeRedSuite, type Message } from '../helpers/nodeRed';
import { runPumbleNode } from '../helpers/runNode';
import type { Sandbox } from '../../sandbox';

let sandbox: Sandbox;
nodeRedSuite((started) => (sandbox = started));

/** One operation in both hosts: the n8n node's parameters, and the Node-RED node's `msg.payload`. */
interface Case {
	n8n: Record<string, unknown>;
	nodeRed: Record<string, unknown>;
}
const cases = (ids: Sandbox['ids']): Record<string, Case> => ({
	'message.getAll': { n8n: { channel: byId(ids.general), returnAll: true, simplify: false }, nodeRed: { channel: ids.general, returnAll: true } },
	'message.getReplies': {
		n8n: { channel: byId(ids.random), messageId: ids.randomThreadRoot, returnAll: true, simplify: false },
		nodeRed: { channel: ids.random, messageId: ids.randomThreadRoot, returnAll: true },
	},
	'message.search': { n8n: { query: 'offsite', returnAll: true, simplify: false }, nodeRed: { query: 'offsite', returnAll: true } },
	'channel.getAll': { n8n: { returnAll: true }, nodeRed: { returnAll: true } },
	'scheduledMessage.getAll': { n8n: { returnAll: true }, nodeRed: { returnAll: true } },
	// Both hosts' default, from the catalogue entry: bots included.
	'user.getAll': { n8n: { returnAll: true, simplify: false }, nodeRed: { returnAll: true } },
	'userGroup.getAll': { n8n: { returnAll: true }, nodeRed: { returnAll: true } },
});
const getMany = Object.entries(CATALOGUE).flatMap(([resource, ops]) =>
	Object.entries(ops)
		.filter(([, entry]) => entry.many)
		.map(([operation]) => `${resource}.${operation}`),
);

async function inN8n(op: string, parameters: Record<string, unknown>): Promise<unknown[]> {
	const [resource, operation] = op.split('.');
	const result = await runPumbleNode({ parameters: { resource, operation, ...parameters } as INodeParameters, credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url } });
	if (result.error) throw result.error;
	return result.output.map((item) => item.json);
}

/** Runs each operation in one `pumble` node (resource and operation from the message) and collects its results. */
async function inNodeRed(runs: Array<[string, Record<string, unknown>]>): Promise<Record<string, unknown[]>> {
	await loadFlow(sandbox, [
		{ id: 'p1', type: 'pumble', pumble: 'cfg', resource: 'msg', operation: '', singleArray: true, wires: [['out']] },
		{ id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['out']] },
		{ id: 'out', type: 'helper' },
	]);
	const out = collect('out');
	const results: Record<string, unknown[]> = {};
	for (const [op, payload] of runs) {
		const [resource, operation] = op.split('.');
		getNode('p1').receive({ resource, operation, payload });
		const [msg] = (await out.next(out.messages.length + 1)).slice(-1) as Message[];
		if (msg.error) throw new Error(`${op}: ${msg.error.message}`);
		results[op] = msg.payload as unknown[];
	}
	return results;
}

describe('results in both hosts', () => {
	it('every Get Many gives the same flat objects in Node-RED as in n8n, each with its id at the top', async () => {
		const plan = cases(sandbox.ids);
		// One scheduled message, made through the API as another tool would, for the list to find.
		const scheduled = await fetch(`${sandbox.url}/createScheduledMessage`, {
			method: 'POST',
			headers: { ApiKey: sandbox.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ channelId: sandbox.ids.random, text: 'scheduled earlier', sendAt: Date.now() + 7_200_000 }),
		});
		expect(scheduled.status).toBe(200);
		expect(Object.keys(plan).sort()).toEqual([...getMany].sort()); // every Get Many of the catalogue
		const nodeRed = await inNodeRed(Object.entries(plan).map(([op, c]) => [op, c.nodeRed]));
		for (const [op, c] of Object.entries(plan)) {
			const n8n = await inN8n(op, c.n8n);
			expect({ op, some: n8n.length > 0 }).toEqual({ op, some: true });
			for (const result of n8n) expect({ op, id: typeof (result as { id?: unknown }).id }).toEqual({ op, id: 'string' });
			expect({ op, results: nodeRed[op] }).toEqual({ op, results: n8n });
		}
		const [general] = nodeRed['channel.getAll'].filter((c) => (c as { id: string }).id === sandbox.ids.general);
		expect(general).toMatchObject({ id: sandbox.ids.general, name: 'general', channelType: 'PUBLIC', users: expect.arrayContaining([sandbox.ids.ada]) });
		expect(general).not.toHaveProperty('channel');
	});

	it('Channel Get gives the channel as Get Many does, in both hosts', async () => {
		const nodeRed = await inNodeRed([['channel.get', { channel: 'leadership' }], ['channel.getAll', {}]]);
		const [n8n] = await inN8n('channel.get', { channel: byId(sandbox.ids.leadership) });
		expect(nodeRed['channel.get']).toEqual(n8n);
		expect(nodeRed['channel.get']).toEqual(nodeRed['channel.getAll'].find((c) => (c as { id: string }).id === sandbox.ids.leadership));
		expect(n8n).toMatchObject({ id: sandbox.ids.leadership, name: 'leadership', users: [sandbox.ids.ada, sandbox.ids.bob] });
	});
});
