/**
 * n8n's default error setting ("Stop Workflow"), through the node's execute() against the sandbox: items
 * run concurrently in their lanes, bad input sends nothing, a refusal stops new starts and tells what became
 * of every item.
 */
import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { Input } from '../../sandbox/validation';
import { byId, sandboxSuite, type LogEntry } from '../helpers/sandboxSuite';

const suite = sandboxSuite('default-setting');

const send = { resource: 'message', operation: 'send', sendTo: 'channel', channel: byId('={{ $json.channelId }}'), text: '={{ $json.text }}' };

function channels(count: number, owner: 'ada' | 'bob' = 'ada', type: 'PUBLIC' | 'PRIVATE' = 'PUBLIC'): string[] {
	const actor = suite.sandbox.state.userById(suite.sandbox.ids[owner])!;
	return Array.from({ length: count }, (_, c) => suite.sandbox.state.createChannel(actor, Input.fromBody({ name: `lane-${owner}-${c}`, type })).id);
}

/** Item i → channel i mod n, text "item i". */
function itemsOver(channelIds: string[], count: number): IDataObject[] {
	return Array.from({ length: count }, (_, i) => ({ channelId: channelIds[i % channelIds.length], text: `item ${i}` }));
}

const itemOf = (entry: LogEntry) => Number(/^item (\d+)$/.exec(String((entry.body as { text?: string })?.text))?.[1]);
/** "0–3, 7" → [0, 1, 2, 3, 7]. */
function expandRanges(text: string | undefined): number[] {
	if (!text) return [];
	return text.split(', ').flatMap((part) => {
		const [from, to] = part.split('–').map(Number);
		return Array.from({ length: (to ?? from) - from + 1 }, (_, k) => from + k);
	});
}

const accepted = () => suite.calls('/sendMessage').filter((entry) => entry.status === 200);

/** The most requests in flight at once at the sandbox among `entries` (arrival to answer). */
function maxOverlap(entries: LogEntry[]): number {
	const events = entries.flatMap((e) => [
		{ at: e.ts, delta: 1 },
		{ at: e.endTs, delta: -1 },
	]);
	events.sort((a, b) => a.at - b.at || a.delta - b.delta);
	let current = 0;
	let max = 0;
	for (const event of events) max = Math.max(max, (current += event.delta));
	return max;
}

describe('default error setting: items run in their lanes', () => {
	it('sends concurrently across conversations, one at a time and in item order within each', async () => {
		suite.sandbox.configure({ latencyMs: 20 });
		const channelIds = channels(5);
		const result = await suite.run(send, { items: itemsOver(channelIds, 100) });

		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual(Array.from({ length: 100 }, (_, i) => ({ item: i })));
		const sends = accepted();
		expect(sends).toHaveLength(100);
		// Several conversations at once...
		expect(maxOverlap(sends)).toBeGreaterThan(1);
		for (const channelId of channelIds) {
			const mine = sends.filter((entry) => (entry.body as { channelId: string }).channelId === channelId);
			// ...but never two requests of one conversation at once, and its messages stored in item order.
			expect(maxOverlap(mine)).toBe(1);
			const stored = suite.sandbox.state.messages.filter((m) => m.channelId === channelId).map((m) => m.text);
			expect(stored).toEqual(Array.from({ length: 20 }, (_, k) => `item ${channelIds.indexOf(channelId) + 5 * k}`));
		}
	});

	it('bad input in item 900 of 1,000 fails the node before anything is sent', async () => {
		const channelIds = channels(10);
		const items = itemsOver(channelIds, 1000);
		items[900] = { ...items[900], text: '   ' };
		const result = await suite.run(send, { items });

		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect((result.error as NodeOperationError).context.itemIndex).toBe(900);
		expect(result.error?.message).toMatch(/empty/);
		expect(suite.calls()).toEqual([]);
	});

	it('a malformed channel ID in a later item is caught before the first request too', async () => {
		const channelIds = channels(3);
		const items = itemsOver(channelIds, 50);
		items[37] = { ...items[37], channelId: 'not an id' };
		const result = await suite.run(send, { items });

		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect((result.error as NodeOperationError).context.itemIndex).toBe(37);
		expect(suite.calls()).toEqual([]);
	});

	it("a refusal from Pumble stops new items; the error tells every item's fate in ranges: sent (with IDs), failed, never started", async () => {
		suite.sandbox.configure({ latencyMs: 15 });
		const channelIds = channels(10);
		const [foreign] = channels(1, 'bob', 'PRIVATE'); // Ada is not a member: Pumble refuses her message
		const items = itemsOver(channelIds, 200);
		const failing = 40;
		items[failing] = { ...items[failing], channelId: foreign };
		const result = await suite.run(send, { items });

		expect(result.error).toBeInstanceOf(NodeApiError);
		expect((result.error as NodeApiError).context.itemIndex).toBe(failing);
		expect(result.output).toEqual([]);

		const sent = accepted();
		// Items behind the failing one in its lane never start; nor does any item after the node stopped.
		const sameLane = items.map((_, i) => i).filter((i) => i > failing && i % 10 === failing % 10);
		expect(sent.map(itemOf).filter((i) => sameLane.includes(i))).toEqual([]);
		expect(sent.length).toBeLessThan(items.length - 1);

		// The error tells every item's fate in ranges: sent (exactly what Pumble stored), failed, never started.
		const description = String((result.error as NodeApiError).description);
		const listed = (label: string) => expandRanges(new RegExp(`${label} \\(\\d+\\)[^:]*: items ([0-9–, ]+)`).exec(description)?.[1]);
		const sentItems = sent.map(itemOf).sort((a, b) => a - b);
		expect(listed('Sent')).toEqual(sentItems);
		expect(listed('Failed, not sent')).toEqual([failing]);
		expect(listed('Never started')).toEqual(items.map((_, i) => i).filter((i) => i !== failing && !sentItems.includes(i)));
		const stored = new Map(suite.sandbox.state.messages.map((m) => [m.text, m.id]));
		const ids = [...description.matchAll(/(\d+) → ([0-9a-f]{24})/g)];
		expect(ids.length).toBeGreaterThan(0);
		for (const [, item, id] of ids) expect(stored.get(`item ${item}`)).toBe(id);
	});
});
