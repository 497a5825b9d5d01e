/**
 * The seven seed operations of the Pumble node, run through n8n-core's WorkflowExecute (test/helpers/runNode)
 * against the Pumble sandbox over real HTTP. For each: the output items, what the sandbox received, and the
 * sandbox's state afterwards; then bad input, errors, "Continue On Fail", ordering, paging and secrets.
 *
 * Every test uses its own API key for Ada (an extra sandbox key), so the node's per-key caches (channel
 * list, key → user) start empty. A fresh key's first request is preceded by one GET /myInfo: the rate
 * limiter learning whose budget the key spends. `calls()` leaves those out.
 */
import { inspect } from 'node:util';

import { NodeApiError, NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { runListSearch, runNode, type RunNodeResult } from '../helpers/runNode';
import { byId, byName, fromList, jsonOf, sandboxSuite, type LogEntry, type Sandbox } from '../helpers/sandboxSuite';

const HEX24 = /^[0-9a-f]{24}$/;

const suite = sandboxSuite('pumble-it-secret');
const { calls, credentials, run } = suite;
let sandbox: Sandbox;
let apiKey: string;
beforeEach(() => {
	({ sandbox, apiKey } = suite);
});

const messagesIn = (channelId: string) => sandbox.state.messages.filter((m) => m.channelId === channelId);
const messageById = (id: string) => sandbox.state.messages.find((m) => m.id === id);

/** The key must not appear in anything a user or a log could see. */
function expectNoSecret(result: RunNodeResult, secret = apiKey): void {
	const texts = [JSON.stringify(result.output), JSON.stringify(result.outputs), JSON.stringify(result.hints)];
	const error = result.error as (Error & { description?: unknown; context?: unknown; cause?: unknown }) | undefined;
	if (error) {
		texts.push(
			JSON.stringify(error),
			error.message,
			String(error.description),
			String(error.stack),
			JSON.stringify(error.context ?? null),
			inspect(error, { depth: 20, showHidden: true }),
		);
	}
	for (const text of texts) expect(text).not.toContain(secret);
}

function expectOk(result: RunNodeResult): void {
	if (result.error) throw result.error;
	expectNoSecret(result);
}

function expectEveryItemPaired(result: RunNodeResult, itemOf: (outputIndex: number) => number = () => 0): void {
	result.output.forEach((item, index) => expect(item.pairedItem).toEqual({ item: itemOf(index) }));
}

/** A user-facing error of the right class and item, whose message and description say what to fix. */
function expectNodeError(
	result: RunNodeResult,
	kind: typeof NodeOperationError | typeof NodeApiError,
	itemIndex: number,
	message: RegExp,
	description?: RegExp,
): void {
	expect(result.error).toBeInstanceOf(kind);
	const error = result.error as NodeOperationError | NodeApiError;
	expect(error.context.itemIndex).toBe(itemIndex);
	expect(error.message).toMatch(message);
	expect(error.message).toContain(`[item ${itemIndex}]`);
	if (description) expect(error.description).toMatch(description);
	expect(result.output).toEqual([]);
	expectNoSecret(result);
}

/** Every logged request was authenticated by n8n with the credential's header, as Ada. */
function expectAuthenticatedAsAda(entries: LogEntry[]): void {
	for (const entry of entries) {
		expect(entry.headerName).toBe('ApiKey');
		expect(entry.keyHash).not.toBeNull();
		expect(entry.userId).toBe(sandbox.ids.ada);
	}
}

// ------------------------------------------------------------------------------------------------ message/send

describe('message → send', () => {
	const send = (channel: unknown, text: unknown, options: IDataObject = {}): INodeParameters =>
		({ resource: 'message', operation: 'send', channel, text, options }) as INodeParameters;

	test('by ID from the list: one POST /sendMessage with the ApiKey header; the message is in the channel', async () => {
		const result = await run(send(fromList(sandbox.ids.general), 'Hello from the harness'));
		expectOk(result);

		expect(result.output).toHaveLength(1);
		const [receipt] = jsonOf(result);
		expect(receipt).toEqual({ id: expect.stringMatching(HEX24), channelId: sandbox.ids.general });
		expectEveryItemPaired(result);

		expect(calls()).toHaveLength(1);
		const [request] = calls();
		expect(request).toMatchObject({ method: 'POST', path: '/sendMessage', status: 200 });
		expect(request.body).toEqual({ channelId: sandbox.ids.general, text: 'Hello from the harness' });
		expectAuthenticatedAsAda(sandbox.log);

		expect(messageById(receipt.id as string)).toMatchObject({
			channelId: sandbox.ids.general,
			author: sandbox.ids.ada,
			text: 'Hello from the harness',
			threadRootId: null,
		});
	});

	test('by ID typed, with text from an expression over the input item', async () => {
		const result = await run(send(byId(sandbox.ids.random), '=Order {{ $json.order }} shipped to {{ $json.city }}'), {
			items: [{ order: 42, city: 'Zagreb' }],
		});
		expectOk(result);
		const [receipt] = jsonOf(result);
		expect(receipt.channelId).toBe(sandbox.ids.random);
		expect(calls()[0].body).toEqual({ channelId: sandbox.ids.random, text: 'Order 42 shipped to Zagreb' });
		expect(messageById(receipt.id as string)?.text).toBe('Order 42 shipped to Zagreb');
	});

	test("expressions reaching back to the trigger: $('Input').item follows the paired items", async () => {
		const result = await run(send(byId(sandbox.ids.general), "={{ $('Input').item.json.who }} #{{ $itemIndex }}"), {
			items: [{ who: 'Ada' }, { who: 'Bob' }],
		});
		expectOk(result);
		expect(calls().map((entry) => (entry.body as IDataObject).text)).toEqual(['Ada #0', 'Bob #1']);
	});

	test('by name ("#random"): resolved through the channel list (without the #), the ID goes to Pumble', async () => {
		const result = await run(send(byName('#random'), 'By name'));
		expectOk(result);
		expect(calls().map((entry) => entry.path)).toEqual(['/listChannels', '/sendMessage']);
		expect(calls()[1].body).toEqual({ channelId: sandbox.ids.random, text: 'By name' });
		const [receipt] = jsonOf(result);
		expect(receipt.channelId).toBe(sandbox.ids.random);
		expect(messageById(receipt.id as string)?.channelId).toBe(sandbox.ids.random);
	});

	test('"Send as Bot": asBot is sent and the add-on bot is the author', async () => {
		const result = await run(send(byId(sandbox.ids.general), 'Beep', { asBot: true }));
		expectOk(result);
		expect(calls()[0].body).toEqual({ channelId: sandbox.ids.general, text: 'Beep', asBot: true });
		expect(messageById(jsonOf(result)[0].id as string)?.author).toBe(sandbox.ids.adaBot);
	});

	test('five items to the same channel arrive in item order, one output item per input item', async () => {
		const items = [1, 2, 3, 4, 5].map((n) => ({ text: `Message ${n}` }));
		const result = await run(send(byId(sandbox.ids.random), '={{ $json.text }}'), { items });
		expectOk(result);

		expect(result.output).toHaveLength(5);
		expectEveryItemPaired(result, (index) => index);
		expect(calls().map((entry) => (entry.body as IDataObject).text)).toEqual(items.map((item) => item.text));

		const ids = jsonOf(result).map((json) => json.id as string);
		expect(new Set(ids).size).toBe(5);
		const posted = messagesIn(sandbox.ids.random).filter((m) => ids.includes(m.id));
		expect(posted.sort((a, b) => a.seq - b.seq).map((m) => m.text)).toEqual(items.map((item) => item.text));
		// The receipts line up with their items.
		ids.forEach((id, index) => expect(messageById(id)?.text).toBe(items[index].text));
	});

	test('a literal empty Text: n8n refuses to start the run ("Parameter Text is required"); nothing is sent', async () => {
		const result = await run(send(byId(sandbox.ids.general), ''));
		expect(result.error?.message).toMatch(/workflow has issues/i);
		expect(JSON.stringify(result.issues)).toContain('Parameter \\"Text\\" is required');
		expect(sandbox.log).toEqual([]);
	});

	test('empty text from an expression: NodeOperationError for that item; nothing is sent', async () => {
		const result = await run(send(byId(sandbox.ids.general), '={{ $json.text }}'), { items: [{ text: '' }] });
		expectNodeError(result, NodeOperationError, 0, /"text" is empty/, /does not accept empty messages/);
		expect(sandbox.log).toEqual([]);
	});

	test('whitespace-only text: NodeOperationError; nothing is sent', async () => {
		const result = await run(send(byId(sandbox.ids.general), '={{ $json.text }}'), { items: [{ text: '  \n\t ' }] });
		expectNodeError(result, NodeOperationError, 0, /"text" is empty/, /write something in "text"/);
		expect(sandbox.log).toEqual([]);
	});

	test('a text that is not text (an object from an expression): NodeOperationError with how to fix it', async () => {
		const result = await run(send(byId(sandbox.ids.general), '={{ $json.payload }}'), { items: [{ payload: { a: 1 } }] });
		expectNodeError(result, NodeOperationError, 0, /must be text, but got an object/, /JSON\.stringify/);
		expect(sandbox.log).toEqual([]);
	});

	test('a malformed channel ID typed in "By ID": n8n refuses to start the run (the field\'s regex)', async () => {
		const result = await run(send(byId('not-a-channel-id'), 'x'));
		expect(result.error?.message).toMatch(/workflow has issues/i);
		expect(JSON.stringify(result.issues)).toContain('A channel ID is 24 hexadecimal characters');
		expect(sandbox.log).toEqual([]);
	});

	test('a malformed channel ID from an expression: NodeOperationError; nothing is sent', async () => {
		const result = await run(send(byId('={{ $json.channelId }}'), 'x'), { items: [{ channelId: 'C123' }] });
		expectNodeError(result, NodeOperationError, 0, /"C123" is not a valid Pumble channel ID/, /24 hexadecimal characters/);
		expect(sandbox.log).toEqual([]);
	});

	test('an unknown channel name: NodeOperationError naming the item, from the channel list, before any write', async () => {
		const result = await run(send(byName('no-such-channel'), 'x'));
		expectNodeError(result, NodeOperationError, 0, /No channel named "no-such-channel" is visible to this API key/, /pick the channel from the list/);
		expect(calls().map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /listChannels']);
		expect(messagesIn(sandbox.ids.general).some((m) => m.text === 'x')).toBe(false);
	});

	test('a bad API key: NodeApiError whose description explains the 403, and the key appears nowhere', async () => {
		const badKey = `definitely-wrong-key-${Math.random().toString(36).slice(2)}`;
		const result = await runNode({
			parameters: send(byId(sandbox.ids.general), 'x'),
			credentials: { apiKey: badKey, baseUrl: sandbox.url },
		});
		expect(result.error).toBeInstanceOf(NodeApiError);
		const error = result.error as NodeApiError;
		expect(error.httpCode).toBe('403');
		expect(error.message).toMatch(/HTTP 403/);
		expect(error.message).toMatch(/Invalid API key/);
		expect(error.description).toMatch(/API key was not accepted/);
		expect(error.description).toMatch(/credential/);
		expect(error.context.itemIndex).toBe(0);
		expectNoSecret(result, badKey);
		// The header was sent (as ApiKey) and refused; nothing was posted.
		const sends = sandbox.log.filter((entry) => entry.path === '/sendMessage');
		expect(sends).toHaveLength(1);
		expect(sends[0]).toMatchObject({ headerName: 'ApiKey', userId: null, status: 403 });
		expect(sandbox.log.every((entry) => entry.status === 403)).toBe(true);
	});

	test('without "Continue On Fail", a bad item stops the run before anything is sent: every item\'s input is checked first', async () => {
		const result = await run(send(byId(sandbox.ids.random), '={{ $json.text }}'), {
			items: [{ text: 'first' }, { text: '   ' }, { text: 'third' }],
		});
		expectNodeError(result, NodeOperationError, 1, /"text" is empty/);
		expect(calls()).toEqual([]);
		expect(messagesIn(sandbox.ids.random).map((m) => m.text)).not.toContain('first');
	});

	test('with "Continue On Fail", the bad item becomes an error item and the others still run', async () => {
		const result = await run(send(byId(sandbox.ids.random), '={{ $json.text }}'), {
			items: [{ text: 'first' }, { text: '   ' }, { text: 'third' }],
			continueOnFail: true,
		});
		expectOk(result);
		expect(result.output).toHaveLength(3);
		expectEveryItemPaired(result, (index) => index);
		const [first, failed, third] = jsonOf(result);
		expect(first.id).toMatch(HEX24);
		expect(third.id).toMatch(HEX24);
		expect(failed.error).toMatch(/"text" is empty \[item 1\]/);
		expect(failed.description).toMatch(/does not accept empty messages/);
		expect(calls().map((entry) => (entry.body as IDataObject).text)).toEqual(['first', 'third']);
	});

	test('with "Continue On Fail", an API error becomes an error item too (unknown channel among good ones)', async () => {
		const result = await run(send(byName('={{ $json.channel }}'), 'hi'), {
			items: [{ channel: 'general' }, { channel: 'nowhere' }, { channel: 'random' }],
			continueOnFail: true,
		});
		expectOk(result);
		expect(result.output).toHaveLength(3);
		expectEveryItemPaired(result, (index) => index);
		const [general, nowhere, random] = jsonOf(result);
		expect(general.channelId).toBe(sandbox.ids.general);
		expect(random.channelId).toBe(sandbox.ids.random);
		expect(nowhere.error).toMatch(/No channel named "nowhere" is visible to this API key.*\[item 1\]/);
		expect(calls().filter((entry) => entry.path === '/sendMessage').map((entry) => entry.status)).toEqual([200, 200]);
	});
});

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

// ------------------------------------------------------------------------------------------------ reaction/add

describe('reaction → add', () => {
	const react = (channel: unknown, messageId: unknown, emoji: unknown): INodeParameters =>
		({ resource: 'reaction', operation: 'add', channel, messageId, emoji }) as INodeParameters;

	test.each([':+1:', '+1', '👍', ' :+1: '])('"%s" is sent as :+1: and the reaction is on the message', async (emoji) => {
		const message = sandbox.postAs(sandbox.ids.bob, sandbox.ids.general, 'React to me');
		const result = await run(react(byId(sandbox.ids.general), message.id, emoji));
		expectOk(result);

		expect(jsonOf(result)).toEqual([{ status: 'ok' }]);
		expectEveryItemPaired(result);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({ method: 'POST', path: '/addReaction', status: 200 });
		expect(calls()[0].body).toEqual({ messageId: message.id, channelId: sandbox.ids.general, reaction: ':+1:' });
		expectAuthenticatedAsAda(sandbox.log);
		expect(messageById(message.id)?.reactions).toEqual([{ user: sandbox.ids.ada, code: ':+1:' }]);
	});

	test('a skin-toned emoji carries its tone', async () => {
		const message = sandbox.postAs(sandbox.ids.bob, sandbox.ids.general, 'Wave');
		const result = await run(react(byId(sandbox.ids.general), message.id, '👍🏽'));
		expectOk(result);
		expect(calls()[0].body).toMatchObject({ reaction: ':+1:', skinTone: expect.any(Number) });
	});

	test('by channel name: the channel list is read once to find the ID, then the reaction is added', async () => {
		const message = sandbox.postAs(sandbox.ids.bob, sandbox.ids.random, 'Party');
		const result = await run(react(byName('Random'), message.id, 'tada'));
		expectOk(result);
		expect(calls().map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /listChannels', 'POST /addReaction']);
		expect(calls()[1].body).toEqual({ messageId: message.id, channelId: sandbox.ids.random, reaction: ':tada:' });
		expect(messageById(message.id)?.reactions).toContainEqual({ user: sandbox.ids.ada, code: ':tada:' });
	});

	test('an unknown channel name: NodeOperationError after reading the list; nothing is written', async () => {
		const message = sandbox.postAs(sandbox.ids.bob, sandbox.ids.general, 'x');
		const result = await run(react(byName('nowhere'), message.id, '+1'));
		expectNodeError(result, NodeOperationError, 0, /No channel named "nowhere" is visible to this API key/, /pick the channel from the list/);
		expect(calls().map((entry) => `${entry.method} ${entry.path}`)).toEqual(['GET /listChannels']);
		expect(messageById(message.id)?.reactions).toEqual([]);
	});

	test('not an emoji: NodeOperationError; nothing is sent', async () => {
		const message = sandbox.postAs(sandbox.ids.bob, sandbox.ids.general, 'x');
		const result = await run(react(byId(sandbox.ids.general), message.id, 'thumbs up!'));
		expectNodeError(result, NodeOperationError, 0, /is not an emoji Pumble knows/, /Unicode emoji/);
		expect(sandbox.log).toEqual([]);
	});

	test('a malformed message ID: NodeOperationError; nothing is sent', async () => {
		const result = await run(react(byId(sandbox.ids.general), 'xyz', '+1'));
		expectNodeError(result, NodeOperationError, 0, /"xyz" is not a valid Pumble message ID/);
		expect(sandbox.log).toEqual([]);
	});

	test('the message ID chained from a previous node\'s output ($json.id)', async () => {
		const messages = [1, 2, 3].map((n) => sandbox.postAs(sandbox.ids.bob, sandbox.ids.general, `m${n}`));
		const result = await run(react(byId('={{ $json.channelId }}'), '={{ $json.id }}', '={{ $json.emoji }}'), {
			items: messages.map((m, index) => ({ id: m.id, channelId: m.channelId, emoji: ['👍', 'tada', ':eyes:'][index] })),
		});
		expectOk(result);
		expectEveryItemPaired(result, (index) => index);
		expect(messages.map((m) => messageById(m.id)?.reactions.map((r) => r.code))).toEqual([[':+1:'], [':tada:'], [':eyes:']]);
	});
});

// ------------------------------------------------------------------------------------------------ channel/create

describe('channel → create', () => {
	const create = (name: unknown, type?: string, options: IDataObject = {}): INodeParameters =>
		({ resource: 'channel', operation: 'create', name, ...(type ? { type } : {}), options }) as INodeParameters;

	test('a public channel with a description (type defaults to public)', async () => {
		const result = await run(create('project-updates', undefined, { description: 'Weekly status' }));
		expectOk(result);

		const [receipt] = jsonOf(result);
		expect(receipt).toEqual({ id: expect.stringMatching(HEX24), name: 'project-updates' });
		expectEveryItemPaired(result);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({ method: 'POST', path: '/createChannel', status: 200 });
		expect(calls()[0].body).toEqual({ name: 'project-updates', type: 'PUBLIC', description: 'Weekly status' });
		expectAuthenticatedAsAda(sandbox.log);
		expect(sandbox.state.channels.find((c) => c.id === receipt.id)).toMatchObject({
			name: 'project-updates',
			channelType: 'PUBLIC',
			description: 'Weekly status',
			creatorId: sandbox.ids.ada,
			members: [sandbox.ids.ada],
		});
	});

	test('a private channel; a "#" and surrounding spaces are dropped; Pumble lowercases and dashes the name', async () => {
		const result = await run(create('  #Secret Plans ', 'private'));
		expectOk(result);
		expect(calls()[0].body).toEqual({ name: 'Secret Plans', type: 'PRIVATE' });
		const [receipt] = jsonOf(result);
		expect(receipt.name).toBe('secret-plans');
		expect(sandbox.state.channels.find((c) => c.id === receipt.id)?.channelType).toBe('PRIVATE');
	});

	test('the new channel can be used by name right away (the cached channel list is refreshed)', async () => {
		await runListSearch({ method: 'searchChannels', credentials: credentials() }); // fills the list cache
		expectOk(await run(create('fresh-room')));
		const message = sandbox.postAs(sandbox.ids.ada, sandbox.state.channels.find((c) => c.name === 'fresh-room')!.id, 'hi');
		const result = await run({ resource: 'reaction', operation: 'add', channel: byName('fresh-room'), messageId: message.id, emoji: '+1' } as INodeParameters);
		expectOk(result);
	});

	test.each([
		['bad/name!', /"bad\/name!" is not a valid channel name/],
		['semi;colon', /"semi;colon" is not a valid channel name/],
		['x'.repeat(81), /is not a valid channel name/],
	])('a name with bad characters or too long (%s): NodeOperationError; nothing is sent', async (name, message) => {
		const result = await run(create(name));
		expectNodeError(result, NodeOperationError, 0, message, /letters, digits, spaces/);
		expect(sandbox.log).toEqual([]);
	});

	test('an empty name from an expression: NodeOperationError; nothing is sent', async () => {
		const result = await run(create('={{ $json.name }}'), { items: [{ name: '   ' }] });
		expectNodeError(result, NodeOperationError, 0, /channel name is empty/);
		expect(sandbox.log).toEqual([]);
	});

	test('a description over 250 characters: NodeOperationError; nothing is sent', async () => {
		const result = await run(create('ok-name', 'public', { description: 'd'.repeat(251) }));
		expectNodeError(result, NodeOperationError, 0, /"description" is 251 characters long; Pumble allows 250/);
		expect(sandbox.log).toEqual([]);
	});

	test('a name already taken: NodeApiError with Pumble\'s words', async () => {
		const result = await run(create('general'));
		expectNodeError(result, NodeApiError, 0, /createChannel failed \(HTTP 403\): Channel name already taken/);
		expect(sandbox.state.channels.filter((c) => c.name === 'general')).toHaveLength(1);
	});
});

// ------------------------------------------------------------------------------------------------ channel/getAll

describe('channel → get many', () => {
	const getAll = (returnAll: boolean, extra: IDataObject = {}): INodeParameters =>
		({ resource: 'channel', operation: 'getAll', returnAll, ...extra }) as INodeParameters;

	const visibleToAda = () => sandbox.state.channels.filter((c) => c.members.includes(sandbox.ids.ada) || c.channelType === 'PUBLIC');

	test('"Return All": every channel the key\'s user sees, one item each with its members, from one GET', async () => {
		const result = await run(getAll(true));
		expectOk(result);
		expectEveryItemPaired(result);
		const ids = jsonOf(result).map((json) => json.id);
		expect(new Set(ids)).toEqual(new Set(visibleToAda().map((c) => c.id)));
		expect(ids).not.toContain(sandbox.ids.hiring); // private, Ada is not a member
		for (const json of jsonOf(result)) {
			expect(json).toMatchObject({ id: expect.stringMatching(HEX24), channelType: expect.stringMatching(/^(PUBLIC|PRIVATE|DIRECT|SELF)$/) });
			expect(Array.isArray(json.users)).toBe(true);
		}
		expect(jsonOf(result).find((json) => json.id === sandbox.ids.leadership)?.users).toEqual(
			expect.arrayContaining([sandbox.ids.ada, sandbox.ids.bob]),
		);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({ method: 'GET', path: '/listChannels', status: 200 });
		expectAuthenticatedAsAda(sandbox.log);
	});

	test('a limit', async () => {
		const result = await run(getAll(false, { limit: 2 }));
		expectOk(result);
		expect(result.output).toHaveLength(2);
	});

	test.each([
		[['public'], ['PUBLIC']],
		[['private'], ['PRIVATE']],
		[['direct', 'self'], ['DIRECT', 'SELF']],
		[['public', 'private', 'direct', 'self'], ['PUBLIC', 'PRIVATE', 'DIRECT', 'SELF']],
	])('filter types %j → only %j', async (types, expected) => {
		const result = await run(getAll(true, { filters: { types } }));
		expectOk(result);
		const got = jsonOf(result).map((json) => json.channelType as string);
		expect(got.length).toBeGreaterThan(0);
		expect(new Set(got)).toEqual(new Set(expected));
		const wanted = visibleToAda().filter((c) => expected.includes(c.channelType));
		expect(got).toHaveLength(wanted.length);
	});

	test('a channel created meanwhile is listed (no stale cache)', async () => {
		expectOk(await run(getAll(true)));
		expectOk(await run({ resource: 'channel', operation: 'create', name: 'brand-new' } as INodeParameters));
		const result = await run(getAll(true, { filters: { types: ['public'] } }));
		expectOk(result);
		expect(jsonOf(result).map((json) => json.name)).toContain('brand-new');
	});
});

// ------------------------------------------------------------------------------------------------ several items, failures

describe('several items and failures on the way', () => {
	const create = (name: string): INodeParameters => ({ resource: 'channel', operation: 'create', name }) as INodeParameters;
	const send = (text: string): INodeParameters =>
		({ resource: 'message', operation: 'send', channel: byId(sandbox.ids.general), text }) as INodeParameters;

	test('channel create over several items, one failing, with "Continue On Fail": the others are created', async () => {
		const result = await run(create('={{ $json.name }}'), {
			items: [{ name: 'alpha' }, { name: 'bad/name' }, { name: 'gamma' }],
			continueOnFail: true,
		});
		expectOk(result);
		expectEveryItemPaired(result, (index) => index);
		expect(jsonOf(result).map((json) => json.name ?? json.error)).toEqual(['alpha', expect.stringMatching(/not a valid channel name \[item 1\]/), 'gamma']);
		expect(sandbox.state.channels.map((c) => c.name)).toEqual(expect.arrayContaining(['alpha', 'gamma']));
	});

	/**
	 * n8n's convention without "Continue On Fail": the node stops at the failing item, so the items after it
	 * do nothing (the run shows only the error) — and re-running the workflow does not create them twice.
	 */
	test('channel create without "Continue On Fail": nothing after the failing item is created', async () => {
		const result = await run(create('={{ $json.name }}'), { items: [{ name: 'alpha' }, { name: 'bad/name' }, { name: 'gamma' }] });
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(sandbox.state.channels.map((c) => c.name)).not.toContain('gamma');
	});

	test('429 with Retry-After: the send waits, is retried, and the message is posted exactly once', async () => {
		// Carol, whose rate limiter (one per Pumble user, process-wide) has seen no traffic from the other tests:
		// after a 429 it sizes the operation to what the user's window already holds.
		const carolKey = `${apiKey}-carol`;
		sandbox.configure({ extraKeys: { [carolKey]: 'carol' } });
		sandbox.queueFault('429', { path: '/sendMessage' });
		const result = await runNode({ parameters: send('After the rate limit'), credentials: { apiKey: carolKey, baseUrl: sandbox.url } });
		expectOk(result);
		expectNoSecret(result, carolKey);
		const sends = calls().filter((entry) => entry.path === '/sendMessage');
		expect(sends.map((entry) => entry.status)).toEqual([429, 200]);
		expect(sends[1].ts - sends[0].ts).toBeGreaterThanOrEqual(900);
		expect(messagesIn(sandbox.ids.general).filter((m) => m.text === 'After the rate limit')).toHaveLength(1);
	});

	test('a 502 HTML page on a read is retried; the list still arrives', async () => {
		sandbox.queueFault('html-error', { path: '/listChannels' });
		const result = await run({ resource: 'channel', operation: 'getAll', returnAll: true } as INodeParameters);
		expectOk(result);
		expect(result.output.length).toBeGreaterThan(0);
		expect(calls().map((entry) => entry.status)).toEqual([502, 200]);
	});

	test('a 502 HTML page on a send: the node looks in the channel, finds nothing, sends once more', async () => {
		sandbox.queueFault('html-error', { path: '/sendMessage' });
		const result = await run(send('Not posted the first time'));
		expectOk(result);
		expect(jsonOf(result)).toEqual([{ id: expect.stringMatching(HEX24), channelId: sandbox.ids.general, attempts: 2 }]);
		// A first look, then — nothing found — a second once the landing time has passed, then the resend.
		expect(calls().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
			'POST /sendMessage 502',
			'GET /listMessages 200',
			'GET /listMessages 200',
			'POST /sendMessage 200',
		]);
		expect(messagesIn(sandbox.ids.general).filter((m) => m.text === 'Not posted the first time')).toHaveLength(1);
	});

	test('the connection drops after Pumble posted: the node finds the message instead of posting it twice', async () => {
		sandbox.queueFault('reset-after', { path: '/sendMessage' });
		const result = await run(send('Posted, answer lost'));
		expectOk(result);
		const posted = messagesIn(sandbox.ids.general).filter((m) => m.text === 'Posted, answer lost');
		expect(posted).toHaveLength(1);
		expect(jsonOf(result)).toEqual([{ id: posted[0].id, channelId: sandbox.ids.general, reconciled: true }]);
		expect(calls().filter((entry) => entry.path === '/sendMessage')).toHaveLength(1);
	});

	test('a write that is not reconciled (channel create) whose answer is lost: NodeApiError, not sent again', async () => {
		sandbox.queueFault('reset-after', { path: '/createChannel' });
		const result = await run(create('lost-answer'));
		expect(result.error).toBeInstanceOf(NodeApiError);
		const error = result.error as NodeApiError;
		expect(error.context.itemIndex).toBe(0);
		expect(error.description).toMatch(/may or may not have been carried out by Pumble\. Check in Pumble before running it again/);
		expectNoSecret(result);
		expect(calls().filter((entry) => entry.path === '/createChannel')).toHaveLength(1);
		expect(sandbox.state.channels.filter((c) => c.name === 'lost-answer')).toHaveLength(1);
	});

	/**
	 * n8n's NodeApiError replaces any message containing a common network code (ECONNRESET, ECONNREFUSED,
	 * ETIMEDOUT, ...) with its generic "You can retry the request immediately", which would lose the
	 * operation and item and advise the very retry the description warns against (the channel was created).
	 */
	test('… and its message keeps the operation and item instead of n8n\'s "retry immediately"', async () => {
		sandbox.queueFault('reset-after', { path: '/createChannel' });
		const result = await run(create('lost-answer'));
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.message).toMatch(/createChannel failed.*\[item 0\]/);
		expect(result.error?.message).not.toMatch(/retry the request immediately/);
	});
});

// ------------------------------------------------------------------------------------------------ the harness itself

describe('the channel list behind "From List" (listSearch through n8n-core\'s LoadOptionsContext)', () => {
	test('labels and filter', async () => {
		const all = await runListSearch({ method: 'searchChannels', credentials: credentials() });
		expect(all.results.map((entry) => entry.name)).toEqual(expect.arrayContaining(['#general', '#random', '🔒 leadership', 'Notes to self']));
		const filtered = await runListSearch({ method: 'searchChannels', filter: 'gen', credentials: credentials() });
		expect(filtered.results).toEqual([{ name: '#general', value: sandbox.ids.general }]);
		expectAuthenticatedAsAda(sandbox.log);
	});
});
