/**
 * Channel Get / Add Users / Remove User and Reaction Remove, run through n8n-core's WorkflowExecute
 * (test/helpers/runNode) against the Pumble sandbox over real HTTP: what the sandbox received, the output
 * items, the workspace afterwards, and one bad input each.
 *
 * Every test uses its own API key for Ada, so the node's per-key caches start empty; the rate limiter's
 * one-off GET /myInfo for a new key is left out of `calls()`.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { byEmail, byId, byName, expectNodeError, expectOk, fromList, jsonOf, sandboxSuite, type Sandbox } from '../helpers/sandboxSuite';

const channelRecord = (id: string) => sandbox.state.channels.find((c) => c.id === id)!;

const suite = sandboxSuite('ops-channel');
const { calls, run } = suite;
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = suite.sandbox;
});

// ------------------------------------------------------------------------------------------------ channel/get

describe('channel → get', () => {
	const get = (channel: unknown) => ({ resource: 'channel', operation: 'get', channel });

	test('by ID: GET /getChannel?channelId; one item, the channel with its member IDs (as in Get Many)', async () => {
		const result = await run(get(fromList(sandbox.ids.leadership)));
		expectOk(result);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({ method: 'GET', path: '/getChannel', query: { channelId: sandbox.ids.leadership }, status: 200 });
		expect(jsonOf(result)).toEqual([
			expect.objectContaining({
				id: sandbox.ids.leadership,
				name: 'leadership',
				channelType: 'PRIVATE',
				users: [sandbox.ids.ada, sandbox.ids.bob],
			}),
		]);
	});

	test('by name: resolved through the channel list, the ID goes to Pumble', async () => {
		const result = await run(get(byName('#random')));
		expectOk(result);
		expect(calls().map((call) => call.path)).toEqual(['/listChannels', '/getChannel']);
		expect(calls('/getChannel')[0].query).toEqual({ channelId: sandbox.ids.random });
		expect(jsonOf(result)[0]).toMatchObject({ id: sandbox.ids.random, channelType: 'PUBLIC' });
	});

	test('a private channel Ada is not in: NodeApiError from Pumble', async () => {
		const result = await run(get(byId(sandbox.ids.hiring)));
		expectNodeError(result, NodeApiError, /getChannel failed \(HTTP 403/);
	});
});

// ------------------------------------------------------------------------------------------------ channel/addUsers

describe('channel → add users', () => {
	const addUsers = (channel: unknown, userIds: unknown) => ({ resource: 'channel', operation: 'addUsers', channel, userIds });

	test('POST /addUsersToChannel with channelId and userIds; the empty answer becomes a success item', async () => {
		const result = await run(addUsers(byId(sandbox.ids.leadership), [sandbox.ids.carol]));
		expectOk(result);
		expect(jsonOf(result)).toEqual([{ success: true, channelId: sandbox.ids.leadership, userIds: [sandbox.ids.carol] }]);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({
			method: 'POST',
			path: '/addUsersToChannel',
			status: 200,
			body: { channelId: sandbox.ids.leadership, userIds: [sandbox.ids.carol] },
		});
		expect(channelRecord(sandbox.ids.leadership).members).toContain(sandbox.ids.carol);
	});

	test('channel by name (looked up: the endpoint takes IDs), people from a comma-separated expression', async () => {
		const result = await run(addUsers(byName('leadership'), '={{ $json.people }}'), {
			items: [{ people: `${sandbox.ids.carol.toUpperCase()} , ${sandbox.ids.carol}` }],
		});
		expectOk(result);
		expect(calls().map((entry) => entry.path)).toEqual(['/listChannels', '/addUsersToChannel']);
		// Normalised and deduplicated.
		expect(calls('/addUsersToChannel')[0].body).toEqual({ channelId: sandbox.ids.leadership, userIds: [sandbox.ids.carol] });
	});

	test('a deactivated person: Pumble refuses, and the error item says why (Continue On Fail)', async () => {
		const result = await run(addUsers(byId(sandbox.ids.random), [sandbox.ids.dave]), { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([{ error: expect.stringMatching(/addUsersToChannel failed \(HTTP 403/), description: expect.anything() }]);
	});

	test('an ID that is not one: NodeOperationError; nothing is sent', async () => {
		const result = await run(addUsers(byId(sandbox.ids.leadership), '={{ $json.people }}'), { items: [{ people: 'carol' }] });
		expectNodeError(result, NodeOperationError, /"carol" is not a valid Pumble user ID/);
		expect(calls()).toEqual([]);
	});
});

// ------------------------------------------------------------------------------------------------ channel/removeUser

describe('channel → remove user', () => {
	const removeUser = (channel: unknown, user: unknown) => ({ resource: 'channel', operation: 'removeUser', channel, user });

	test('POST /removeUserFromChannel with channelId and userId; the empty answer becomes a success item', async () => {
		const result = await run(removeUser(byId(sandbox.ids.random), fromList(sandbox.ids.bob)));
		expectOk(result);
		expect(jsonOf(result)).toEqual([{ success: true, channelId: sandbox.ids.random, userId: sandbox.ids.bob }]);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({
			method: 'POST',
			path: '/removeUserFromChannel',
			status: 200,
			body: { channelId: sandbox.ids.random, userId: sandbox.ids.bob },
		});
		expect(channelRecord(sandbox.ids.random).members).not.toContain(sandbox.ids.bob);
	});

	test('the person by email and the channel by name', async () => {
		const result = await run(removeUser(byName('random'), byEmail('carol@example.com')));
		expectOk(result);
		expect(calls('/removeUserFromChannel')[0].body).toEqual({ channelId: sandbox.ids.random, userId: sandbox.ids.carol });
		expect(channelRecord(sandbox.ids.random).members).not.toContain(sandbox.ids.carol);
	});

	test('someone who is not a member: NodeApiError with Pumble\'s reason', async () => {
		const result = await run(removeUser(byId(sandbox.ids.leadership), byId(sandbox.ids.carol)));
		expectNodeError(result, NodeApiError, /removeUserFromChannel failed \(HTTP 403/);
		expect(JSON.stringify((result.error as NodeApiError).description ?? '') + result.error?.message).toMatch(/not a member/);
	});
});

// ------------------------------------------------------------------------------------------------ reaction/remove

describe('reaction → remove', () => {
	const remove = (channel: unknown, messageId: unknown, emoji: unknown) => ({ resource: 'reaction', operation: 'remove', channel, messageId, emoji });

	function reactedByAda(code: string) {
		const message = sandbox.postAs(sandbox.ids.bob, sandbox.ids.general, 'React to me');
		const record = sandbox.state.messages.find((m) => m.id === message.id)!;
		record.reactions.push({ user: sandbox.ids.ada, code }, { user: sandbox.ids.bob, code });
		return record;
	}

	test.each(['🎉', 'tada', ':tada:'])('"%s": DELETE /removeReaction with reaction=:tada:; only Ada\'s reaction goes', async (emoji) => {
		const message = reactedByAda(':tada:');
		const result = await run(remove(byId(sandbox.ids.general), message.id, emoji));
		expectOk(result);
		expect(jsonOf(result)).toEqual([{ status: 'ok' }]);
		expect(calls()).toHaveLength(1);
		expect(calls()[0]).toMatchObject({
			method: 'DELETE',
			path: '/removeReaction',
			status: 200,
			query: { channelId: sandbox.ids.general, messageId: message.id, reaction: ':tada:' },
		});
		expect(sandbox.state.messages.find((m) => m.id === message.id)?.reactions).toEqual([{ user: sandbox.ids.bob, code: ':tada:' }]);
	});

	test('by channel name: looked up first (removeReaction needs the channel ID)', async () => {
		const message = reactedByAda(':+1:');
		const result = await run(remove(byName('general'), message.id, '👍'));
		expectOk(result);
		expect(calls().map((entry) => entry.path)).toEqual(['/listChannels', '/removeReaction']);
		expect(calls('/removeReaction')[0].query).toMatchObject({ channelId: sandbox.ids.general, reaction: ':+1:' });
	});

	test('something that is not an emoji: NodeOperationError; nothing is sent', async () => {
		const message = reactedByAda(':tada:');
		const result = await run(remove(byId(sandbox.ids.general), message.id, 'party time!'));
		expectNodeError(result, NodeOperationError, /is not an emoji Pumble knows/);
		expect(calls()).toEqual([]);
	});
});
