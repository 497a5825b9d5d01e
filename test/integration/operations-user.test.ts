/**
 * Users (Get, Get Many, Get Me, Set Custom Status), User Groups (Get Many) and the user option list behind
 * the multi-select fields, run by n8n-core's real contexts (test/helpers/runNode) against the Pumble
 * sandbox over real HTTP: what the sandbox received, the output items, and one bad input each.
 *
 * Every test uses its own API key for Ada, so the node's per-key caches start empty; the rate limiter's
 * one-off GET /myInfo for a new key is left out of `calls()` (except where Get Me is the subject).
 */
import { NodeApiError, NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodeType } from 'n8n-workflow';

import { Pumble } from '../../nodes/Pumble/Pumble.node';
import { NEVER_EXPIRES } from '../../core';
import { runListSearch, runNode, type RunNodeResult } from '../helpers/runNode';
import { byEmail, byId, expectNodeError, expectOk, fromList, jsonOf, sandboxSuite, type Sandbox } from '../helpers/sandboxSuite';

const HOUR = 3_600_000;

const userRecord = (id: string) => sandbox.state.users.find((u) => u.id === id)!;

const SIMPLE_USER_KEYS = ['email', 'id', 'isBot', 'name', 'role', 'status'];

const suite = sandboxSuite('ops-user');
const { calls, run } = suite;
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = suite.sandbox;
});

// ------------------------------------------------------------------------------------------------ user/get

describe('user → get', () => {
	const get = (user: unknown, extra: IDataObject = {}) => ({ resource: 'user', operation: 'get', user, ...extra });

	test('from the list: found in GET /listUsers (Pumble has no "get user"); simplified by default', async () => {
		const result = await run(get(fromList(sandbox.ids.carol)));
		expectOk(result);
		expect(calls()).toEqual([expect.objectContaining({ method: 'GET', path: '/listUsers', status: 200 })]);
		expect(jsonOf(result)).toEqual([
			{ id: sandbox.ids.carol, name: 'Carol Shaw', email: 'carol@example.com', status: 'ACTIVATED', role: 'USER', isBot: false },
		]);
	});

	test('by email, case-insensitive, with Simplify off: Pumble\'s whole user object', async () => {
		const result = await run(get(byEmail(' BOB@example.com '), { simplify: false }));
		expectOk(result);
		expect(calls('/listUsers')).toHaveLength(1);
		expect(jsonOf(result)).toEqual([userRecord(sandbox.ids.bob) as unknown as IDataObject]);
		expect(Object.keys(jsonOf(result)[0]).length).toBeGreaterThan(SIMPLE_USER_KEYS.length);
	});

	test('a bot is marked as one', async () => {
		const result = await run(get(byId(sandbox.ids.adaBot)));
		expectOk(result);
		expect(jsonOf(result)[0]).toMatchObject({ id: sandbox.ids.adaBot, isBot: true });
	});

	test('an ID that is nobody in the workspace: NodeApiError saying so', async () => {
		const result = await run(get(byId('0123456789abcdef01234567')));
		expectNodeError(result, NodeApiError, /No user with ID 0123456789abcdef01234567/);
	});
});

// ------------------------------------------------------------------------------------------------ user/getAll

describe('user → get many', () => {
	const getAll = (extra: IDataObject) => ({ resource: 'user', operation: 'getAll', ...extra });
	const ids = (result: RunNodeResult) => jsonOf(result).map((json) => json.id);

	test('everyone by default (bots and deactivated accounts included), from one GET /listUsers', async () => {
		const result = await run(getAll({ returnAll: true }));
		expectOk(result);
		expect(calls()).toEqual([expect.objectContaining({ method: 'GET', path: '/listUsers' })]);
		expect(ids(result)).toEqual(sandbox.state.users.map((u) => u.id));
		for (const json of jsonOf(result)) expect(Object.keys(json).sort()).toEqual(SIMPLE_USER_KEYS);
	});

	test('filters: active people only (status, bots excluded)', async () => {
		const result = await run(getAll({ returnAll: true, filters: { status: 'active', includeBots: false } }));
		expectOk(result);
		expect(ids(result)).toEqual([sandbox.ids.ada, sandbox.ids.bob, sandbox.ids.carol]);
	});

	test('filters: deactivated accounts', async () => {
		const result = await run(getAll({ returnAll: true, filters: { status: 'deactivated' } }));
		expectOk(result);
		expect(jsonOf(result)).toEqual([expect.objectContaining({ id: sandbox.ids.dave, status: 'DEACTIVATED' })]);
	});

	test('a limit slices the list locally (listUsers has no paging)', async () => {
		const result = await run(getAll({ limit: 2, simplify: false }));
		expectOk(result);
		expect(ids(result)).toEqual([sandbox.ids.ada, sandbox.ids.bob]);
		expect(jsonOf(result)[0]).toHaveProperty('avatar');
		expect(calls()[0].query).toEqual({});
	});

	test('an unknown status from an expression: NodeOperationError; nothing is sent', async () => {
		const result = await run(getAll({ returnAll: true, filters: { status: '={{ "away" }}' } }));
		expectNodeError(result, NodeOperationError, /"away" is not a user status/);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ user/getMe

describe('user → get me', () => {
	test('GET /myInfo: the key\'s owner, simplified', async () => {
		const result = await run({ resource: 'user', operation: 'getMe' });
		expectOk(result);
		expect(sandbox.log.length).toBeGreaterThan(0);
		expect(sandbox.log.every((entry) => entry.method === 'GET' && entry.path === '/myInfo')).toBe(true);
		expect(jsonOf(result)).toEqual([{ id: sandbox.ids.ada, name: 'Ada Lovelace', email: 'ada@example.com', status: 'ACTIVATED', role: 'OWNER', isBot: false }]);
	});

	test('read fresh each time: a status set a moment ago shows', async () => {
		expectOk(await run({ resource: 'user', operation: 'getMe' }));
		expectOk(await run({ resource: 'user', operation: 'setStatus', emoji: ':coffee:', statusText: 'Break' }));
		sandbox.log.length = 0;
		const result = await run({ resource: 'user', operation: 'getMe', simplify: false });
		expectOk(result);
		expect(sandbox.log.map((entry) => entry.path)).toEqual(['/myInfo']);
		expect(jsonOf(result)[0].customStatus).toMatchObject({ code: ':coffee:', status: 'Break' });
	});

	test('Simplify off: the whole object', async () => {
		const result = await run({ resource: 'user', operation: 'getMe', simplify: false });
		expectOk(result);
		expect(jsonOf(result)).toEqual([userRecord(sandbox.ids.ada) as unknown as IDataObject]);
	});

	test('a key Pumble does not know: NodeApiError (and the key appears nowhere in it)', async () => {
		const wrongKey = `not-a-key-${Math.random().toString(36).slice(2)}`;
		const result = await runNode({
			parameters: { resource: 'user', operation: 'getMe' },
			credentials: { apiKey: wrongKey, baseUrl: sandbox.url },
		});
		expectNodeError(result, NodeApiError, /myInfo failed \(HTTP 403/);
		expect(JSON.stringify(result.error) + result.error?.message).not.toContain(wrongKey);
	});
});

// ------------------------------------------------------------------------------------------------ user/setStatus

describe('user → set custom status', () => {
	const setStatus = (extra: IDataObject) => ({ resource: 'user', operation: 'setStatus', ...extra });

	test('POST /customStatus with the emoji code, text and expiry in epoch ms; the empty answer becomes a success item', async () => {
		const expires = Math.floor((Date.now() + 4 * HOUR) / 1000) * 1000;
		const result = await run(setStatus({ emoji: '🌴', statusText: 'On vacation', expiresAt: new Date(expires).toISOString() }));
		expectOk(result);
		expect(calls()).toEqual([
			expect.objectContaining({ method: 'POST', path: '/customStatus', status: 200, body: { code: ':palm_tree:', status: 'On vacation', expiresAt: expires } }),
		]);
		expect(jsonOf(result)).toEqual([{ success: true, emoji: ':palm_tree:', statusText: 'On vacation', expiresAt: expires }]);
		expect(userRecord(sandbox.ids.ada).customStatus).toMatchObject({ code: ':palm_tree:', status: 'On vacation', expiresAt: expires });
	});

	test('no expiry: the status never expires (Pumble\'s own far-future value); no text is fine', async () => {
		const result = await run(setStatus({ emoji: 'coffee' }));
		expectOk(result);
		expect(calls()[0].body).toEqual({ code: ':coffee:', expiresAt: NEVER_EXPIRES });
		expect(jsonOf(result)).toEqual([{ success: true, emoji: ':coffee:', statusText: '', expiresAt: null }]);
	});

	test('an expiry in the past: NodeOperationError; nothing is sent', async () => {
		const result = await run(setStatus({ emoji: ':coffee:', expiresAt: new Date(Date.now() - HOUR).toISOString() }));
		expectNodeError(result, NodeOperationError, /The expiry is in the past/);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ userGroup/getAll

describe('user group → get many', () => {
	const getAll = (extra: IDataObject) => ({ resource: 'userGroup', operation: 'getAll', ...extra });

	test('GET /listUserGroups: one item per group', async () => {
		const result = await run(getAll({ returnAll: true }));
		expectOk(result);
		expect(calls()).toEqual([expect.objectContaining({ method: 'GET', path: '/listUserGroups', status: 200 })]);
		expect(jsonOf(result)).toEqual([expect.objectContaining({ id: sandbox.ids.userGroup, name: 'Team', handle: 'team', workspaceUserIds: [sandbox.ids.ada, sandbox.ids.bob] })]);
	});

	test('a limit slices the list locally (listUserGroups has no paging)', async () => {
		const [team] = sandbox.state.userGroups;
		for (let n = 1; n <= 4; n++) sandbox.state.userGroups.push({ ...team, id: `6653${n.toString(16).padStart(20, '0')}`, name: `Group ${n}` });
		const result = await run(getAll({ limit: 3 }));
		expectOk(result);
		expect(jsonOf(result).map((json) => json.name)).toEqual(['Team', 'Group 1', 'Group 2']);
		expect(calls('/listUserGroups')).toHaveLength(1);
	});

	test('a key Pumble does not know: with Continue On Fail, an error item instead of groups', async () => {
		const result = await runNode({
			parameters: { resource: 'userGroup', operation: 'getAll', returnAll: true },
			credentials: { apiKey: 'nobody-has-this-key', baseUrl: sandbox.url },
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([{ error: expect.stringMatching(/HTTP 403/), description: expect.anything() }]);
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
	});
});

// ------------------------------------------------------------------------------------------------ option lists

describe('the user and channel option lists (multi-select fields)', () => {
	/** n8n calls loadOptions with the same LoadOptionsContext it uses for list searches. */
	function asListSearch(method: 'getUsers' | 'getChannels'): INodeType {
		const pumble = new Pumble();
		const load = pumble.methods!.loadOptions![method];
		return {
			description: pumble.description,
			methods: {
				listSearch: {
					[method]: async function (this: ILoadOptionsFunctions) {
						return { results: await load.call(this) };
					},
				},
			},
			execute: pumble.execute,
		} as INodeType;
	}

	test('getUsers: every user, people first, bots and deactivated accounts marked; one GET /listUsers', async () => {
		const { results } = await runListSearch({
			node: asListSearch('getUsers'),
			method: 'getUsers',
			credentials: { apiKey: suite.apiKey, baseUrl: sandbox.url },
			parameters: { resource: 'message', operation: 'send', sendTo: 'users' },
			path: 'parameters.userIds',
		});
		expect(results.slice(0, 3)).toEqual([
			{ name: 'Ada Lovelace', value: sandbox.ids.ada },
			{ name: 'Bob Martin', value: sandbox.ids.bob },
			{ name: 'Carol Shaw', value: sandbox.ids.carol },
		]);
		expect(results).toHaveLength(sandbox.state.users.length);
		expect(results).toContainEqual({ name: 'Dave Cutler (deactivated)', value: sandbox.ids.dave });
		expect(results).toContainEqual({ name: 'Pumble (bot)', value: sandbox.ids.pumbleBot });
		expect(calls('/listUsers')).toHaveLength(1);
	});

	test('getChannels: channels and conversations, DMs labelled by their people', async () => {
		const { results } = await runListSearch({
			node: asListSearch('getChannels'),
			method: 'getChannels',
			credentials: { apiKey: suite.apiKey, baseUrl: sandbox.url },
			parameters: { resource: 'message', operation: 'search' },
			path: 'parameters.filters.in',
		});
		expect(results).toContainEqual({ name: '#general', value: sandbox.ids.general });
		expect(results).toContainEqual({ name: 'DM: Bob Martin, Carol Shaw', value: sandbox.ids.groupDm });
		expect(results.map((option) => option.value)).not.toContain(sandbox.ids.hiring);
	});
});
