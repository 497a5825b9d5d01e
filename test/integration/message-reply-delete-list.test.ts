/**
 * Message → Reply, Delete and Get Many of the Pumble node, run through n8n-core's WorkflowExecute
 * (test/helpers/runNode) against the Pumble sandbox over real HTTP: the output items, what the sandbox
 * received, and the sandbox's state afterwards; bad input, errors, "Continue On Fail", ordering, paging and
 * secrets.
 *
 * Every test uses its own API key for Ada (an extra sandbox key), so the node's per-key caches (channel
 * list, key → user) start empty. A fresh key's first request is preceded by one GET /myInfo: the rate
 * limiter learning whose budget the key spends. `calls()` leaves those out.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { byId, byName, jsonOf, sandboxSuite, type Sandbox } from '../helpers/sandboxSuite';
import { nodeAssertions } from '../helpers/nodeAssertions';

const HEX24 = /^[0-9a-f]{24}$/;

const suite = sandboxSuite('pumble-it-secret');
const { calls, run } = suite;
const { expectOk, expectEveryItemPaired, expectNodeError, expectAuthenticatedAsAda } = nodeAssertions(suite);
let sandbox: Sandbox;
beforeEach(() => {
	({ sandbox } = suite);
});

const messagesIn = (channelId: string) => sandbox.state.messages.filter((m) => m.channelId === channelId);
const messageById = (id: string) => sandbox.state.messages.find((m) => m.id === id);

// ------------------------------------------------------------------------------------------------ message/reply

describe('message → reply', () => {
	const reply = (channel: unknown, messageId: unknown, text: unknown, options: IDataObject = {}): INodeParameters =>
		({ resource: 'message', operation: 'reply', channel, messageId, text, options }) as INodeParameters;

	test('replies in the thread of the given message', async () => {
		const root = sandbox.postAs(sandbox.ids.bob, sandbox.ids.general, 'Question for the thread');
		const result = await run(reply(byId(sandbox.ids.general), root.id, 'An answer'));
		expectOk(result);

		const [receipt] = jsonOf(result);
		expect(receipt).toEqual({ id: expect.stringMatching(HEX24), channelId: sandbox.ids.general });
		expectEveryItemPaired(result);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({ method: 'POST', path: '/sendReply', status: 200 });
		expect(calls()[0].body).toEqual({ channelId: sandbox.ids.general, messageId: root.id, text: 'An answer' });
		expectAuthenticatedAsAda(sandbox.log);
		expect(messageById(receipt.id as string)).toMatchObject({
			threadRootId: root.id,
			author: sandbox.ids.ada,
			text: 'An answer',
			sentToChannel: false,
		});
	});

	test('"Also Send to Channel" and "Send as Bot" are sent and honoured; the ID may come in upper case', async () => {
		const root = sandbox.postAs(sandbox.ids.bob, sandbox.ids.random, 'Root');
		const result = await run(
			reply(byName('random'), '={{ $json.rootId }}', 'Visible in the channel too', { alsoSendToChannel: true, asBot: true }),
			{ items: [{ rootId: root.id.toUpperCase() }] },
		);
		expectOk(result);
		expect(calls().find((entry) => entry.path === '/sendReply')?.body).toEqual({
			channelId: sandbox.ids.random,
			messageId: root.id,
			text: 'Visible in the channel too',
			asBot: true,
			alsoSendToChannel: true,
		});
		expect(messageById(jsonOf(result)[0].id as string)).toMatchObject({
			threadRootId: root.id,
			author: sandbox.ids.adaBot,
			sentToChannel: true,
		});
	});

	test('a malformed message ID: NodeOperationError naming the parameter; nothing is sent', async () => {
		const result = await run(reply(byId(sandbox.ids.general), '12345', 'x'));
		expectNodeError(result, NodeOperationError, 0, /"12345" is not a valid Pumble message ID/, /Check "messageId"/);
		expect(sandbox.log).toEqual([]);
	});

	test('an empty message ID from an expression: NodeOperationError; nothing is sent', async () => {
		const result = await run(reply(byId(sandbox.ids.general), '={{ $json.missing }}', 'x'), { items: [{}] });
		expectNodeError(result, NodeOperationError, 0, /message ID is empty/);
		expect(sandbox.log).toEqual([]);
	});

	test('a message that does not exist: Pumble answers 403 and the NodeApiError says so', async () => {
		const result = await run(reply(byId(sandbox.ids.general), 'aaaaaaaaaaaaaaaaaaaaaaaa', 'x'));
		expectNodeError(result, NodeApiError, 0, /sendReply failed \(HTTP 403/);
		expect((result.error as NodeApiError).description).toBeTruthy();
		expect(calls()).toHaveLength(1);
	});
});

// ------------------------------------------------------------------------------------------------ message/delete

describe('message → delete', () => {
	const del = (channel: unknown, messageId: unknown): INodeParameters =>
		({ resource: 'message', operation: 'delete', channel, messageId }) as INodeParameters;

	test('deletes the message: DELETE /deleteMessage with channelId and messageId in the query', async () => {
		const message = sandbox.postAs(sandbox.ids.ada, sandbox.ids.general, 'Delete me');
		const result = await run(del(byId(sandbox.ids.general), message.id.toUpperCase()));
		expectOk(result);

		expect(jsonOf(result)).toEqual([{ deleted: true, messageId: message.id }]);
		expectEveryItemPaired(result);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({
			method: 'DELETE',
			path: '/deleteMessage',
			query: { channelId: sandbox.ids.general, messageId: message.id },
			status: 200,
		});
		expectAuthenticatedAsAda(sandbox.log);
		expect(messageById(message.id)).toBeUndefined();
	});

	test('by channel name', async () => {
		const message = sandbox.postAs(sandbox.ids.ada, sandbox.ids.random, 'Delete me too');
		const result = await run(del(byName('random'), message.id));
		expectOk(result);
		expect(calls().find((entry) => entry.path === '/deleteMessage')?.query).toEqual({ channelId: sandbox.ids.random, messageId: message.id });
		expect(messageById(message.id)).toBeUndefined();
	});

	test('several items delete several messages; a malformed ID fails only its item with "Continue On Fail"', async () => {
		const a = sandbox.postAs(sandbox.ids.ada, sandbox.ids.general, 'a');
		const b = sandbox.postAs(sandbox.ids.ada, sandbox.ids.general, 'b');
		const result = await run(del(byId(sandbox.ids.general), '={{ $json.id }}'), {
			items: [{ id: a.id }, { id: 'nope' }, { id: b.id }],
			continueOnFail: true,
		});
		expectOk(result);
		expectEveryItemPaired(result, (index) => index);
		expect(jsonOf(result)[0]).toEqual({ deleted: true, messageId: a.id });
		expect(jsonOf(result)[1].error).toMatch(/"nope" is not a valid Pumble message ID \[item 1\]/);
		expect(jsonOf(result)[2]).toEqual({ deleted: true, messageId: b.id });
		expect(calls()).toHaveLength(2);
		expect(messageById(a.id)).toBeUndefined();
		expect(messageById(b.id)).toBeUndefined();
	});

	test('a malformed message ID: NodeOperationError; nothing is sent and nothing deleted', async () => {
		const before = sandbox.state.messages.length;
		const result = await run(del(byId(sandbox.ids.general), 'abc'));
		expectNodeError(result, NodeOperationError, 0, /"abc" is not a valid Pumble message ID/);
		expect(sandbox.log).toEqual([]);
		expect(sandbox.state.messages).toHaveLength(before);
	});

	test('a message that does not exist: NodeApiError from Pumble\'s 403', async () => {
		const result = await run(del(byId(sandbox.ids.general), 'bbbbbbbbbbbbbbbbbbbbbbbb'));
		expectNodeError(result, NodeApiError, 0, /deleteMessage failed \(HTTP 403/);
		expect(calls()).toHaveLength(1);
	});
});

// ------------------------------------------------------------------------------------------------ message/getAll

describe('message → get many', () => {
	const getAll = (channel: unknown, returnAll: boolean, limit?: number): INodeParameters =>
		({ resource: 'message', operation: 'getAll', channel, returnAll, ...(limit !== undefined ? { limit } : {}) }) as INodeParameters;

	test('with a limit: the newest messages, one item each, from one GET /listMessages', async () => {
		const result = await run(getAll(byId(sandbox.ids.general), false, 5));
		expectOk(result);
		expect(result.output).toHaveLength(5);
		expectEveryItemPaired(result);

		const newest = messagesIn(sandbox.ids.general)
			.filter((m) => m.threadRootId === null)
			.sort((a, b) => b.timestampMilli - a.timestampMilli || b.seq - a.seq)
			.slice(0, 5)
			.map((m) => m.id);
		expect(jsonOf(result).map((json) => json.id)).toEqual(newest);
		expect(jsonOf(result)[0]).toMatchObject({ channelId: sandbox.ids.general, text: expect.any(String) });

		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({ method: 'GET', path: '/listMessages', query: { channelId: sandbox.ids.general, limit: '5' } });
		expectAuthenticatedAsAda(sandbox.log);
	});

	test('the default limit is 50', async () => {
		for (let n = 0; n < 60; n++) sandbox.postAs(sandbox.ids.bob, sandbox.ids.random, `filler ${n}`);
		const result = await run({ resource: 'message', operation: 'getAll', channel: byId(sandbox.ids.random) } as INodeParameters);
		expectOk(result);
		expect(result.output).toHaveLength(50);
	});

	test('"Return All" over more than a page (> 100 messages) returns each message exactly once, newest first', async () => {
		for (let n = 0; n < 230; n++) sandbox.postAs(n % 2 ? sandbox.ids.bob : sandbox.ids.carol, sandbox.ids.random, `bulk ${n}`);
		const listed = messagesIn(sandbox.ids.random).filter((m) => m.threadRootId === null || m.sentToChannel);
		expect(listed.length).toBeGreaterThan(200);

		const result = await run(getAll(byId(sandbox.ids.random), true));
		expectOk(result);
		const ids = jsonOf(result).map((json) => json.id as string);
		expect(ids).toHaveLength(listed.length);
		expect(new Set(ids).size).toBe(ids.length);
		expect(new Set(ids)).toEqual(new Set(listed.map((m) => m.id)));
		const expectedOrder = [...listed].sort((a, b) => b.timestampMilli - a.timestampMilli || b.seq - a.seq).map((m) => m.id);
		expect(ids).toEqual(expectedOrder);
		expectEveryItemPaired(result);

		const pages = calls();
		expect(pages.length).toBeGreaterThanOrEqual(3);
		expect(pages.every((entry) => entry.path === '/listMessages' && entry.status === 200)).toBe(true);
		expect(pages[0].query.cursor).toBeUndefined();
		expect(pages.slice(1).every((entry) => HEX24.test(entry.query.cursor ?? ''))).toBe(true);
	});

	test('a limit above one page (120) pages too and stops at the limit', async () => {
		for (let n = 0; n < 150; n++) sandbox.postAs(sandbox.ids.bob, sandbox.ids.random, `more ${n}`);
		const result = await run(getAll(byId(sandbox.ids.random), false, 120));
		expectOk(result);
		const ids = jsonOf(result).map((json) => json.id);
		expect(ids).toHaveLength(120);
		expect(new Set(ids).size).toBe(120);
		expect(calls().length).toBe(2);
	});

	test('two input items each get their own list, paired to their item', async () => {
		for (const text of ['r1', 'r2']) sandbox.postAs(sandbox.ids.bob, sandbox.ids.random, text);
		const result = await run(getAll(byId('={{ $json.channel }}'), false, 2), {
			items: [{ channel: sandbox.ids.general }, { channel: sandbox.ids.random }],
		});
		expectOk(result);
		expect(result.output).toHaveLength(4);
		expect(result.output.map((item) => [item.json.channelId, item.pairedItem])).toEqual([
			[sandbox.ids.general, { item: 0 }],
			[sandbox.ids.general, { item: 0 }],
			[sandbox.ids.random, { item: 1 }],
			[sandbox.ids.random, { item: 1 }],
		]);
	});

	test('an unknown channel name: NodeOperationError from the channel list; no history is read', async () => {
		const result = await run(getAll(byName('ghost-town'), false, 5));
		expectNodeError(result, NodeOperationError, 0, /No channel named "ghost-town" is visible to this API key/);
		expect(calls().map((entry) => entry.path)).toEqual(['/listChannels']);
	});
});
