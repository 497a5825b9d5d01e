/**
 * Bad input, table-driven, for every parameter of every operation of the Pumble node: empty, whitespace
 * only, too long, the wrong type from an expression, malformed IDs, an emoji that is not one, dates in the
 * past, group DMs of 1 or 9 people, unknown channel names, deleted messages.
 *
 * Each bad value arrives through an expression (`={{ $json.v }}`): a literal empty required field never
 * reaches the node (n8n refuses to start the run), so expressions are how bad values really arrive.
 *
 * What every row checks, through n8n-core's real ExecuteContext against the sandbox:
 * - the error names the item: its index in `context.itemIndex` and in the message ("[item 0]"), and a
 *   description saying what to do;
 * - with three bad items and "Continue On Fail", three error items, each naming its own item;
 * - `input` rows: the input alone shows the problem: a NodeOperationError, and the sandbox received no
 *   request at all;
 * - `lookup` rows (unknown channel names, unknown emails): the cached workspace lists tell: a
 *   NodeOperationError after reading only those lists, and nothing written;
 * - `notFound` rows (deleted messages, scheduled messages that do not exist): only Pumble can tell, and it
 *   answered: a NodeApiError whose message says "not found" and whose description says what to check.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeParameterResourceLocator, type INodeParameters } from 'n8n-workflow';

import { runNode, type RunNodeResult } from '../helpers/runNode';
import { sandboxSuite, type Sandbox } from '../helpers/sandboxSuite';

const suite = sandboxSuite('pumble-bad-input');
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = suite.sandbox;
});

// ------------------------------------------------------------------------------------------ values

const V = '={{ $json.v }}';
const rl = (mode: 'id' | 'name' | 'email' | 'list', value: unknown): INodeParameterResourceLocator => ({ __rl: true, mode, value: value as string });
const hex = (n: number) => 'a'.repeat(n);
const FUTURE = () => new Date(Date.now() + 86_400_000).toISOString();
const PAST = '2020-01-01T00:00:00Z';
const ONE_PERSON = () => [sandbox.ids.bob];
const NINE_PEOPLE = () => Array.from({ length: 9 }, (_, i) => `66500000000000000000ff${i.toString(16).padStart(2, '0')}`);

/** A value, or a function of the sandbox (IDs are known only once it runs). */
type Value = unknown | (() => unknown);
const valueOf = (value: Value): unknown => (typeof value === 'function' ? (value as () => unknown)() : value);

// The usual kinds of bad value for each kind of parameter.
const TEXT_BAD: Array<[string, Value]> = [
	['empty', ''],
	['whitespace only', '  \n\t '],
	['too long (10,001 characters)', 'x'.repeat(10_001)],
	['an object from an expression', { text: 'hello' }],
	['null from an expression', null],
];
const ID_BAD: Array<[string, Value]> = [
	['empty', ''],
	['whitespace only', '   '],
	['malformed (not hex)', 'not-an-id'],
	['too short', hex(23)],
	['too long', hex(25)],
	['an object from an expression', { id: 'x' }],
	['a number from an expression', 12345],
];
const EMOJI_BAD: Array<[string, Value]> = [
	['empty', ''],
	['whitespace only', '  '],
	['not an emoji (words)', 'thumbs up!'],
	['two emoji', '👍👍'],
	['an object from an expression', { code: ':+1:' }],
];

// ------------------------------------------------------------------------------------------ operations

/** Valid parameters of each operation; a row replaces one of them with the bad value. */
const BASE: Record<string, () => INodeParameters> = {
	'message.send': () => ({ resource: 'message', operation: 'send', channel: rl('id', sandbox.ids.general), text: 'hello' }),
	'message.send (user)': () => ({ resource: 'message', operation: 'send', sendTo: 'user', user: rl('id', sandbox.ids.bob), text: 'hello' }),
	'message.send (users)': () => ({ resource: 'message', operation: 'send', sendTo: 'users', userIds: [sandbox.ids.bob, sandbox.ids.carol], text: 'hello' }),
	'message.reply': () => ({ resource: 'message', operation: 'reply', channel: rl('id', sandbox.ids.random), messageId: sandbox.ids.randomThreadRoot, text: 'hello' }),
	'message.update': () => ({ resource: 'message', operation: 'update', channel: rl('id', sandbox.ids.random), messageId: sandbox.ids.randomThreadRoot, text: 'edited' }),
	'message.delete': () => ({ resource: 'message', operation: 'delete', channel: rl('id', sandbox.ids.random), messageId: sandbox.ids.randomThreadRoot }),
	'message.get': () => ({ resource: 'message', operation: 'get', channel: rl('id', sandbox.ids.random), messageId: sandbox.ids.randomThreadRoot }),
	'message.getAll': () => ({ resource: 'message', operation: 'getAll', channel: rl('id', sandbox.ids.general), returnAll: false, limit: 5 }),
	'message.getReplies': () => ({ resource: 'message', operation: 'getReplies', channel: rl('id', sandbox.ids.random), messageId: sandbox.ids.randomThreadRoot, returnAll: false, limit: 5 }),
	'message.search': () => ({ resource: 'message', operation: 'search', query: 'deploy', returnAll: false, limit: 5 }),
	'reaction.add': () => ({ resource: 'reaction', operation: 'add', channel: rl('id', sandbox.ids.random), messageId: sandbox.ids.randomThreadRoot, emoji: '+1' }),
	'reaction.remove': () => ({ resource: 'reaction', operation: 'remove', channel: rl('id', sandbox.ids.random), messageId: sandbox.ids.randomThreadRoot, emoji: '+1' }),
	'channel.create': () => ({ resource: 'channel', operation: 'create', name: 'fresh-room', type: 'public' }),
	'channel.get': () => ({ resource: 'channel', operation: 'get', channel: rl('id', sandbox.ids.general) }),
	'channel.getAll': () => ({ resource: 'channel', operation: 'getAll', returnAll: false, limit: 5 }),
	'channel.addUsers': () => ({ resource: 'channel', operation: 'addUsers', channel: rl('id', sandbox.ids.general), userIds: [sandbox.ids.bob] }),
	'channel.removeUser': () => ({ resource: 'channel', operation: 'removeUser', channel: rl('id', sandbox.ids.general), user: rl('id', sandbox.ids.bob) }),
	'scheduledMessage.create': () => ({ resource: 'scheduledMessage', operation: 'create', channel: rl('id', sandbox.ids.general), text: 'later', sendAt: FUTURE() }),
	'scheduledMessage.get': () => ({ resource: 'scheduledMessage', operation: 'get', scheduledMessageId: hex(24) }),
	'scheduledMessage.getAll': () => ({ resource: 'scheduledMessage', operation: 'getAll', returnAll: false, limit: 5 }),
	'scheduledMessage.update': () => ({ resource: 'scheduledMessage', operation: 'update', scheduledMessageId: hex(24), updateFields: { text: 'new' } }),
	'scheduledMessage.delete': () => ({ resource: 'scheduledMessage', operation: 'delete', scheduledMessageId: hex(24) }),
	'user.get': () => ({ resource: 'user', operation: 'get', user: rl('id', sandbox.ids.bob) }),
	'user.getAll': () => ({ resource: 'user', operation: 'getAll', returnAll: false, limit: 5 }),
	'user.getMe': () => ({ resource: 'user', operation: 'getMe' }),
	'user.setStatus': () => ({ resource: 'user', operation: 'setStatus', emoji: ':coffee:', statusText: 'Lunch' }),
	'userGroup.getAll': () => ({ resource: 'userGroup', operation: 'getAll', returnAll: false, limit: 5 }),
};

/** Where a bad value goes in the parameters. */
type Placement = (base: INodeParameters) => INodeParameters;
const at = (name: string): Placement => (base) => ({ ...base, [name]: V });
const atLocator = (name: string, mode: 'id' | 'name' | 'email'): Placement => (base) => ({ ...base, [name]: rl(mode, V) });
const inCollection = (collection: string, name: string): Placement => (base) => ({
	...base,
	[collection]: { ...((base[collection] as INodeParameters) ?? {}), [name]: V },
});

interface Row {
	operation: keyof typeof BASE;
	parameter: string;
	bad: string;
	value: Value;
	place: Placement;
	/** `input`: no request may be sent. `lookup`: only list reads. `notFound`: Pumble's "not found" as an API error. */
	kind: 'input' | 'lookup' | 'notFound';
	/** Prepares the workspace (e.g. deletes the message the row names). */
	before?: () => void;
}

const rows: Row[] = [];
const add = (operation: Row['operation'], parameter: string, place: Placement, values: Array<[string, Value]>, extra: Partial<Row> = {}) => {
	for (const [bad, value] of values) rows.push({ operation, parameter, bad, value, place, kind: 'input', ...extra });
};

const WITH_CHANNEL = ['message.send', 'message.reply', 'message.update', 'message.delete', 'message.get', 'message.getAll', 'message.getReplies', 'reaction.add', 'reaction.remove', 'channel.get', 'channel.addUsers', 'channel.removeUser', 'scheduledMessage.create'] as const;
const WITH_MESSAGE_ID = ['message.reply', 'message.update', 'message.delete', 'message.get', 'message.getReplies', 'reaction.add', 'reaction.remove'] as const;
const WITH_TEXT = ['message.send', 'message.send (user)', 'message.send (users)', 'message.reply', 'message.update', 'scheduledMessage.create'] as const;
const WITH_LIMIT = ['message.getAll', 'message.getReplies', 'message.search', 'channel.getAll', 'scheduledMessage.getAll', 'user.getAll', 'userGroup.getAll'] as const;

for (const operation of WITH_CHANNEL) {
	add(operation, 'channel (By ID)', atLocator('channel', 'id'), [
		['empty', ''],
		['whitespace only', '  '],
		['malformed (Slack-style)', 'C0123ABCD'],
		['too long', hex(30)],
		['an object from an expression', { id: 'x' }],
	]);
	add(operation, 'channel (By Name)', atLocator('channel', 'name'), [
		['empty', ''],
		['whitespace only', '   '],
	]);
	add(operation, 'channel (By Name)', atLocator('channel', 'name'), [['an unknown channel name', 'no-such-channel']], { kind: 'lookup' });
}
for (const operation of WITH_MESSAGE_ID) {
	add(operation, 'messageId', at('messageId'), ID_BAD);
	rows.push({
		operation,
		parameter: 'messageId',
		bad: 'a deleted message',
		value: () => sandbox.ids.randomThreadRoot,
		place: at('messageId'),
		kind: 'notFound',
		before: () => {
			const index = sandbox.state.messages.findIndex((m) => m.id === sandbox.ids.randomThreadRoot);
			sandbox.state.messages.splice(index, 1);
		},
	});
}
for (const operation of WITH_TEXT) add(operation, 'text', at('text'), TEXT_BAD);
for (const operation of WITH_LIMIT) {
	add(operation, 'limit', at('limit'), [
		['zero', 0],
		['negative', -5],
		['fractional', 2.5],
		['text from an expression', 'ten'],
	]);
}

// message.send: blocks, the people
add('message.send', 'options.blocks', inCollection('options', 'blocks'), [
	['not JSON', '[{"type": "rich_text",'],
	['JSON but not a list', '{"type": "rich_text"}'],
]);
add('message.send (user)', 'user (By ID)', atLocator('user', 'id'), ID_BAD.filter(([bad]) => bad !== 'a number from an expression'));
add('message.send (user)', 'user (By Email)', atLocator('user', 'email'), [
	['empty', ''],
	['not an email address', 'bob'],
]);
add('message.send (user)', 'user (By Email)', atLocator('user', 'email'), [['an unknown email', 'nobody@example.com']], { kind: 'lookup' });
add('message.send (users)', 'userIds', at('userIds'), [
	['a group DM with 1 person', ONE_PERSON],
	['a group DM with 9 people', NINE_PEOPLE],
	['empty list', []],
	['empty text', ''],
	['whitespace only', '  ,  '],
	['a malformed ID among good ones', () => [sandbox.ids.bob, 'U123']],
	['an object from an expression', { ids: [] }],
]);
// message.update: blocks
add('message.update', 'options.blocks', inCollection('options', 'blocks'), [['not JSON', '{oops']]);
// message.getAll: dates
add('message.getAll', 'filters.after', inCollection('filters', 'after'), [['not a date', 'last tuesday-ish']]);
add('message.getAll', 'filters.before', inCollection('filters', 'before'), [['not a date', 'soon']]);
rows.push({
	operation: 'message.getAll',
	parameter: 'filters.after / filters.before',
	bad: '"after" not before "before"',
	value: '2026-05-01T00:00:00Z',
	place: (base) => ({ ...base, filters: { after: V, before: '2026-04-01T00:00:00Z' } }),
	kind: 'input',
});
// message.search
add('message.search', 'query', at('query'), [
	['empty, with no filter', ''],
	['whitespace only, with no filter', '   '],
	['too long (501 characters)', 'q'.repeat(501)],
]);
add('message.search', 'filters.from', inCollection('filters', 'from'), [['a malformed user ID', 'U123']]);
add('message.search', 'filters.in', inCollection('filters', 'in'), [['a malformed channel ID', 'general']]);
add('message.search', 'filters.after', inCollection('filters', 'after'), [['not a date', 'yesterday-ish']]);
add('message.search', 'options.sort', inCollection('options', 'sort'), [['not a sort order', 'alphabetical']]);
// reactions, status: emoji
for (const operation of ['reaction.add', 'reaction.remove', 'user.setStatus'] as const) add(operation, 'emoji', at('emoji'), EMOJI_BAD);
// channel.create
add('channel.create', 'name', at('name'), [
	['empty', ''],
	['whitespace only', '   '],
	['too long (81 characters)', 'n'.repeat(81)],
	['characters Pumble refuses', 'sales/eu'],
	['an object from an expression', { name: 'x' }],
]);
add('channel.create', 'type', at('type'), [['not a channel type', 'secret']]);
add('channel.create', 'options.description', inCollection('options', 'description'), [
	['too long (251 characters)', 'd'.repeat(251)],
	['an object from an expression', { text: 'x' }],
]);
// channel.getAll
add('channel.getAll', 'filters.types', inCollection('filters', 'types'), [['not a channel type', ['public', 'secret']]]);
// channel.addUsers / removeUser
add('channel.addUsers', 'userIds', at('userIds'), [
	['empty list', []],
	['empty text', ''],
	['a malformed ID', 'U123'],
	['an object from an expression', { id: 1 }],
]);
add('channel.removeUser', 'user (By ID)', atLocator('user', 'id'), ID_BAD.filter(([bad]) => bad !== 'a number from an expression'));
// scheduled messages
add('scheduledMessage.create', 'sendAt', at('sendAt'), [
	['a date in the past', PAST],
	['not a date', 'next week'],
	['empty', ''],
	['an object from an expression', { when: 'soon' }],
]);
add('scheduledMessage.create', 'options.threadRootId', inCollection('options', 'threadRootId'), [['malformed', 'root-1']]);
add('scheduledMessage.create', 'options.blocks', inCollection('options', 'blocks'), [['not JSON', '[oops']]);
rows.push({
	operation: 'scheduledMessage.create',
	parameter: 'options.recurrence',
	bad: 'not a recurrence',
	value: 'FORTNIGHTLY-ISH',
	place: (base) => ({ ...base, options: { recurrence: { rule: { type: V } } } }),
	kind: 'input',
});
rows.push({
	operation: 'scheduledMessage.create',
	parameter: 'options.recurrence.endAfterOccurrences',
	bad: 'out of range (10,000)',
	value: 10_000,
	place: (base) => ({ ...base, options: { recurrence: { rule: { type: 'DAILY', endAfterOccurrences: V } } } }),
	kind: 'input',
});
for (const operation of ['scheduledMessage.get', 'scheduledMessage.update', 'scheduledMessage.delete'] as const) {
	add(operation, 'scheduledMessageId', at('scheduledMessageId'), ID_BAD);
}
for (const operation of ['scheduledMessage.get', 'scheduledMessage.update', 'scheduledMessage.delete'] as const) {
	add(operation, 'scheduledMessageId', at('scheduledMessageId'), [['a deleted (or never created) scheduled message', hex(24)]], { kind: 'notFound' });
}
add('scheduledMessage.getAll', 'filters.channel', (base) => ({ ...base, filters: { channel: rl('id', V) } }), [['malformed', 'general']]);
add('scheduledMessage.update', 'updateFields.text', inCollection('updateFields', 'text'), TEXT_BAD.filter(([bad]) => bad !== 'null from an expression'));
add('scheduledMessage.update', 'updateFields.sendAt', inCollection('updateFields', 'sendAt'), [
	['a date in the past', PAST],
	['not a date', 'whenever'],
]);
add('scheduledMessage.update', 'updateFields.channel', (base) => ({ ...base, updateFields: { channel: rl('id', V) } }), [['malformed', 'C123']]);
// users
add('user.get', 'user (By ID)', atLocator('user', 'id'), ID_BAD.filter(([bad]) => bad !== 'a number from an expression'));
add('user.get', 'user (By Email)', atLocator('user', 'email'), [['not an email address', 'bob at example']]);
add('user.getAll', 'filters.status', inCollection('filters', 'status'), [['not a status', 'ASLEEP']]);
add('user.setStatus', 'statusText', at('statusText'), [
	['too long (101 characters)', 's'.repeat(101)],
	['an object from an expression', { text: 'x' }],
]);
add('user.setStatus', 'expiresAt', at('expiresAt'), [
	['a date in the past', PAST],
	['not a date', 'after lunch'],
]);

// ------------------------------------------------------------------------------------------ running

function run(row: Row, values: unknown[], continueOnFail: boolean): Promise<RunNodeResult> {
	return runNode({
		parameters: row.place(BASE[row.operation]()),
		items: values.map((v) => ({ v }) as IDataObject),
		credentials: suite.credentials(),
		continueOnFail,
	});
}

const requests = () => suite.calls();
/** The workspace lists a lookup may read (cached per key): nothing else, and never a write. */
const LIST_READS = new Set(['GET /listChannels', 'GET /listUsers']);
const nonListRequests = () => requests().map((entry) => `${entry.method} ${entry.path}`).filter((request) => !LIST_READS.has(request));

async function checkRow(row: Row): Promise<void> {
	row.before?.();
	const value = valueOf(row.value);

	// One bad item, no "Continue On Fail": the run stops with an error naming item 0.
	const single = await run(row, [value], false);
	const error = single.error as (NodeOperationError | NodeApiError) & { context: { itemIndex?: number }; description?: string };
	const expected = row.kind === 'notFound' ? 'NodeApiError' : 'NodeOperationError';
	expect({ row: label(row), error: error?.constructor?.name }).toEqual({ row: label(row), error: expected });
	expect(error).toBeInstanceOf(row.kind === 'notFound' ? NodeApiError : NodeOperationError);
	expect(error.context.itemIndex).toBe(0);
	expect(error.message).toContain('[item 0]');
	expect(typeof error.description).toBe('string');
	expect((error.description ?? '').length).toBeGreaterThan(15);
	if (row.kind === 'input') expect({ row: label(row), requests: requests().map((entry) => entry.path) }).toEqual({ row: label(row), requests: [] });
	if (row.kind === 'lookup') expect({ row: label(row), requests: nonListRequests() }).toEqual({ row: label(row), requests: [] });
	if (row.kind === 'notFound') {
		expect(error.message).toMatch(/not found|could not find/i);
		expect(error.description).toMatch(/could not find it/i);
	}

	// Three bad items with "Continue On Fail": three error items, each naming its own item.
	row.before?.();
	const many = await run(row, [value, value, value], true);
	expect(many.error).toBeUndefined();
	expect(many.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	many.output.forEach((item, index) => {
		expect(String(item.json.error)).toContain(`[item ${index}]`);
		expect(String(item.json.description ?? '').length).toBeGreaterThan(15);
	});
	if (row.kind === 'input') expect(requests()).toEqual([]);
	if (row.kind === 'lookup') expect(nonListRequests()).toEqual([]);
}

const label = (row: Row) => `${row.operation} · ${row.parameter} · ${row.bad}`;

describe('bad input: a NodeOperationError naming the item and how to fix it, before any request where the input shows it', () => {
	const operationsCovered = new Set(rows.map((row) => row.operation.replace(/ \(.*\)$/, '')));

	it('covers every operation of the node (user.getMe has no parameter to get wrong but "Simplify")', () => {
		const all = Object.keys(BASE).map((key) => key.replace(/ \(.*\)$/, ''));
		expect([...new Set(all)].filter((operation) => !operationsCovered.has(operation))).toEqual(['user.getMe']);
	});

	it.each(rows.map((row) => [label(row), row] as const))('%s', async (_label, row) => checkRow(row));
});

