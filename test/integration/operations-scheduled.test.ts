/**
 * Scheduled messages (Create, Get, Get Many, Update, Delete), run through n8n-core's WorkflowExecute
 * (test/helpers/runNode) against the Pumble sandbox over real HTTP: what the sandbox received, the output
 * items, the sandbox's scheduled messages afterwards, and one bad input each.
 *
 * Every test uses its own API key for Ada, so the node's per-key caches start empty; the rate limiter's
 * one-off GET /myInfo for a new key is left out of `calls()`.
 */
import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { byId, byName, expectNodeError, expectOk, jsonOf, sandboxSuite, type Sandbox } from '../helpers/sandboxSuite';

const HEX24 = /^[0-9a-f]{24}$/;
const HOUR = 3_600_000;

const scheduledById = (id: string) => sandbox.state.scheduled.find((s) => s.id === id);
/** A future instant on a whole second, as an ISO string and as epoch ms. */
const inHours = (hours: number) => {
	const ms = Math.floor((Date.now() + hours * HOUR) / 1000) * 1000;
	return { ms, iso: new Date(ms).toISOString() };
};

const create = (extra: IDataObject) => ({ resource: 'scheduledMessage', operation: 'create', channel: byId(sandbox.ids.general), text: 'Later', ...extra });

/** Schedules through the node, then forgets the requests it took, so a test sees only its own. */
async function schedule(channelId: string, text: string, hours: number, options: IDataObject = {}): Promise<string> {
	const result = await run(create({ channel: byId(channelId), text, sendAt: inHours(hours).iso, options }));
	expectOk(result);
	sandbox.log.length = 0;
	return jsonOf(result)[0].id as string;
}

const suite = sandboxSuite('ops-scheduled');
const { calls, run } = suite;
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = suite.sandbox;
});

// ------------------------------------------------------------------------------------------------ create

describe('scheduled message → create', () => {
	test('POST /createScheduledMessage with channelId, text and sendAt in epoch ms; the receipt is the item', async () => {
		const sendAt = inHours(2);
		const result = await run(create({ sendAt: sendAt.iso }));
		expectOk(result);
		expect(jsonOf(result)).toEqual([{ id: expect.stringMatching(HEX24), channelId: sandbox.ids.general }]);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({ method: 'POST', path: '/createScheduledMessage', status: 200 });
		expect(calls()[0].body).toEqual({ channelId: sandbox.ids.general, text: 'Later', sendAt: sendAt.ms });
		expect(scheduledById(jsonOf(result)[0].id as string)).toMatchObject({ channelId: sandbox.ids.general, text: 'Later', sendAt: sendAt.ms, recurrence: null });
	});

	test('every option: thread reply also sent to the channel, weekly recurrence ending after 5 or on a date, blocks', async () => {
		const sendAt = inHours(3);
		const endDate = inHours(24 * 60);
		const blocks = [{ type: 'rich_text', elements: [] }];
		const result = await run(
			create({
				channel: byName('random'),
				sendAt: sendAt.iso,
				options: {
					threadRootId: sandbox.ids.randomThreadRoot,
					alsoSendToChannel: true,
					recurrence: { rule: { type: 'WEEKLY', endAfterOccurrences: 5, endDate: endDate.iso } },
					blocks: JSON.stringify(blocks),
				},
			}),
		);
		expectOk(result);
		expect(calls().map((entry) => entry.path)).toEqual(['/listChannels', '/createScheduledMessage']);
		expect(calls('/createScheduledMessage')[0].body).toEqual({
			channelId: sandbox.ids.random,
			text: 'Later',
			sendAt: sendAt.ms,
			threadRootId: sandbox.ids.randomThreadRoot,
			alsoSendToChannel: true,
			recurrence: { recurrenceType: 'WEEKLY', endAfterOccurrences: 5, endDate: endDate.ms },
			blocks,
		});
		expect(scheduledById(jsonOf(result)[0].id as string)).toMatchObject({
			threadRootId: sandbox.ids.randomThreadRoot,
			recurrence: { recurrenceType: 'WEEKLY', endAfterOccurrences: 5, endDate: endDate.ms },
		});
	});

	test('"End After" 0 means no limit: only the type is sent', async () => {
		const result = await run(create({ sendAt: inHours(1).iso, options: { recurrence: { rule: { type: 'BUSINESSDAYS', endAfterOccurrences: 0, endDate: '' } } } }));
		expectOk(result);
		expect((calls()[0].body as IDataObject).recurrence).toEqual({ recurrenceType: 'BUSINESSDAYS' });
	});

	test('a date without an offset is read in the workflow\'s time zone', async () => {
		const result = await run(create({ sendAt: '2031-01-15T09:30:00' }), { timezone: 'Europe/Belgrade' });
		expectOk(result);
		expect((calls()[0].body as IDataObject).sendAt).toBe(Date.UTC(2031, 0, 15, 8, 30));
	});

	test('a time in the past: NodeOperationError; nothing is sent', async () => {
		const result = await run(create({ sendAt: new Date(Date.now() - HOUR).toISOString() }));
		expectNodeError(result, NodeOperationError, /is in the past/);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ get

describe('scheduled message → get', () => {
	test('GET /fetchScheduledMessage?scheduledMessageId; the scheduled message is the item', async () => {
		const id = await schedule(sandbox.ids.general, 'Fetch me', 4);
		const result = await run({ resource: 'scheduledMessage', operation: 'get', scheduledMessageId: id });
		expectOk(result);
		expect(calls()).toEqual([expect.objectContaining({ method: 'GET', path: '/fetchScheduledMessage', query: { scheduledMessageId: id } })]);
		expect(jsonOf(result)).toEqual([expect.objectContaining({ id, channelId: sandbox.ids.general, text: 'Fetch me', sendAt: scheduledById(id)?.sendAt })]);
	});

	test('an ID that is not one: NodeOperationError; nothing is sent', async () => {
		const result = await run({ resource: 'scheduledMessage', operation: 'get', scheduledMessageId: 'tomorrow' });
		expectNodeError(result, NodeOperationError, /"tomorrow" is not a valid Pumble scheduled message ID/);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ getAll

describe('scheduled message → get many', () => {
	const getAll = (extra: IDataObject) => ({ resource: 'scheduledMessage', operation: 'getAll', ...extra });

	test('all of them, or those of one channel (filters.channel → channelId)', async () => {
		const a = await schedule(sandbox.ids.general, 'A', 1);
		const b = await schedule(sandbox.ids.random, 'B', 2);
		const c = await schedule(sandbox.ids.general, 'C', 3);

		const all = await run(getAll({ returnAll: true }));
		expectOk(all);
		expect(jsonOf(all).map((json) => json.id)).toEqual([a, b, c]);
		expect(calls('/fetchScheduledMessages')[0].query).toEqual({ limit: '100' });

		sandbox.log.length = 0;
		const general = await run(getAll({ limit: 10, filters: { channel: byId(sandbox.ids.general) } }));
		expectOk(general);
		expect(jsonOf(general).map((json) => json.id)).toEqual([a, c]);
		expect(calls()).toEqual([expect.objectContaining({ path: '/fetchScheduledMessages', query: { channelId: sandbox.ids.general, limit: '10' } })]);
	});

	test('Return All over 250 pages on hasMore and returns each once; a limit stops early', async () => {
		for (let n = 0; n < 250; n++) {
			sandbox.state.scheduled.push({
				id: `6652${n.toString(16).padStart(20, '0')}`,
				seq: 10_000 + n,
				channelId: sandbox.ids.general,
				author: sandbox.ids.ada,
				text: `bulk ${n}`,
				sendAt: Date.now() + HOUR + n * 1000,
				blocks: null,
				threadRootId: null,
				alsoSendToChannel: false,
				recurrence: null,
			});
		}
		const all = await run(getAll({ returnAll: true }));
		expectOk(all);
		const ids = jsonOf(all).map((json) => json.id);
		expect(ids).toHaveLength(250);
		expect(new Set(ids).size).toBe(250);
		expect(calls('/fetchScheduledMessages')).toHaveLength(3);

		sandbox.log.length = 0;
		const some = await run(getAll({ limit: 120 }));
		expectOk(some);
		expect(jsonOf(some)).toHaveLength(120);
		expect(calls('/fetchScheduledMessages')).toHaveLength(2);
	});

	test('a channel filter that is not an ID: NodeOperationError; nothing is sent', async () => {
		const result = await run(getAll({ returnAll: true, filters: { channel: byId('general') } }), {});
		expectNodeError(result, NodeOperationError, /"general" is not a valid Pumble channel ID/);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ update

describe('scheduled message → update', () => {
	const update = (scheduledMessageId: unknown, updateFields: IDataObject) => ({
		resource: 'scheduledMessage',
		operation: 'update',
		scheduledMessageId,
		updateFields,
	});

	test('only the text: read first, then POST /editScheduledMessage with the unchanged channel and time', async () => {
		const id = await schedule(sandbox.ids.general, 'Old', 5, { recurrence: { rule: { type: 'DAILY' } } });
		const before = scheduledById(id)!;
		const result = await run(update(id, { text: 'New' }));
		expectOk(result);
		expect(calls().map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /fetchScheduledMessage', 'POST /editScheduledMessage']);
		expect(calls('/editScheduledMessage')[0].body).toEqual({
			scheduledMessageId: id,
			channelId: sandbox.ids.general,
			text: 'New',
			sendAt: before.sendAt,
			recurrence: { recurrenceType: 'DAILY', endAfterOccurrences: null, endDate: null },
		});
		expect(jsonOf(result)).toEqual([expect.objectContaining({ id, text: 'New', channelId: sandbox.ids.general, sendAt: before.sendAt })]);
	});

	test('move it and change its time and recurrence', async () => {
		const id = await schedule(sandbox.ids.general, 'Move me', 5);
		const sendAt = inHours(7);
		const result = await run(
			update(id, { channel: byName('random'), sendAt: sendAt.iso, recurrence: { rule: { type: 'MONTHLY_LAST_WEEKDAY', endAfterOccurrences: 3 } } }),
		);
		expectOk(result);
		expect(calls('/editScheduledMessage')[0].body).toEqual({
			scheduledMessageId: id,
			channelId: sandbox.ids.random,
			text: 'Move me',
			sendAt: sendAt.ms,
			recurrence: { recurrenceType: 'MONTHLY_LAST_WEEKDAY', endAfterOccurrences: 3 },
		});
		expect(scheduledById(id)).toMatchObject({ channelId: sandbox.ids.random, sendAt: sendAt.ms, recurrence: { recurrenceType: 'MONTHLY_LAST_WEEKDAY' } });
	});

	test('"Does Not Repeat": the edit sends recurrence null and the message stops repeating', async () => {
		const id = await schedule(sandbox.ids.general, 'Weekly', 5, { recurrence: { rule: { type: 'WEEKLY' } } });
		expect(scheduledById(id)).toMatchObject({ recurrence: { recurrenceType: 'WEEKLY' } });
		const result = await run(update(id, { recurrence: { rule: { type: 'none' } } }));
		expectOk(result);
		expect(calls('/editScheduledMessage')[0].body).toHaveProperty('recurrence', null);
		expect(scheduledById(id)).toMatchObject({ recurrence: null });
	});

	test('nothing to update: NodeOperationError naming "Update Fields"; nothing is sent', async () => {
		const id = await schedule(sandbox.ids.general, 'Untouched', 5);
		const result = await run(update(id, {}));
		expectNodeError(result, NodeOperationError, /Nothing to update/);
		expect((result.error as NodeOperationError).description).toMatch(/Add at least one field under "Update Fields": Channel, Text, Send At or Recurrence\./);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ delete

describe('scheduled message → delete', () => {
	const remove = (scheduledMessageId: unknown) => ({ resource: 'scheduledMessage', operation: 'delete', scheduledMessageId });

	test('DELETE /deleteScheduledMessage; the empty answer becomes { deleted: true }; it is gone', async () => {
		const id = await schedule(sandbox.ids.general, 'Cancel me', 5);
		const result = await run(remove(id.toUpperCase()));
		expectOk(result);
		expect(jsonOf(result)).toEqual([{ deleted: true, scheduledMessageId: id }]);
		expect(calls()).toEqual([expect.objectContaining({ method: 'DELETE', path: '/deleteScheduledMessage', query: { scheduledMessageId: id }, status: 200 })]);
		expect(scheduledById(id)).toBeUndefined();
	});

	test('one that is already gone: NodeApiError "Not found" from Pumble', async () => {
		const id = await schedule(sandbox.ids.general, 'Cancel me twice', 5);
		expectOk(await run(remove(id)));
		const again = await run(remove(id));
		expectNodeError(again, NodeApiError, /deleteScheduledMessage failed \(HTTP 403.*Not found/);
	});
});
