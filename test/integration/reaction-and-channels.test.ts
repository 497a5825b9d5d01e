/**
 * Reaction → Add, Channel → Create and Channel → Get Many of the Pumble node, run through n8n-core's
 * WorkflowExecute (test/helpers/runNode) against the Pumble sandbox over real HTTP: the output items, what the
 * sandbox received, and the sandbox's state afterwards; bad input, errors, "Continue On Fail", ordering,
 * paging and secrets.
 *
 * Every test uses its own API key for Ada (an extra sandbox key), so the node's per-key caches (channel
 * list, key → user) start empty. A fresh key's first request is preceded by one GET /myInfo: the rate
 * limiter learning whose budget the key spends. `calls()` leaves those out.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { runListSearch } from '../helpers/runNode';
import { byId, byName, jsonOf, sandboxSuite, type Sandbox } from '../helpers/sandboxSuite';
import { nodeAssertions } from '../helpers/nodeAssertions';

const HEX24 = /^[0-9a-f]{24}$/;

const suite = sandboxSuite('pumble-it-secret');
const { calls, credentials, run } = suite;
const { expectOk, expectEveryItemPaired, expectNodeError, expectAuthenticatedAsAda } = nodeAssertions(suite);
let sandbox: Sandbox;
beforeEach(() => {
	({ sandbox } = suite);
});

const messageById = (id: string) => sandbox.state.messages.find((m) => m.id === id);

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
		expectNodeError(result, NodeOperationError, 0, /"options.description" is 251 characters long; Pumble allows 250/);
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
