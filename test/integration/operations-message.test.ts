/**
 * Message operations beyond the seed ones, run through n8n-core's WorkflowExecute (test/helpers/runNode)
 * against the Pumble sandbox over real HTTP: Send to a person or a group, Update, Get, Get Thread Replies,
 * Search, and Get Many's date filters and Return All paging. For each: what the sandbox received, the
 * output items, and one bad input.
 *
 * Every test uses its own API key for Ada, so the node's per-key caches start empty; the rate limiter's
 * one-off GET /myInfo for a new key is left out of `calls()`.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import { runNode } from '../helpers/runNode';
import { byEmail, byId, byName, expectNodeError, expectOk, jsonOf, sandboxSuite, type Sandbox } from '../helpers/sandboxSuite';

const HEX24 = /^[0-9a-f]{24}$/;
const MINUTE = 60_000;

const messageById = (id: string) => sandbox.state.messages.find((m) => m.id === id);

const SIMPLE_MESSAGE_KEYS = ['author', 'channelId', 'id', 'reactions', 'repliesCount', 'text', 'threadRootId', 'timestamp', 'timestampMilli'];

/** Channel history as Pumble lists it: top-level messages (and replies sent to the channel), newest first. */
const history = (channelId: string) =>
	sandbox.state.messages
		.filter((m) => m.channelId === channelId && (m.threadRootId === null || m.sentToChannel))
		.sort((a, b) => b.timestampMilli - a.timestampMilli || b.seq - a.seq);

const suite = sandboxSuite('ops-message');
const { calls, run } = suite;
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = suite.sandbox;
});

// ------------------------------------------------------------------------------------------------ send to people

describe('message → send to a user (direct message)', () => {
	const dm = (user: unknown, text = 'Hi Bob') => ({ resource: 'message', operation: 'send', sendTo: 'user', user, text });

	test('by email: POST /dmUser with the looked-up user ID; the receipt names the DM conversation', async () => {
		const result = await run(dm(byEmail('Bob@Example.com')));
		expectOk(result);
		expect(jsonOf(result)).toEqual([{ id: expect.stringMatching(HEX24), channelId: sandbox.ids.adaBobDm }]);
		expect(calls('/listUsers')).toHaveLength(1);
		const [request] = calls('/dmUser');
		expect(request).toMatchObject({ method: 'POST', status: 200, body: { userId: sandbox.ids.bob, text: 'Hi Bob' } });
		expect(messageById(jsonOf(result)[0].id as string)).toMatchObject({ channelId: sandbox.ids.adaBobDm, author: sandbox.ids.ada, text: 'Hi Bob' });
	});

	test('from the list: the ID goes straight to /dmUser, no user lookup', async () => {
		const result = await run(dm({ __rl: true, mode: 'list', value: sandbox.ids.bob, cachedResultName: 'Bob Martin' }, 'From the list'));
		expectOk(result);
		expect(calls().map((entry) => entry.path)).toEqual(['/dmUser']);
		expect(calls()[0].body).toEqual({ userId: sandbox.ids.bob, text: 'From the list' });
	});

	test('to yourself: Pumble refuses, and the error says so', async () => {
		const result = await run(dm(byId(sandbox.ids.ada)));
		expectNodeError(result, NodeApiError, /dmUser failed \(HTTP 403\)/);
		expect(calls('/dmUser')).toHaveLength(1);
	});

	test('an unknown email: NodeOperationError before anything is sent', async () => {
		const result = await run(dm(byEmail('nobody@example.com')));
		expectNodeError(result, NodeOperationError, /No Pumble user has the email nobody@example.com/);
		expect(calls('/dmUser')).toEqual([]);
	});
});

describe('message → send to users (group DM)', () => {
	const groupDm = (userIds: unknown, text = 'Hi both') => ({ resource: 'message', operation: 'send', sendTo: 'users', userIds, text });

	test('picked from the list: POST /dmGroup with the IDs; the receipt names the group conversation', async () => {
		const result = await run(groupDm([sandbox.ids.bob, sandbox.ids.carol]));
		expectOk(result);
		expect(jsonOf(result)).toEqual([{ id: expect.stringMatching(HEX24), channelId: sandbox.ids.groupDm }]);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({ method: 'POST', path: '/dmGroup', body: { userIds: [sandbox.ids.bob, sandbox.ids.carol], text: 'Hi both' } });
	});

	test('from an expression giving a comma-separated string', async () => {
		const result = await run(groupDm('={{ $json.people }}'), { items: [{ people: `${sandbox.ids.bob}, ${sandbox.ids.carol}` }] });
		expectOk(result);
		expect(calls('/dmGroup')[0].body).toEqual({ userIds: [sandbox.ids.bob, sandbox.ids.carol], text: 'Hi both' });
	});

	test('from an expression giving an array', async () => {
		const result = await run(groupDm('={{ $json.people }}'), { items: [{ people: [sandbox.ids.carol, sandbox.ids.bob] }] });
		expectOk(result);
		expect(calls('/dmGroup')[0].body).toEqual({ userIds: [sandbox.ids.carol, sandbox.ids.bob], text: 'Hi both' });
	});

	test('one person only: NodeOperationError (a group DM needs 2 to 8); nothing is sent', async () => {
		const result = await run(groupDm([sandbox.ids.bob]));
		expectNodeError(result, NodeOperationError, /1 distinct user ID given; 2 to 8 needed/);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ update

describe('message → update', () => {
	const update = (channel: unknown, messageId: unknown, text: unknown, options: IDataObject = {}) => ({
		resource: 'message',
		operation: 'update',
		channel,
		messageId,
		text,
		options,
	});

	test('POST /editMessage with channelId, messageId and the new text; the empty answer becomes a success item', async () => {
		const message = sandbox.postAs(sandbox.ids.ada, sandbox.ids.general, 'Draft');
		const result = await run(update(byId(sandbox.ids.general), message.id, 'Final'));
		expectOk(result);
		expect(jsonOf(result)).toEqual([{ success: true, messageId: message.id, channelId: sandbox.ids.general }]);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({ method: 'POST', path: '/editMessage', status: 200 });
		expect(calls()[0].body).toEqual({ messageId: message.id, channelId: sandbox.ids.general, text: 'Final' });
		expect(messageById(message.id)).toMatchObject({ text: 'Final', edited: true });
	});

	test('by channel name (looked up, since editMessage takes IDs only), with blocks', async () => {
		const message = sandbox.postAs(sandbox.ids.ada, sandbox.ids.random, 'Draft');
		const blocks = [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'Bold', style: { bold: true } }] }] }];
		const result = await run(update(byName('random'), message.id, 'Bold', { blocks: JSON.stringify(blocks) }));
		expectOk(result);
		expect(calls().map((entry) => entry.path)).toEqual(['/listChannels', '/editMessage']);
		expect(calls('/editMessage')[0].body).toEqual({ messageId: message.id, channelId: sandbox.ids.random, text: 'Bold', blocks });
		expect(messageById(message.id)?.blocks).toEqual(blocks);
	});

	test('someone else\'s message: Pumble refuses with its reason', async () => {
		const message = sandbox.postAs(sandbox.ids.bob, sandbox.ids.general, 'Bob wrote this');
		const result = await run(update(byId(sandbox.ids.general), message.id, 'Hijacked'));
		expectNodeError(result, NodeApiError, /editMessage failed \(HTTP 403\)/);
		expect(messageById(message.id)?.text).toBe('Bob wrote this');
	});

	test('a message ID that is not one: NodeOperationError; nothing is sent', async () => {
		const result = await run(update(byId(sandbox.ids.general), 'not-a-message-id', 'Final'));
		expectNodeError(result, NodeOperationError, /is not a valid Pumble message ID/);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ get

describe('message → get', () => {
	const get = (messageId: unknown, extra: IDataObject = {}) => ({
		resource: 'message',
		operation: 'get',
		channel: byId(sandbox.ids.general),
		messageId,
		...extra,
	});
	const reacted = () => sandbox.state.messages.find((m) => m.reactions.length > 0)!;

	test('GET /fetchMessage; simplified by default: the useful fields, reactions grouped per emoji', async () => {
		const message = reacted();
		const result = await run(get(message.id));
		expectOk(result);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({ method: 'GET', path: '/fetchMessage', query: { channelId: sandbox.ids.general, messageId: message.id } });
		const [json] = jsonOf(result);
		expect(Object.keys(json).sort()).toEqual(SIMPLE_MESSAGE_KEYS);
		expect(json).toEqual({
			id: message.id,
			channelId: sandbox.ids.general,
			author: message.author,
			text: message.text,
			timestamp: new Date(message.timestampMilli).toISOString().replace('.000Z', 'Z'),
			timestampMilli: message.timestampMilli,
			repliesCount: 0,
			threadRootId: null,
			reactions: [{ emoji: ':+1:', count: 2, users: [sandbox.ids.bob, sandbox.ids.carol] }],
		});
	});

	test('a thread root counts its replies; Simplify off gives Pumble\'s whole object', async () => {
		const result = await run({ ...get(sandbox.ids.randomThreadRoot), channel: byName('random') });
		expectOk(result);
		expect(jsonOf(result)[0]).toMatchObject({ id: sandbox.ids.randomThreadRoot, repliesCount: 2, threadRootId: null });
		expect(calls('/fetchMessage')[0].query).toEqual({ channelId: sandbox.ids.random, messageId: sandbox.ids.randomThreadRoot });

		const raw = await run({ ...get(sandbox.ids.randomThreadRoot), channel: byName('random'), simplify: false });
		expectOk(raw);
		const [json] = jsonOf(raw);
		expect(json).toMatchObject({ id: sandbox.ids.randomThreadRoot, workspaceId: expect.any(String), threadRootInfo: expect.objectContaining({ repliesCount: 2 }) });
		expect(Object.keys(json).length).toBeGreaterThan(SIMPLE_MESSAGE_KEYS.length);
	});

	test('a message that is not in that channel: NodeApiError from Pumble', async () => {
		const result = await run(get(sandbox.ids.randomThreadRoot));
		expectNodeError(result, NodeApiError, /fetchMessage failed \(HTTP 403.*Not found/);
	});
});

// ------------------------------------------------------------------------------------------------ getReplies

describe('message → get thread replies', () => {
	const getReplies = (messageId: unknown, extra: IDataObject = {}) => ({
		resource: 'message',
		operation: 'getReplies',
		channel: byId(sandbox.ids.random),
		messageId,
		...extra,
	});
	const replies = () =>
		sandbox.state.messages
			.filter((m) => m.threadRootId === sandbox.ids.randomThreadRoot)
			.sort((a, b) => b.timestampMilli - a.timestampMilli || b.seq - a.seq);

	test('GET /fetchThreadReplies with rootMessageId; one simplified item per reply, newest first, pointing at the root', async () => {
		const result = await run(getReplies(sandbox.ids.randomThreadRoot));
		expectOk(result);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({
			method: 'GET',
			path: '/fetchThreadReplies',
			query: { channelId: sandbox.ids.random, rootMessageId: sandbox.ids.randomThreadRoot, limit: '50' },
		});
		expect(jsonOf(result).map((json) => json.id)).toEqual(replies().map((m) => m.id));
		for (const json of jsonOf(result)) {
			expect(Object.keys(json).sort()).toEqual(SIMPLE_MESSAGE_KEYS);
			expect(json.threadRootId).toBe(sandbox.ids.randomThreadRoot);
		}
	});

	test('Return All over 250 replies: each once, in as few pages as the inclusive cursor allows', async () => {
		for (let n = 0; n < 248; n++) {
			sandbox.postAs(n % 2 ? sandbox.ids.bob : sandbox.ids.carol, sandbox.ids.random, `reply ${n}`, { threadRootId: sandbox.ids.randomThreadRoot });
		}
		const result = await run(getReplies(sandbox.ids.randomThreadRoot, { returnAll: true }));
		expectOk(result);
		const ids = jsonOf(result).map((json) => json.id);
		expect(ids).toHaveLength(250);
		expect(new Set(ids).size).toBe(250);
		expect(ids).toEqual(replies().map((m) => m.id));
		// Pages of 100 new replies each (the repeated cursor reply comes on top): 3 requests.
		expect(calls('/fetchThreadReplies')).toHaveLength(3);
	});

	test('with a limit of 1: the newest reply only', async () => {
		const result = await run(getReplies(sandbox.ids.randomThreadRoot, { limit: 1 }));
		expectOk(result);
		expect(jsonOf(result).map((json) => json.id)).toEqual([replies()[0].id]);
	});

	test('an empty root ID from an expression: NodeOperationError; nothing is sent', async () => {
		const result = await run(getReplies('={{ $json.root }}'), { items: [{ root: '' }] });
		expectNodeError(result, NodeOperationError, /message ID is empty/);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ search

describe('message → search', () => {
	const search = (extra: IDataObject) => ({ resource: 'message', operation: 'search', ...extra });
	const bodies = () => calls('/searchMessages').map((entry) => entry.body as IDataObject);

	test('a limit up to 20: one POST /searchMessages in the chosen order', async () => {
		const result = await run(search({ query: 'standup', limit: 2, options: { sort: 'oldest' } }));
		expectOk(result);
		expect(bodies()).toEqual([{ text: 'standup', limit: 2, strategy: 'OLDEST' }]);
		const expected = sandbox.state.messages
			.filter((m) => m.text.toLowerCase().includes('standup'))
			.sort((a, b) => a.timestampMilli - b.timestampMilli || a.seq - b.seq)
			.slice(0, 2);
		expect(jsonOf(result).map((json) => json.id)).toEqual(expected.map((m) => m.id));
		expect(Object.keys(jsonOf(result)[0]).sort()).toEqual(SIMPLE_MESSAGE_KEYS);
	});

	test('sort by relevance and newest map to Pumble\'s strategies; newest is the default', async () => {
		expectOk(await run(search({ query: 'deploy', limit: 5, options: { sort: 'relevance' } })));
		expectOk(await run(search({ query: 'deploy', limit: 5 })));
		expect(bodies().map((body) => body.strategy)).toEqual(['MOST_RELEVANT', 'NEWEST']);
	});

	test('filters: From and In as IDs, After and Before as dates (epoch ms to Pumble)', async () => {
		const now = Date.now();
		const after = new Date(now - 200 * MINUTE).toISOString();
		const before = new Date(now - 50 * MINUTE).toISOString();
		const result = await run(
			search({
				query: '',
				limit: 20,
				filters: { from: [sandbox.ids.bob], in: [sandbox.ids.general, sandbox.ids.random], after, before },
			}),
		);
		expectOk(result);
		expect(bodies()).toEqual([
			{
				from: [sandbox.ids.bob],
				in: [sandbox.ids.general, sandbox.ids.random],
				afterTs: Date.parse(after),
				beforeTs: Date.parse(before),
				limit: 20,
				strategy: 'NEWEST',
			},
		]);
		const expected = sandbox.state.messages.filter(
			(m) =>
				m.author === sandbox.ids.bob &&
				[sandbox.ids.general, sandbox.ids.random].includes(m.channelId) &&
				m.timestampMilli > Date.parse(after) &&
				m.timestampMilli < Date.parse(before),
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(new Set(jsonOf(result).map((json) => json.id))).toEqual(new Set(expected.map((m) => m.id)));
	});

	test('Return All pages by time (20 per request) and returns every hit once, even across same-second ties', async () => {
		const base = Math.floor(Date.now() / 1000) * 1000 - 10 * MINUTE;
		// 45 hits, three to a second: page boundaries fall inside a second.
		for (let n = 0; n < 45; n++) {
			sandbox.postAs(sandbox.ids.bob, sandbox.ids.random, `needle ${n}`, { timestampMilli: base - Math.floor(n / 3) * 1000 });
		}
		const result = await run(search({ query: 'needle', returnAll: true, options: { sort: 'relevance' } }));
		expectOk(result);
		const ids = jsonOf(result).map((json) => json.id);
		expect(ids).toHaveLength(45);
		expect(new Set(ids).size).toBe(45);
		expect(bodies().every((body) => body.limit === 20 && body.strategy === 'NEWEST')).toBe(true);
		const stamps = jsonOf(result).map((json) => json.timestampMilli as number);
		expect(stamps).toEqual([...stamps].sort((a, b) => b - a));
	});

	test('the oldest N beyond one page: pages oldest first by afterTs, across same-second ties', async () => {
		const base = Math.floor(Date.now() / 1000) * 1000 - 10 * MINUTE;
		for (let n = 0; n < 45; n++) {
			sandbox.postAs(sandbox.ids.bob, sandbox.ids.random, `haystack ${n}`, { timestampMilli: base + Math.floor(n / 3) * 1000 });
		}
		const result = await run(search({ query: 'haystack', limit: 25, options: { sort: 'oldest' } }));
		expectOk(result);
		const expected = sandbox.state.messages
			.filter((m) => m.text.startsWith('haystack'))
			.sort((a, b) => a.timestampMilli - b.timestampMilli)
			.slice(0, 25);
		const stamps = jsonOf(result).map((json) => json.timestampMilli as number);
		expect(stamps).toEqual(expected.map((m) => m.timestampMilli));
		expect(new Set(jsonOf(result).map((json) => json.id)).size).toBe(25);
		expect(bodies()[0]).toMatchObject({ strategy: 'OLDEST', limit: 20 });
		expect(bodies()[1]).toHaveProperty('afterTs');
	});

	test('nothing to search for (no text, no From, no In): NodeOperationError; nothing is sent', async () => {
		const result = await run(search({ query: '  ', filters: { after: new Date().toISOString() } }));
		expectNodeError(result, NodeOperationError, /Nothing to search for/);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ getAll filters

describe('message → get many, with date filters', () => {
	const getAll = (extra: IDataObject) => ({ resource: 'message', operation: 'getAll', channel: byId(sandbox.ids.general), ...extra });

	test('After: only newer messages, and paging stops at the first older one (one request)', async () => {
		const after = Date.now() - 65 * MINUTE;
		const result = await run(getAll({ returnAll: true, filters: { after: new Date(after).toISOString() } }));
		expectOk(result);
		const expected = history(sandbox.ids.general).filter((m) => m.timestampMilli > after);
		expect(expected.length).toBeGreaterThan(2);
		expect(jsonOf(result).map((json) => json.id)).toEqual(expected.map((m) => m.id));
		expect(calls('/listMessages')).toHaveLength(1);
	});

	test('Before and After together: the window between them', async () => {
		const after = Date.now() - 200 * MINUTE;
		const before = Date.now() - 100 * MINUTE;
		const result = await run(getAll({ returnAll: true, filters: { after: new Date(after).toISOString(), before: new Date(before).toISOString() } }));
		expectOk(result);
		const expected = history(sandbox.ids.general).filter((m) => m.timestampMilli > after && m.timestampMilli < before);
		expect(expected.length).toBeGreaterThan(2);
		expect(jsonOf(result).map((json) => json.id)).toEqual(expected.map((m) => m.id));
	});

	test('dates without an offset are read in the workflow\'s time zone', async () => {
		// 60 minutes ago, written as Tokyo wall-clock time without an offset.
		const after = Math.floor((Date.now() - 60 * MINUTE) / 1000) * 1000;
		const tokyo = new Date(after + 9 * 60 * MINUTE).toISOString().slice(0, 19);
		const result = await run(getAll({ returnAll: true, filters: { after: tokyo } }), { timezone: 'Asia/Tokyo' });
		expectOk(result);
		const expected = history(sandbox.ids.general).filter((m) => m.timestampMilli > after);
		expect(jsonOf(result).map((json) => json.id)).toEqual(expected.map((m) => m.id));
	});

	test('After later than Before: NodeOperationError; nothing is sent', async () => {
		const result = await run(
			getAll({ returnAll: true, filters: { after: new Date().toISOString(), before: new Date(Date.now() - MINUTE).toISOString() } }),
		);
		expectNodeError(result, NodeOperationError, /"filters.after" is not earlier than "filters.before"/);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ Return All at scale

describe('message → get many, Return All over 1,000 messages', () => {
	let big: Sandbox;

	beforeAll(async () => {
		big = await startSandbox({ seedMessages: 1000 });
	});

	afterAll(async () => {
		await big?.close();
	});

	test('returns each message exactly once, newest first, in the fewest pages of 100', async () => {
		const key = `ops-message-big-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
		big.configure({ extraKeys: { [key]: 'ada' } });
		const listed = big.state.messages
			.filter((m) => m.channelId === big.ids.general && m.threadRootId === null)
			.sort((a, b) => b.timestampMilli - a.timestampMilli || b.seq - a.seq);
		expect(listed).toHaveLength(1000);

		const result = await runNode({
			parameters: { resource: 'message', operation: 'getAll', channel: byId(big.ids.general), returnAll: true, simplify: false } as INodeParameters,
			credentials: { apiKey: key, baseUrl: big.url },
		});
		expectOk(result);
		const ids = jsonOf(result).map((json) => json.id as string);
		expect(ids).toHaveLength(1000);
		expect(new Set(ids).size).toBe(1000);
		expect(ids).toEqual(listed.map((m) => m.id));

		const pages = big.log.filter((entry) => entry.path === '/listMessages');
		expect(pages.every((entry) => entry.query.limit === '100' && entry.status === 200)).toBe(true);
		// Pumble repeats the cursor message on top of the next page's 100, so every page brings 100 new
		// ones, and the last page says nothing is older: 1,000 / 100 = 10 requests, none wasted on the end.
		expect(pages).toHaveLength(10);
		expect(pages[0].query.cursor).toBeUndefined();
		pages.slice(1).forEach((page, index) => expect(page.query).toMatchObject({ cursor: ids[(index + 1) * 100 - 1], strategy: 'BEFORE' }));
	});
});
