/**
 * Message → Send of the Pumble node, run through n8n-core's WorkflowExecute (test/helpers/runNode) against the
 * Pumble sandbox over real HTTP: the output items, what the sandbox received, and the sandbox's state
 * afterwards; bad input, errors, "Continue On Fail", ordering, paging and secrets.
 *
 * Every test uses its own API key for Ada (an extra sandbox key), so the node's per-key caches (channel
 * list, key → user) start empty. A fresh key's first request is preceded by one GET /myInfo: the rate
 * limiter learning whose budget the key spends. `calls()` leaves those out.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { runNode } from '../helpers/runNode';
import { byId, byName, fromList, jsonOf, sandboxSuite, type Sandbox } from '../helpers/sandboxSuite';
import { nodeAssertions } from '../helpers/nodeAssertions';

const HEX24 = /^[0-9a-f]{24}$/;

const suite = sandboxSuite('pumble-it-secret');
const { calls, run } = suite;
const { expectNoSecret, expectOk, expectEveryItemPaired, expectNodeError, expectAuthenticatedAsAda } = nodeAssertions(suite);
let sandbox: Sandbox;
beforeEach(() => {
	({ sandbox } = suite);
});

const messagesIn = (channelId: string) => sandbox.state.messages.filter((m) => m.channelId === channelId);
const messageById = (id: string) => sandbox.state.messages.find((m) => m.id === id);

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
