/**
 * The `pumble` node's status tells what its messages wait for, in Node-RED's own runtime against the
 * sandbox: "waiting for rate limit (N held)" while the user's limiter holds a burst back (not only after a
 * 429), "sending (N)" otherwise, cleared when all are done. Node-RED's Status node sees what the editor shows under the node.
 */
import type { Sandbox } from '../../../sandbox';
import { collect, getNode, loadFlow, nodeRedSuite, type FlowNode, type Message } from '../../helpers/nodeRed';

let sandbox: Sandbox;
nodeRedSuite((started) => (sandbox = started));

const send = (id: string, channel: string): FlowNode => ({ id, type: 'pumble', pumble: 'cfg', resource: 'message', operation: 'send', channel, wires: [['out']] });
/** One Status node watching the given nodes (as the editor's Status node with "selected nodes"). */
const helpers = (...ids: string[]): FlowNode[] => [
	{ id: 'out', type: 'helper' },
	{ id: 'watch', type: 'status', scope: ids, wires: [['statuses']] },
	{ id: 'statuses', type: 'helper' },
];
const texts = (messages: Message[]) => messages.map((m) => m.status?.text ?? '');

describe('the status under the pumble node', () => {
	it('shows "waiting for rate limit (N held)" while the limiter holds a burst back, before any 429', async () => {
		// Requests/min 3: the key's identity (myInfo) and the first of a burst of five leave at once; the rest wait for the next minute.
		await loadFlow(sandbox, [send('p1', sandbox.ids.general), ...helpers('p1')], { requestsPerMinute: 3 });
		const out = collect('out');
		const statuses = collect('statuses');
		for (let i = 1; i <= 5; i++) getNode('p1').receive({ payload: `burst ${i}` });
		await out.next(1);
		const seen = async () => {
			while (!texts(statuses.messages).some((t) => t.startsWith('waiting for rate limit'))) await statuses.next();
		};
		await seen();
		const waiting = statuses.messages.find((m) => m.status?.text?.startsWith('waiting for rate limit'))!;
		const sent = sandbox.log.filter((e) => e.path === '/sendMessage').length;
		expect(sent).toBeLessThan(5);
		// N: the messages not finished when the status was set, at least those not sent yet
		expect(waiting.status).toMatchObject({ fill: 'yellow', shape: 'ring', text: expect.stringMatching(/^waiting for rate limit \([1-4] held\)$/) });
		expect(Number(/\((\d) held\)/.exec(waiting.status!.text!)![1])).toBeGreaterThanOrEqual(5 - sent);
		expect(sandbox.log.some((e) => e.status === 429)).toBe(false);
		expect(texts(statuses.messages)).toContain('sending (5)');
	});

	it('two flows on one Pumble user: while one bursts, the other\'s node shows "waiting: another flow is using this user\'s budget", the bursting one "waiting for rate limit"', async () => {
		// Requests/min 5 (its reserve for others rounds to 0): flow A's burst of eight takes the whole minute's budget.
		// A Status node sees only its own flow's nodes: one per flow, as a user would put them.
		const tab = (z: string, node: string): FlowNode[] => [
			{ id: z, type: 'tab', label: z },
			{ ...send(node, node === 'burst' ? sandbox.ids.general : sandbox.ids.random), z, wires: [[]] },
			{ id: `${z}-watch`, type: 'status', z, scope: [node], wires: [[`${z}-statuses`]] },
			{ id: `${z}-statuses`, type: 'helper', z },
		];
		await loadFlow(sandbox, [...tab('flow-a', 'burst'), ...tab('flow-b', 'alert')], { requestsPerMinute: 5 });
		const statusesOf = { burst: collect('flow-a-statuses'), alert: collect('flow-b-statuses') };
		const waits = (node: keyof typeof statusesOf) => texts(statusesOf[node].messages).filter((t) => t.startsWith('waiting'));
		const untilWaiting = async (node: keyof typeof statusesOf) => {
			while (waits(node).length === 0) await statusesOf[node].next();
		};
		for (let i = 1; i <= 8; i++) getNode('burst').receive({ payload: `burst ${i}` });
		await untilWaiting('burst');
		getNode('alert').receive({ payload: 'on-call alert' });
		await untilWaiting('alert');

		expect(waits('alert')).toEqual(["waiting: another flow is using this user's budget (1 held)"]);
		expect(waits('burst')[0]).toMatch(/^waiting for rate limit \([1-8] held\)$/);
		expect(statusesOf.alert.messages.find((m) => m.status?.text?.startsWith('waiting'))!.status).toMatchObject({ fill: 'yellow', shape: 'ring', source: { id: 'alert' } });
		expect(sandbox.log.filter((e) => e.path === '/sendMessage' && (e.body as { text?: string }).text === 'on-call alert')).toHaveLength(0); // it waits: the budget is spent
		expect(sandbox.log.some((e) => e.status === 429)).toBe(false);
	});

	it('a request that leaves at once never shows a wait; the status clears when all are done', async () => {
		await loadFlow(sandbox, [send('p1', 'general'), ...helpers('p1')]);
		const out = collect('out');
		const statuses = collect('statuses');
		for (let i = 1; i <= 3; i++) getNode('p1').receive({ payload: `quick ${i}` });
		await out.next(3);
		while ((statuses.messages.at(-1)?.status?.text ?? '') !== '') await statuses.next();
		expect(texts(statuses.messages).filter((t) => t.startsWith('waiting'))).toEqual([]);
		expect(texts(statuses.messages)).toContain('sending (3)');
	});
});
