/**
 * The Node-RED `pumble` node in Node-RED's own runtime (node-red-node-test-helper over `node-red`), against
 * the sandbox over HTTP: messages in and out, lists, the msg contract, errors to Catch nodes, status, and
 * one rate limiter per Pumble user shared by every node.
 */
import type { Sandbox } from '../../../sandbox';
import { collect, getNode, helper, loadFlow, nodeRedSuite, type FlowNode } from '../../helpers/nodeRed';

let sandbox: Sandbox;
nodeRedSuite((started) => (sandbox = started));

const sends = () => sandbox.log.filter((e) => e.path === '/sendMessage');
const pumble = (fields: Record<string, unknown>, id = 'p1'): FlowNode => ({ id, type: 'pumble', pumble: 'cfg', wires: [['out']], ...fields });
const catchAll: FlowNode = { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] };
const statusAll: FlowNode = { id: 'watcher', type: 'status', scope: null, wires: [['statuses']] };
const helpers: FlowNode[] = [
	{ id: 'out', type: 'helper' },
	{ id: 'caught', type: 'helper' },
	{ id: 'statuses', type: 'helper' },
];

describe('messages in, results out', () => {
	it('sends msg.payload as the text to the channel named in the node, and puts the receipt in msg.payload', async () => {
		await loadFlow(sandbox, [pumble({ resource: 'message', operation: 'send', channel: 'general' }), ...helpers]);
		const out = collect('out');
		getNode('p1').receive({ payload: 'Hello from Node-RED', topic: 'kept' });
		const [msg] = await out.next(1);
		const posted = sandbox.state.messages.find((m) => m.text === 'Hello from Node-RED');
		expect(posted).toBeDefined();
		expect(msg.payload).toEqual({ id: posted!.id, channelId: sandbox.ids.general });
		expect(msg.topic).toBe('kept');
		expect(sends()).toHaveLength(1);
		expect(sends()[0].body).toMatchObject({ text: 'Hello from Node-RED' });
		expect(posted!.channelId).toBe(sandbox.ids.general);
	});

	it('empty fields are not set, whatever their type (a new node has `params: ""` of type json)', async () => {
		const empty = { params: '', paramsType: 'json', channelType: 'str', text: '', textType: 'msg', emoji: ' ', emojiType: 'jsonata', user: '', userType: 'num' };
		await loadFlow(sandbox, [pumble({ resource: 'message', operation: 'send', channel: 'general', ...empty }), catchAll, ...helpers]);
		const out = collect('out');
		const caught = collect('caught');
		getNode('p1').receive({ payload: 'sent with empty fields' });
		const [msg] = await Promise.race([out.next(1), caught.next(1)]);
		expect(msg.error).toBeUndefined();
		expect(sends().map((e) => (e.body as { text?: string }).text)).toEqual(['sent with empty fields']);
	});

	it('takes every parameter from msg.payload, and the operation from msg.resource / msg.operation when set to "from message"', async () => {
		await loadFlow(sandbox, [pumble({ resource: 'msg' }), ...helpers]);
		const out = collect('out');
		const root = sandbox.ids.randomThreadRoot;
		getNode('p1').receive({ resource: 'reaction', operation: 'add', payload: { channel: sandbox.ids.random, messageId: root, emoji: '👍' } });
		getNode('p1').receive({ resource: 'message', operation: 'reply', payload: { channel: '#random', messageId: root, text: 'on it' } });
		const results = await out.next(2);
		const reacted = results.find((m) => m.resource === 'reaction')!;
		const replied = results.find((m) => m.resource === 'message')!;
		expect(sandbox.log.find((e) => e.path === '/addReaction')?.body).toMatchObject({ messageId: root, reaction: ':+1:' });
		expect(reacted.payload).toEqual({ status: expect.any(String) });
		const reply = sandbox.state.messages.find((m) => m.text === 'on it');
		expect(replied.payload).toEqual({ id: reply!.id, channelId: sandbox.ids.random });
	});

	it("writes Pumble answers with an empty body give the core's receipts (the n8n node's items): IDs in Pumble's form, names resolved", async () => {
		await loadFlow(sandbox, [pumble({ resource: 'msg' }), ...helpers]);
		const out = collect('out');
		const node = getNode('p1');
		const next = async () => (await out.next()).at(-1)!.payload;
		node.receive({ resource: 'message', operation: 'send', payload: { channel: 'general', text: 'to be edited' } });
		const mine = (await next()) as { id: string };
		node.receive({ resource: 'message', operation: 'update', payload: { channel: 'general', messageId: mine.id.toUpperCase(), text: 'edited' } });
		expect((await next())).toEqual({ success: true, messageId: mine.id, channelId: sandbox.ids.general });
		node.receive({ resource: 'channel', operation: 'addUsers', payload: { channel: '#leadership', userIds: ` ${sandbox.ids.carol.toUpperCase()} ` } });
		expect((await next())).toEqual({ success: true, channelId: sandbox.ids.leadership, userIds: [sandbox.ids.carol] });
		node.receive({ resource: 'channel', operation: 'removeUser', payload: { channel: 'leadership', user: sandbox.ids.carol } });
		expect((await next())).toEqual({ success: true, channelId: sandbox.ids.leadership, userId: sandbox.ids.carol });
		node.receive({ resource: 'message', operation: 'delete', payload: { channel: sandbox.ids.general, messageId: mine.id.toUpperCase() } });
		expect((await next())).toEqual({ deleted: true, messageId: mine.id });
	});

	it('sends one message per result for lists, or one array with "single array"', async () => {
		await loadFlow(sandbox, [
			pumble({ resource: 'message', operation: 'getAll', channel: sandbox.ids.general, params: '{"limit":3}', paramsType: 'json' }),
			pumble({ resource: 'message', operation: 'getAll', channel: sandbox.ids.general, params: '{"limit":3}', paramsType: 'json', singleArray: true, wires: [['single']] }, 'p2'),
			{ id: 'single', type: 'helper' },
			...helpers,
		]);
		const out = collect('out');
		const single = collect('single');
		getNode('p1').receive({ payload: {} });
		getNode('p2').receive({ payload: {} });
		const perResult = await out.next(3);
		const [asArray] = await single.next(1);
		const newest = [...sandbox.state.messages].filter((m) => m.channelId === sandbox.ids.general && !m.threadRootId).sort((a, b) => b.timestampMilli - a.timestampMilli).slice(0, 3);
		expect(perResult.map((m) => (m.payload as { id: string }).id)).toEqual(newest.map((m) => m.id));
		expect((asArray.payload as Array<{ id: string }>).map((m) => m.id)).toEqual(newest.map((m) => m.id));
	});

	it('keeps the order of messages to one conversation', async () => {
		sandbox.configure({ latencyMs: { min: 0, max: 20 } });
		await loadFlow(sandbox, [pumble({ resource: 'message', operation: 'send', channel: 'general' }), ...helpers]);
		const out = collect('out');
		for (let i = 0; i < 20; i++) getNode('p1').receive({ payload: `ordered ${i}` });
		await out.next(20);
		const posted = sandbox.state.messages.filter((m) => m.text.startsWith('ordered ')).map((m) => m.text);
		expect(posted).toEqual(Array.from({ length: 20 }, (_, i) => `ordered ${i}`));
	});
});

describe('errors reach Catch nodes, with the status', () => {
	it('bad input: Catch gets what is wrong and how to fix it, nothing is sent, the status turns red', async () => {
		await loadFlow(sandbox, [pumble({ resource: 'message', operation: 'send', channel: 'general' }), catchAll, statusAll, ...helpers]);
		const caught = collect('caught');
		const statuses = collect('statuses');
		getNode('p1').receive({ payload: '   ' });
		const [msg] = await caught.next(1);
		expect(msg.error?.message).toMatch(/text/i);
		expect(msg.error?.message).toMatch(/—/); // the hint follows
		expect(msg.error?.source?.id).toBe('p1');
		expect(msg.error?.code).toBe('bad-input');
		expect(msg.error?.cause).toEqual({ kind: 'bad-input', parameter: 'text', hint: expect.any(String), itemIndex: 0 });
		expect(msg.error?.message).toContain(msg.error?.cause?.hint as string);
		expect(msg.error?.stack?.split('\n')[1]).toMatch(/[/\\]core[/\\]/); // the stack starts where the core found it
		expect(sends()).toHaveLength(0);
		await statuses.next(2);
		expect(statuses.messages.at(-1)?.status).toMatchObject({ fill: 'red', shape: 'ring' });
	});

	it("Pumble's refusal: Catch gets Pumble's words and the hint, as in n8n", async () => {
		await loadFlow(sandbox, [pumble({ resource: 'message', operation: 'get', channel: sandbox.ids.general, messageId: 'ffffffffffffffffffffffff' }), catchAll, ...helpers]);
		const caught = collect('caught');
		getNode('p1').receive({ payload: {} });
		const [msg] = await caught.next(1);
		expect(msg.error?.message).toMatch(/Pumble fetchMessage failed \(HTTP 403/);
		expect(msg.error?.message).toMatch(/could not find/i);
		expect(msg.error?.code).toBe('not-found');
		expect(msg.error?.cause).toMatchObject({ kind: 'not-found', httpStatus: 403, outcome: 'rejected', hint: expect.stringMatching(/could not find/i), itemIndex: 0 });
	});

	it("the failing item's place in a split sequence is msg.error.cause.itemIndex; a field that cannot be read is bad input naming it", async () => {
		await loadFlow(sandbox, [
			pumble({ resource: 'message', operation: 'get', channel: sandbox.ids.general, messageId: 'ffffffffffffffffffffffff' }),
			pumble({ resource: 'message', operation: 'send', channel: 'general', text: '$undefinedFunction()', textType: 'jsonata' }, 'p2'),
			catchAll,
			...helpers,
		]);
		const caught = collect('caught');
		getNode('p1').receive({ payload: {}, parts: { id: 'seq', index: 2, count: 3, type: 'array' } });
		const [first] = await caught.next(1);
		expect(first.error?.cause).toMatchObject({ kind: 'not-found', itemIndex: 2 });
		getNode('p2').receive({ payload: {} });
		const [, second] = await caught.next(2);
		expect(second.error?.code).toBe('bad-input');
		expect(second.error?.cause).toMatchObject({ parameter: 'text' });
		expect(second.error?.message).toMatch(/"text" field \(jsonata\) could not be read/);
		expect(sends()).toHaveLength(0);
	});

	it('an unknown channel name fails before any write', async () => {
		await loadFlow(sandbox, [pumble({ resource: 'message', operation: 'send', channel: 'no-such-channel' }), catchAll, ...helpers]);
		const caught = collect('caught');
		getNode('p1').receive({ payload: 'hi' });
		const [msg] = await caught.next(1);
		expect(msg.error?.message).toMatch(/No channel named "no-such-channel"/);
		expect(msg.error?.code).toBe('bad-input');
		expect(sends()).toHaveLength(0);
	});

	it('an unknown operation from the message says how to choose one', async () => {
		await loadFlow(sandbox, [pumble({ resource: 'msg' }), catchAll, ...helpers]);
		const caught = collect('caught');
		getNode('p1').receive({ resource: 'message', operation: 'shout', payload: {} });
		const [msg] = await caught.next(1);
		expect(msg.error?.message).toMatch(/Unknown Pumble operation "message.shout"/);
		expect(msg.error?.cause).toMatchObject({ kind: 'bad-input', parameter: 'operation' });
	});
});

describe('one rate limiter per Pumble user', () => {
	it('two nodes of two config nodes with keys of the same user share one budget', async () => {
		const firstKey = `carol-key-1-${process.pid}`;
		const secondKey = `carol-key-2-${process.pid}`;
		sandbox.configure({ extraKeys: { [firstKey]: 'carol', [secondKey]: 'carol' } });
		await loadFlow(
			sandbox,
			[
				{ id: 'cfg2', type: 'pumble-config', baseUrl: sandbox.url, requestsPerMinute: 6 },
				pumble({ resource: 'message', operation: 'send', channel: sandbox.ids.general }),
				pumble({ resource: 'message', operation: 'send', channel: sandbox.ids.general, pumble: 'cfg2' }, 'p2'),
				...helpers,
			],
			{ requestsPerMinute: 6 },
			{ cfg: { apiKey: firstKey }, cfg2: { apiKey: secondKey } },
		);
		for (let i = 0; i < 6; i++) getNode('p1').receive({ payload: `a${i}` });
		for (let i = 0; i < 6; i++) getNode('p2').receive({ payload: `b${i}` });
		// 6 requests per minute for the user, whichever key or node: the /myInfo that tells each key's user,
		// then sends of both nodes, then the rest wait for the window (a minute) instead of being sent.
		while (sandbox.log.length < 6) await new Promise((resolve) => setTimeout(resolve, 50));
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(sandbox.log).toHaveLength(6);
		expect(sends().length).toBeGreaterThanOrEqual(4);
		expect(new Set(sends().map((e) => e.keyHash)).size).toBe(2); // both keys sent
		expect(new Set(sandbox.log.map((e) => e.userId))).toEqual(new Set([sandbox.ids.carol]));
	});
});

describe("the editor's pickers (admin routes of the config node)", () => {
	type Agent = { get(path: string): Promise<{ status: number; body: unknown }> };
	const admin = () => (helper.request() as unknown as Agent);

	it('lists the channels and the users the key can see, read through the core', async () => {
		await loadFlow(sandbox, [...helpers]);
		const channels = await admin().get('/pumble-config/cfg/channels');
		expect(channels.status).toBe(200);
		const names = (channels.body as Array<{ id: string; name: string }>).map((c) => c.name);
		expect(names).toEqual(expect.arrayContaining(['general', 'random', 'leadership']));
		expect(names).not.toContain('hiring'); // private, and Ada is not a member
		const users = await admin().get('/pumble-config/cfg/users');
		expect(users.status).toBe(200);
		expect((users.body as Array<{ email: string }>).map((u) => u.email)).toEqual(expect.arrayContaining([expect.stringMatching(/@/)]));
		expect(sandbox.log.filter((e) => e.path === '/listChannels' || e.path === '/listUsers').every((e) => e.status === 200)).toBe(true);
	});

	it('says to deploy the config node first when it is not running', async () => {
		await loadFlow(sandbox, [...helpers]);
		const answer = await admin().get('/pumble-config/not-deployed/channels');
		expect(answer.status).toBe(404);
		expect(answer.body).toEqual({ error: expect.stringMatching(/Deploy the Pumble config node first/) });
	});
});
