/**
 * Writes to one channel reach Pumble in input order however the channel is written — by name, by `#name`,
 * by ID — and whatever the write (messages and reactions interleaved), through the n8n node (n8n-core's
 * WorkflowExecute) and through the Node-RED node (node-red-node-test-helper), against the sandbox over HTTP.
 * The order is read from the sandbox's log: each write arrives after the previous one was answered.
 */
import type { Sandbox } from '../../sandbox';
import { collect, getNode, loadFlow, nodeRedSuite } from '../helpers/nodeRed';
import { sandboxSuite, type LogEntry } from '../helpers/sandboxSuite';

const COUNT = 16;

/** Item i: a message (text `item i`) or a reaction, to #general written one of three ways. */
function writes(sandbox: Sandbox): Array<{ resource: string; operation: string; channel: string; text?: string; messageId?: string; emoji?: string }> {
	const targets = sandbox.state.messages.filter((m) => m.channelId === sandbox.ids.general).map((m) => m.id);
	const forms = ['general', '#general', sandbox.ids.general];
	return Array.from({ length: COUNT }, (_, i) => {
		const channel = forms[i % 3];
		if (i % 4 === 1) return { resource: 'reaction', operation: 'add', channel, messageId: targets[i], emoji: '👍' };
		return { resource: 'message', operation: 'send', channel, text: `item ${i}` };
	});
}

/** The accepted writes in arrival order, each as its item index; and whether any two were at Pumble at once. */
function arrivals(sandbox: Sandbox, items: ReturnType<typeof writes>): { order: number[]; overlapping: number } {
	const entries = sandbox.log
		.filter((e: LogEntry) => (e.path === '/sendMessage' || e.path === '/addReaction') && e.status === 200)
		.sort((a, b) => a.ts - b.ts);
	const order = entries.map((e) => {
		const body = e.body as { text?: string; messageId?: string };
		return e.path === '/sendMessage' ? Number(/^item (\d+)$/.exec(String(body.text))?.[1]) : items.findIndex((item) => item.messageId === body.messageId);
	});
	const overlapping = entries.filter((e, k) => k > 0 && e.ts < entries[k - 1].endTs).length;
	return { order, overlapping };
}

const inputOrder = Array.from({ length: COUNT }, (_, i) => i);

describe('n8n: one channel by name, #name and ID, messages and reactions interleaved', () => {
	const suite = sandboxSuite('lanes-n8n');

	it('arrive in item order, one at a time', async () => {
		suite.sandbox.configure({ latencyMs: 15 });
		const items = writes(suite.sandbox);
		const result = await suite.run(
			{
				resource: '={{ $json.resource }}',
				operation: '={{ $json.operation }}',
				sendTo: 'channel',
				channel: '={{ $json.channel }}',
				text: '={{ $json.text }}',
				messageId: '={{ $json.messageId }}',
				emoji: '={{ $json.emoji }}',
				// With the resource and operation as expressions n8n shows (and requires) every operation's
				// fields; these two operations read none of the following.
				message: 'unused',
				name: 'unused',
				scheduledMessageId: 'unused',
				sendAt: '2030-01-01T00:00:00Z',
				user: 'unused',
				userIds: 'unused',
			},
			{ items },
		);
		expect(result.issues).toBeUndefined();
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(COUNT);
		expect(arrivals(suite.sandbox, items)).toEqual({ order: inputOrder, overlapping: 0 });
	});
});

describe('Node-RED: one channel by name, #name and ID, messages and reactions interleaved', () => {
	let sandbox: Sandbox;
	nodeRedSuite((started) => (sandbox = started));

	it('arrive in message order, one at a time', async () => {
		sandbox.configure({ latencyMs: 15 });
		await loadFlow(sandbox, [
			{ id: 'p1', type: 'pumble', pumble: 'cfg', resource: 'msg', wires: [['out']] },
			{ id: 'out', type: 'helper' },
		]);
		const out = collect('out');
		const items = writes(sandbox);
		for (const { resource, operation, ...payload } of items) getNode('p1').receive({ resource, operation, payload });
		await out.next(COUNT);
		expect(arrivals(sandbox, items)).toEqual({ order: inputOrder, overlapping: 0 });
	});
});
