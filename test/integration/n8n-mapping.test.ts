/**
 * Each n8n action's fields mean what its catalogue entry (core/operations/) takes: every operation runs
 * through the n8n node (n8n-core's WorkflowExecute, its default settings) and then, from the same fresh
 * sandbox state, through its entry alone (`validate` + `run` against PumbleApi) with the neutral input that
 * the n8n parameters stand for (written out below, per operation); the sandbox must receive the same requests
 * (method, path, query, body, status), in the same order, and the results must be the same (by their IDs: n8n may
 * simplify them). An action that reads a field under the wrong name,
 * drops an option, or turns a locator's mode into the wrong kind of reference fails here.
 *
 * The cases: every operation's success and error case of test/helpers/allOperations.ts, and the options
 * and filters those leave out.
 */
import type { INodeParameters } from 'n8n-workflow';

import { CATALOGUE, catalogueEntry, PumbleApi, PumbleClient, createAxiosTransport, identityOf } from '../../core/withAxios';
import { allOperations, prepare, rl, type OperationCase } from '../helpers/allOperations';
import { runNode } from '../helpers/runNode';
import { sandboxSuite, type Sandbox } from '../helpers/sandboxSuite';

const suite = sandboxSuite('n8n-mapping');

type Params = Record<string, unknown>;
type Locator = { mode: string; value: unknown };

/** A resource locator as the entry's `{ value, by }`: From List is an ID; a plain value (an expression's) leaves the kind to the entry. */
const ref = (locator: unknown) => {
	if (typeof locator !== 'object' || locator === null) return { value: locator };
	const { mode, value } = locator as Locator;
	return { value, by: mode === 'list' ? 'id' : mode };
};
const collection = (p: Params, name: string): Params => (p[name] as Params | undefined) ?? {};
const list = (p: Params) => ({ returnAll: p.returnAll === true, ...(p.returnAll === true ? {} : { limit: p.limit ?? 50 }) });
const rule = (value: unknown) => (value as { rule?: unknown } | undefined)?.rule;
const message = (p: Params) => ({ channel: ref(p.channel), messageId: p.messageId });

/** What each operation's n8n parameters stand for, as its entry's neutral input. */
const NEUTRAL: Record<string, (p: Params) => unknown> = {
	'message.send': (p) => {
		const options = collection(p, 'options');
		const to = p.sendTo === 'user' ? { user: ref(p.user) } : p.sendTo === 'users' ? { users: p.userIds } : { channel: ref(p.channel) };
		return { to, text: p.text, asBot: options.asBot === true, blocks: options.blocks };
	},
	'message.reply': (p) => ({ ...message(p), text: p.text, asBot: collection(p, 'options').asBot === true, alsoSendToChannel: collection(p, 'options').alsoSendToChannel === true }),
	'message.update': (p) => ({ ...message(p), text: p.text, blocks: collection(p, 'options').blocks }),
	'message.delete': message,
	'message.get': message,
	'message.getAll': (p) => ({ channel: ref(p.channel), ...list(p), after: collection(p, 'filters').after, before: collection(p, 'filters').before }),
	'message.getReplies': (p) => ({ ...message(p), ...list(p) }),
	'message.search': (p) => {
		const filters = collection(p, 'filters');
		return { query: p.query, from: filters.from, in: filters.in, after: filters.after, before: filters.before, ...list(p), sort: collection(p, 'options').sort };
	},
	'reaction.add': (p) => ({ ...message(p), emoji: p.emoji }),
	'reaction.remove': (p) => ({ ...message(p), emoji: p.emoji }),
	'channel.create': (p) => ({ name: p.name, type: p.type, description: collection(p, 'options').description }),
	'channel.get': (p) => ({ channel: ref(p.channel) }),
	'channel.getAll': (p) => ({ ...list(p), types: collection(p, 'filters').types }),
	'channel.addUsers': (p) => ({ channel: ref(p.channel), userIds: p.userIds }),
	'channel.removeUser': (p) => ({ channel: ref(p.channel), user: ref(p.user) }),
	'scheduledMessage.create': (p) => {
		const options = collection(p, 'options');
		return { channel: ref(p.channel), text: p.text, sendAt: p.sendAt, threadRootId: options.threadRootId, alsoSendToChannel: options.alsoSendToChannel === true, recurrence: rule(options.recurrence), blocks: options.blocks };
	},
	'scheduledMessage.get': (p) => ({ scheduledMessageId: p.scheduledMessageId }),
	'scheduledMessage.getAll': (p) => ({ ...list(p), channel: collection(p, 'filters').channel && ref(collection(p, 'filters').channel) }),
	'scheduledMessage.update': (p) => {
		const fields = collection(p, 'updateFields');
		return { scheduledMessageId: p.scheduledMessageId, channel: fields.channel && ref(fields.channel), text: fields.text, sendAt: fields.sendAt, recurrence: rule(fields.recurrence) };
	},
	'scheduledMessage.delete': (p) => ({ scheduledMessageId: p.scheduledMessageId }),
	'user.get': (p) => ({ user: ref(p.user) }),
	// Without the Include Bots filter, bots are listed.
	'user.getAll': (p) => ({ ...list(p), status: collection(p, 'filters').status, includeBots: collection(p, 'filters').includeBots !== false }),
	'user.getMe': () => ({}),
	'user.setStatus': (p) => ({ emoji: p.emoji, statusText: p.statusText ?? '', expiresAt: p.expiresAt }),
	'userGroup.getAll': list,
};

const soon = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

/** The options and filters allOperations leaves out. */
function optionCases(ids: Sandbox['ids']): OperationCase[] {
	const blocks = JSON.stringify([{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'bold' }] }] }]);
	const [scheduled] = ['ee00000000000000000000aa'];
	const ok = (name: string, parameters: Params): OperationCase => ({ name, ok: parameters as INodeParameters, fails: parameters as INodeParameters });
	return [
		ok('message.send as bot, with blocks, by name', { resource: 'message', operation: 'send', channel: rl('#random', 'name'), text: 'with blocks', options: { asBot: true, blocks } }),
		ok('message.send by an expression-like plain value', { resource: 'message', operation: 'send', channel: 'general', text: 'plain' }),
		ok('message.reply also to the channel, as bot', { resource: 'message', operation: 'reply', channel: { __rl: true, mode: 'list', value: ids.random }, messageId: ids.randomThreadRoot, text: 'r', options: { alsoSendToChannel: true, asBot: true } }),
		ok('message.getAll in a time window, limit 2', { resource: 'message', operation: 'getAll', channel: rl('general', 'name'), returnAll: false, limit: 2, filters: { after: '2020-01-01T00:00:00Z', before: soon(1) } }),
		ok('message.getAll with the default limit', { resource: 'message', operation: 'getAll', channel: rl(ids.general) }),
		ok('message.search with filters, oldest first', { resource: 'message', operation: 'search', query: 'deploy', returnAll: false, limit: 3, filters: { from: [ids.bob], in: [ids.general], after: '2020-01-01T00:00:00Z' }, options: { sort: 'oldest' } }),
		ok('channel.getAll of some types, limit 1', { resource: 'channel', operation: 'getAll', returnAll: false, limit: 1, filters: { types: ['public', 'private'] } }),
		ok('channel.removeUser by email', { resource: 'channel', operation: 'removeUser', channel: rl(ids.general), user: rl('carol@example.com', 'email') }),
		ok('scheduledMessage.create with every option', {
			resource: 'scheduledMessage',
			operation: 'create',
			channel: rl('random', 'name'),
			text: 'weekly',
			sendAt: soon(2),
			options: { alsoSendToChannel: true, threadRootId: ids.randomThreadRoot, blocks, recurrence: { rule: { type: 'WEEKLY', endAfterOccurrences: 3 } } },
		}),
		ok('scheduledMessage.getAll for one channel', { resource: 'scheduledMessage', operation: 'getAll', returnAll: true, filters: { channel: rl(ids.general) } }),
		ok('scheduledMessage.update: move, retime, stop repeating', {
			resource: 'scheduledMessage',
			operation: 'update',
			scheduledMessageId: scheduled,
			updateFields: { channel: rl('random', 'name'), sendAt: soon(3), recurrence: { rule: { type: 'none' } } },
		}),
		ok('user.get by email', { resource: 'user', operation: 'get', user: rl('bob@example.com', 'email') }),
		ok('user.getAll: invited, no bots, limit 1', { resource: 'user', operation: 'getAll', returnAll: false, limit: 1, filters: { status: 'invited', includeBots: false } }),
		ok('user.getAll: bots included, every status', { resource: 'user', operation: 'getAll', returnAll: true, filters: { includeBots: true } }),
		ok('userGroup.getAll, limit 1', { resource: 'userGroup', operation: 'getAll', returnAll: false, limit: 1 }),
	];
}

/** What the sandbox received since the last reset, as comparable lines. */
const received = () => suite.sandbox.log.map((entry) => ({ request: `${entry.method} ${entry.path}`, query: entry.query, body: entry.body, status: entry.status }));

/** The results as the IDs they carry (the n8n output may be simplified; the IDs and their number are not). */
const idsOf = (results: unknown[]) => results.map((result) => (result as { id?: unknown } | null)?.id ?? null);

let keys = 0;
/** A fresh sandbox state, and a fresh key for Ada: a cold directory cache and the one-off identity lookup, on each side alike. */
const SCHEDULED_FOR = Date.now() + 7_200_000;
function fresh(): string {
	suite.sandbox.reset();
	prepare(suite.sandbox);
	// The scheduled messages prepare() adds are due in two hours from now: the same moment on both sides.
	for (const scheduled of suite.sandbox.state.scheduled) scheduled.sendAt = SCHEDULED_FOR;
	const apiKey = `${suite.apiKey}-${++keys}`;
	suite.sandbox.configure({ extraKeys: { [apiKey]: 'ada' } });
	return apiKey;
}

async function throughN8n(parameters: INodeParameters) {
	const apiKey = fresh();
	const result = await runNode({ parameters, credentials: { apiKey, baseUrl: suite.sandbox.url } });
	return { requests: received(), failed: result.error !== undefined, issues: result.issues, results: idsOf(result.output.map((item) => item.json)) };
}

async function throughEntry(parameters: INodeParameters) {
	const apiKey = fresh();
	const api = new PumbleApi(new PumbleClient({ transport: createAxiosTransport({ baseUrl: suite.sandbox.url, apiKey }), identity: identityOf(apiKey) }));
	const { resource, operation, ...rest } = parameters;
	const entry = catalogueEntry(resource, operation);
	if (!entry) throw new Error(`no catalogue entry for ${String(resource)}.${String(operation)}`);
	const input = NEUTRAL[`${String(resource)}.${String(operation)}`](rest);
	const outcome = await Promise.resolve()
		.then(() => entry.run(api, entry.validate(input, { timezone: 'UTC' })))
		.then(
			(result) => ({ failed: false, results: idsOf(Array.isArray(result) ? result : [result]) }),
			() => ({ failed: true, results: [] }),
		);
	return { requests: received(), ...outcome };
}

describe('each n8n action maps its fields to what its catalogue entry takes', () => {
	it('every operation of the catalogue has its neutral input here and a case in allOperations', () => {
		const operations = Object.entries(CATALOGUE).flatMap(([resource, entries]) => Object.keys(entries).map((operation) => `${resource}.${operation}`));
		expect(Object.keys(NEUTRAL).sort()).toEqual([...operations].sort());
		const prepared = prepare(suite.sandbox);
		const covered = new Set(allOperations(suite.sandbox, prepared).map((c) => `${String(c.ok.resource)}.${String(c.ok.operation)}`));
		expect(operations.filter((operation) => !covered.has(operation))).toEqual([]);
	});

	it('every case: the same requests through the node and through the entry', async () => {
		// Built once (their random names and times); each then runs twice from the same fresh sandbox state.
		const cases = [...allOperations(suite.sandbox, prepare(suite.sandbox)), ...optionCases(suite.sandbox.ids)];
		const runs: Array<{ name: string; parameters: INodeParameters; ok: boolean }> = cases.flatMap((c) => [
			{ name: `${c.name} (ok)`, parameters: c.ok, ok: true },
			...(c.fails === c.ok ? [] : [{ name: `${c.name} (fails)`, parameters: c.fails, ok: false }]),
		]);
		const viaNode = [];
		const viaEntry = [];
		for (const run of runs) {
			const n8n = await throughN8n(run.parameters);
			expect({ name: run.name, issues: n8n.issues, requests: n8n.requests.length > 0, failed: run.ok ? n8n.failed : undefined }).toEqual({ name: run.name, issues: undefined, requests: true, failed: run.ok ? false : undefined });
			viaNode.push({ name: run.name, requests: n8n.requests, failed: n8n.failed, results: n8n.results });
			const entry = await throughEntry(run.parameters);
			viaEntry.push({ name: run.name, requests: entry.requests, failed: entry.failed, results: entry.results });
		}
		expect(viaNode).toEqual(viaEntry);
	}, 180_000);
});
