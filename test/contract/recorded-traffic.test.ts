/**
 * Contract test: every recorded exchange with the real Pumble API (../shared/pumble/recorded) is replayed
 * against the node. For each, the request the node sends matches the recorded one (method, path, query,
 * body fields) and the recorded response becomes the right output.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { runNode } from '../helpers/runNode';
import { loadRecordings, Recorded, ReplayServer, SeenRequest, splitPath } from './replay';

const arazzo = loadRecordings('arazzo-26-workflows.jsonl');
const searchWalk = loadRecordings('search-all-live.jsonl');

const CHANNEL = '000000000000000000000094';
const MESSAGE = '000000000000000000000115';
const SCHEDULED = '000000000000000000000116';
const USER_2 = '000000000000000000000004';
const USER_3 = '000000000000000000000005';
const REDACTED = '[redacted]';

const byId = (mode: 'id', value: string) => ({ __rl: true, mode, value });
const channel = byId('id', CHANNEL);

/** Recorded exchanges by operation path, in file order. */
function recorded(path: string, nth = 0, from: Recorded[] = arazzo): Recorded {
	const found = from.filter((r) => splitPath(r.request.path).path === path)[nth];
	if (!found) throw new Error(`no recording #${nth} of ${path}`);
	return found;
}

interface ContractCase {
	name: string;
	exchanges: Recorded[];
	parameters: INodeParameters;
	/** Request fields we send in addition to the recorded ones, on purpose (documented parameters). */
	extraBodyFields?: string[];
	/** Recorded request fields whose value differs on purpose. */
	differingBodyFields?: string[];
	/** Date.now() for validation ("sendAt must be in the future" was true when it was recorded). */
	now?: string;
	expectOutput(output: IDataObject[], error: Error | undefined): void;
}

const json = (r: Recorded) => JSON.parse(r.response.body) as unknown;

const cases: ContractCase[] = [
	{
		name: 'user getMe',
		exchanges: [recorded('/myInfo', 0)],
		parameters: { resource: 'user', operation: 'getMe', simplify: false },
		expectOutput: (out) => expect(out).toEqual([json(recorded('/myInfo', 0))]),
	},
	{
		name: 'user getMe (second recording, simplified)',
		exchanges: [recorded('/myInfo', 1)],
		parameters: { resource: 'user', operation: 'getMe' },
		expectOutput: (out) => expect(out[0]).toMatchObject({ id: '000000000000000000000001', name: 'User 1', email: 'user-1@example.invalid' }),
	},
	...[0, 1].map<ContractCase>((nth) => ({
		name: `channel getAll (recording ${nth + 1})`,
		exchanges: [recorded('/listChannels', nth)],
		parameters: { resource: 'channel', operation: 'getAll', returnAll: true },
		expectOutput: (out) => {
			const entries = json(recorded('/listChannels', nth)) as Array<{ channel: IDataObject; users: string[] }>;
			expect(out).toEqual(entries.map((entry) => ({ ...entry.channel, users: entry.users })));
		},
	})),
	{
		name: 'user getAll, all statuses and bots',
		exchanges: [recorded('/listUsers', 0)],
		parameters: { resource: 'user', operation: 'getAll', returnAll: true, simplify: false, filters: { includeBots: true } },
		expectOutput: (out) => expect(out).toEqual(json(recorded('/listUsers', 0))),
	},
	{
		name: 'user get (found in the user list)',
		exchanges: [recorded('/listUsers', 1)],
		parameters: { resource: 'user', operation: 'get', user: { __rl: true, mode: 'id', value: '000000000000000000000024' }, simplify: false },
		expectOutput: (out) => expect(out).toEqual([(json(recorded('/listUsers', 1)) as IDataObject[])[2]]),
	},
	...[0, 1].map<ContractCase>((nth) => ({
		name: `message send (recording ${nth + 1})`,
		exchanges: [recorded('/sendMessage', nth)],
		parameters: { resource: 'message', operation: 'send', channel, text: REDACTED },
		expectOutput: (out) => expect(out).toEqual([json(recorded('/sendMessage', nth))]),
	})),
	{
		name: 'scheduledMessage create (sendAt recorded as epoch ms)',
		exchanges: [recorded('/createScheduledMessage', 0)],
		now: recorded('/createScheduledMessage', 0).ts,
		parameters: { resource: 'scheduledMessage', operation: 'create', channel, text: REDACTED, sendAt: new Date(1779414421894).toISOString() },
		expectOutput: (out) => expect(out).toEqual([json(recorded('/createScheduledMessage', 0))]),
	},
	{
		name: 'scheduledMessage create (far future)',
		exchanges: [recorded('/createScheduledMessage', 1)],
		parameters: { resource: 'scheduledMessage', operation: 'create', channel, text: REDACTED, sendAt: '2030-01-01T00:00:00Z' },
		expectOutput: (out) => expect(out).toEqual([json(recorded('/createScheduledMessage', 1))]),
	},
	{
		name: 'channel get',
		exchanges: [recorded('/getChannel')],
		parameters: { resource: 'channel', operation: 'get', channel },
		expectOutput: (out) => {
			const entry = json(recorded('/getChannel')) as { channel: IDataObject; users: string[] };
			expect(out[0]).toMatchObject({ ...entry.channel, users: entry.users });
		},
	},
	{
		name: 'channel create',
		exchanges: [recorded('/createChannel')],
		parameters: { resource: 'channel', operation: 'create', name: 'sdk-livetest-redacted', type: 'public' },
		expectOutput: (out) => expect(out).toEqual([json(recorded('/createChannel'))]),
	},
	{
		name: 'message reply',
		exchanges: [recorded('/sendReply')],
		parameters: { resource: 'message', operation: 'reply', channel, messageId: MESSAGE, text: REDACTED },
		expectOutput: (out) => expect(out).toEqual([json(recorded('/sendReply'))]),
	},
	{
		name: 'message send to one user (dmUser)',
		exchanges: [recorded('/dmUser')],
		parameters: { resource: 'message', operation: 'send', sendTo: 'user', user: byId('id', USER_2), text: REDACTED },
		expectOutput: (out) => expect(out).toEqual([json(recorded('/dmUser'))]),
	},
	{
		name: 'message send to a group (dmGroup)',
		exchanges: [recorded('/dmGroup')],
		parameters: { resource: 'message', operation: 'send', sendTo: 'users', userIds: `${USER_2},${USER_3}`, text: REDACTED },
		expectOutput: (out) => expect(out).toEqual([json(recorded('/dmGroup'))]),
	},
	{
		name: 'message get',
		exchanges: [recorded('/fetchMessage')],
		parameters: { resource: 'message', operation: 'get', channel, messageId: MESSAGE, simplify: false },
		expectOutput: (out) => expect(out).toEqual([json(recorded('/fetchMessage'))]),
	},
	{
		name: 'message getReplies (envelope rewritten by the recorder: accepted)',
		exchanges: [recorded('/fetchThreadReplies')],
		parameters: { resource: 'message', operation: 'getReplies', channel, messageId: MESSAGE, returnAll: true },
		expectOutput: (out, error) => {
			expect(error).toBeUndefined();
			expect(out).toEqual([]);
		},
	},
	{
		name: 'message search (one page, default order)',
		exchanges: [recorded('/searchMessages')],
		parameters: { resource: 'message', operation: 'search', query: REDACTED, returnAll: false, limit: 10, simplify: false },
		// We always say which order we want ("newest" is the node's default); the recording used the API default.
		extraBodyFields: ['strategy'],
		expectOutput: (out) => expect(out).toEqual((json(recorded('/searchMessages')) as { content: IDataObject[] }).content),
	},
	{
		name: 'message getAll, Return All (one page, no more before)',
		exchanges: [recorded('/listMessages', 0)],
		parameters: { resource: 'message', operation: 'getAll', channel, returnAll: true, simplify: false },
		expectOutput: (out) => expect(out).toEqual((json(recorded('/listMessages', 0)) as { messages: IDataObject[] }).messages),
	},
	{
		name: 'message getAll, Limit 50',
		exchanges: [recorded('/listMessages', 1)],
		parameters: { resource: 'message', operation: 'getAll', channel, returnAll: false, limit: 50, simplify: false },
		expectOutput: (out) => expect(out).toEqual((json(recorded('/listMessages', 1)) as { messages: IDataObject[] }).messages),
	},
	{
		name: 'reaction add',
		exchanges: [recorded('/addReaction')],
		parameters: { resource: 'reaction', operation: 'add', channel, messageId: MESSAGE, emoji: '👍' },
		expectOutput: (out) => expect(out[0]).toMatchObject({ status: 'ok' }),
	},
	{
		name: 'reaction remove',
		exchanges: [recorded('/removeReaction')],
		parameters: { resource: 'reaction', operation: 'remove', channel, messageId: MESSAGE, emoji: '+1' },
		expectOutput: (out) => expect(out[0]).toMatchObject({ status: 'ok' }),
	},
	{
		name: 'scheduledMessage getAll filtered by channel',
		exchanges: [recorded('/fetchScheduledMessages')],
		parameters: { resource: 'scheduledMessage', operation: 'getAll', returnAll: true, filters: { channel } },
		expectOutput: (out) => expect(out).toEqual((json(recorded('/fetchScheduledMessages')) as { scheduledMessages: IDataObject[] }).scheduledMessages),
	},
	{
		name: 'scheduledMessage get',
		exchanges: [recorded('/fetchScheduledMessage')],
		parameters: { resource: 'scheduledMessage', operation: 'get', scheduledMessageId: SCHEDULED },
		expectOutput: (out) => expect(out).toEqual([json(recorded('/fetchScheduledMessage'))]),
	},
	{
		name: 'scheduledMessage update: read, then edit with every required field',
		exchanges: [recorded('/fetchScheduledMessage'), recorded('/editScheduledMessage')],
		parameters: {
			resource: 'scheduledMessage',
			operation: 'update',
			scheduledMessageId: SCHEDULED,
			updateFields: { sendAt: '2030-01-01T00:00:00Z' },
		},
		expectOutput: (out) => expect(out).toEqual([json(recorded('/editScheduledMessage'))]),
	},
	{
		name: 'userGroup getAll',
		exchanges: [recorded('/listUserGroups')],
		parameters: { resource: 'userGroup', operation: 'getAll', returnAll: true },
		expectOutput: (out) => expect(out).toEqual(json(recorded('/listUserGroups'))),
	},
	{
		name: 'message update (empty 200 body → a success item)',
		exchanges: [recorded('/editMessage')],
		parameters: { resource: 'message', operation: 'update', channel, messageId: MESSAGE, text: REDACTED },
		expectOutput: (out) => expect(out[0]).toMatchObject({ success: true, messageId: MESSAGE }),
	},
	...[0, 1, 2, 3].map<ContractCase>((nth) => {
		const exchange = recorded('/deleteMessage', nth);
		const messageId = splitPath(exchange.request.path).query.messageId;
		return {
			name: `message delete (recording ${nth + 1})`,
			exchanges: [exchange],
			parameters: { resource: 'message', operation: 'delete', channel, messageId },
			expectOutput: (out) => expect(out).toEqual([{ deleted: true, messageId }]),
		};
	}),
	{
		name: 'scheduledMessage delete',
		exchanges: [recorded('/deleteScheduledMessage', 0)],
		parameters: { resource: 'scheduledMessage', operation: 'delete', scheduledMessageId: SCHEDULED },
		expectOutput: (out) => expect(out[0]).toMatchObject({ deleted: true, scheduledMessageId: SCHEDULED }),
	},
	{
		name: 'scheduledMessage delete again: 403 {code 404100} becomes a clear "not found" error',
		exchanges: [recorded('/deleteScheduledMessage', 1)],
		parameters: { resource: 'scheduledMessage', operation: 'delete', scheduledMessageId: SCHEDULED },
		expectOutput: (out, error) => {
			expect(out).toEqual([]);
			expect(error?.constructor.name).toBe('NodeApiError');
			expect(error?.message).toMatch(/Not found/);
			expect(error?.message).toMatch(/404100/);
			expect((error as Error & { description?: string }).description).toMatch(/could not find it/i);
		},
	},
	{
		name: 'channel addUsers (empty 200 body)',
		exchanges: [recorded('/addUsersToChannel')],
		parameters: { resource: 'channel', operation: 'addUsers', channel, userIds: [USER_2] },
		expectOutput: (out) => expect(out[0]).toMatchObject({ success: true }),
	},
	{
		name: 'channel removeUser (empty 200 body)',
		exchanges: [recorded('/removeUserFromChannel')],
		parameters: { resource: 'channel', operation: 'removeUser', channel, user: byId('id', USER_2) },
		expectOutput: (out) => expect(out[0]).toMatchObject({ success: true }),
	},
	{
		name: 'user setStatus (empty 200 body)',
		exchanges: [recorded('/customStatus')],
		parameters: { resource: 'user', operation: 'setStatus', emoji: ':coffee:', statusText: '', expiresAt: new Date(1893459600000).toISOString() },
		expectOutput: (out) => expect(out[0]).toMatchObject({ success: true, emoji: ':coffee:', expiresAt: 1893459600000 }),
	},
	{
		name: 'search Return All walks pages by beforeTs = oldest − 1 (h1…h12)',
		exchanges: searchWalk.slice(0, 3),
		parameters: { resource: 'message', operation: 'search', query: REDACTED, returnAll: true, simplify: false },
		// Pages of 20 (the API's maximum: fewer requests) where the recording used 5; always newest first.
		extraBodyFields: ['strategy'],
		differingBodyFields: ['limit'],
		expectOutput: (out) => expect(out.map((m) => m.id)).toEqual(Array.from({ length: 12 }, (_, i) => `h${i + 1}`)),
	},
	{
		name: 'search with a Limit of 2: one request',
		exchanges: [searchWalk[3]],
		parameters: { resource: 'message', operation: 'search', query: REDACTED, returnAll: false, limit: 2, simplify: false },
		extraBodyFields: ['strategy'],
		expectOutput: (out) => expect(out.map((m) => m.id)).toEqual(['p1', 'p2']),
	},
	{
		name: 'search Return All walks pages by beforeTs (p1…p6)',
		exchanges: searchWalk.slice(4, 7),
		parameters: { resource: 'message', operation: 'search', query: REDACTED, returnAll: true, simplify: false },
		extraBodyFields: ['strategy'],
		differingBodyFields: ['limit'],
		expectOutput: (out) => expect(out.map((m) => m.id)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']),
	},
];

function expectSameRequest(seen: SeenRequest, exchange: Recorded, contract: ContractCase): void {
	const want = splitPath(exchange.request.path);
	expect(`${seen.method} ${seen.path}`).toBe(`${exchange.request.method} ${want.path}`);
	expect(seen.query).toEqual(want.query);
	expect(seen.apiKeyHeader).toBeDefined();
	const recordedBody = exchange.request.body;
	if (recordedBody === undefined) {
		expect(seen.body).toBeUndefined();
		return;
	}
	const sent = (seen.body ?? {}) as Record<string, unknown>;
	for (const [field, value] of Object.entries(recordedBody)) {
		expect(sent).toHaveProperty([field]);
		if (value === REDACTED && field !== 'text') continue; // sanitised by the recorder: only presence is known
		if (contract.differingBodyFields?.includes(field)) continue;
		expect({ [field]: sent[field] }).toEqual({ [field]: value });
	}
	const extra = Object.keys(sent).filter((field) => !(field in recordedBody));
	expect(extra.sort()).toEqual([...(contract.extraBodyFields ?? [])].filter((field) => field in sent).sort());
}

describe('requests and outputs match the recorded real Pumble traffic', () => {
	const identity = arazzo.find((r) => r.request.path === '/myInfo')!;
	const replay = new ReplayServer(identity);
	const covered = new Set<Recorded>();

	beforeAll(() => replay.start());
	afterAll(() => replay.stop());
	afterEach(() => jest.useRealTimers());

	it.each(cases.map((c, n) => [c.name, c, n] as const))('%s', async (_name, contract, n) => {
		if (contract.now) {
			// Only Date is faked: sockets and timers stay real.
			jest.useFakeTimers({
				now: Date.parse(contract.now),
				doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'],
			});
		}
		replay.play(contract.exchanges);
		const result = await runNode({
			parameters: contract.parameters,
			// A key per case: the short-lived list caches of one key must not serve another case.
			credentials: { apiKey: `contract-key-${n}`, baseUrl: replay.url },
		});
		expect(replay.remaining).toBe(0);
		expect(replay.seen).toHaveLength(contract.exchanges.length);
		contract.exchanges.forEach((exchange, i) => {
			expectSameRequest(replay.seen[i], exchange, contract);
			covered.add(exchange);
		});
		contract.expectOutput(
			result.output.map((item: INodeExecutionData) => item.json),
			result.error,
		);
		for (const item of result.output) expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('covers every recorded exchange', () => {
		const missing = [...arazzo, ...searchWalk].filter((r) => !covered.has(r)).map((r) => `${r.file}#${r.index} ${r.request.method} ${r.request.path}`);
		expect(missing).toEqual([]);
		expect(covered.size).toBe(43);
	});
});
