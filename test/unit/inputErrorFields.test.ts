/**
 * The core's input errors name fields only as the host calls them. Every catalogue entry's `validate` gets bad
 * input, field by field (each bad value in turn), and every PumbleInputError it throws is read:
 * - with a probe for the host's names (every field `f` named `‹f›`), the error's parameter and its fix's field
 *   are probes, and its message and hint quote no field by a name of its own: no neutral field name, no n8n
 *   parameter path (`filters.…`) or display name (or its first word: "From"), no Node-RED label;
 * - through each host's own names (n8n's actions, Node-RED's field maps) and wording (n8n's hint, Node-RED's
 *   error text), what its user reads quotes no field it names otherwise: no neutral name the host renames,
 *   and no name of the other host's.
 */
import type { INodeProperties } from 'n8n-workflow';

import { CATALOGUE, hintIn, PumbleInputError, type Fix, type InputContext } from '../../core';
import { N8N_FIX_WORDING } from '../../nodes/Pumble/helpers/errors';
import { Pumble } from '../../nodes/Pumble/Pumble.node';
import { resources as n8nActions } from '../../nodes/Pumble/actions/router';
import { EDITOR_LABELS, NODE_RED_FIX_WORDING } from '../../nodes/NodeRed/lib/errors';
import { OPERATIONS as nodeRedMaps } from '../../nodes/NodeRed/operations';

const ID = '66a1f0c2e4b0a1b2c3d4e5f6';
const OTHER = '66a1f0c2e4b0a1b2c3d4e5f7';
const LATER = () => new Date(Date.now() + 86_400_000).toISOString();
const channel = { value: ID, by: 'id' };
const user = { value: ID, by: 'id' };

/** A valid neutral input of every operation of the catalogue. */
const VALID: Record<string, () => Record<string, unknown>> = {
	'message.send': () => ({ to: { channel }, text: 'hi', blocks: undefined, threadRootId: undefined }),
	'message.send (user)': () => ({ to: { user }, text: 'hi' }),
	'message.send (users)': () => ({ to: { users: [ID, OTHER] }, text: 'hi' }),
	'message.reply': () => ({ channel, messageId: ID, text: 'hi' }),
	'message.update': () => ({ channel, messageId: ID, text: 'hi', blocks: undefined }),
	'message.delete': () => ({ channel, messageId: ID }),
	'message.get': () => ({ channel, messageId: ID }),
	'message.getAll': () => ({ channel, after: '2020-01-01T00:00:00Z', before: '2021-01-01T00:00:00Z', limit: 5 }),
	'message.getReplies': () => ({ channel, messageId: ID, limit: 5 }),
	'message.search': () => ({ query: 'deploy', from: [ID], in: [ID], after: '2020-01-01T00:00:00Z', before: '2021-01-01T00:00:00Z', sort: 'newest', limit: 5 }),
	'message.search (filters only)': () => ({ from: [ID], in: [ID] }),
	'message.search (text only)': () => ({ query: 'deploy' }),
	'reaction.add': () => ({ channel, messageId: ID, emoji: ':+1:' }),
	'reaction.remove': () => ({ channel, messageId: ID, emoji: ':+1:' }),
	'channel.create': () => ({ name: 'project-updates', type: 'private', description: 'about' }),
	'channel.get': () => ({ channel }),
	'channel.getAll': () => ({ types: ['public'], limit: 5 }),
	'channel.addUsers': () => ({ channel, userIds: [ID] }),
	'channel.removeUser': () => ({ channel, user }),
	'scheduledMessage.create': () => ({ channel, text: 'hi', sendAt: LATER(), threadRootId: ID, recurrence: { type: 'DAILY', endAfterOccurrences: 2 }, blocks: undefined }),
	'scheduledMessage.get': () => ({ scheduledMessageId: ID }),
	'scheduledMessage.getAll': () => ({ channel, limit: 5 }),
	'scheduledMessage.update': () => ({ scheduledMessageId: ID, channel, text: 'hi', sendAt: LATER(), recurrence: { type: 'DAILY' } }),
	'scheduledMessage.update (nothing)': () => ({ scheduledMessageId: ID }),
	'scheduledMessage.delete': () => ({ scheduledMessageId: ID }),
	'user.get': () => ({ user }),
	'user.getAll': () => ({ status: 'active', limit: 5 }),
	'user.getMe': () => ({}),
	'user.setStatus': () => ({ emoji: ':+1:', statusText: 'away', expiresAt: LATER() }),
	'userGroup.getAll': () => ({ limit: 5 }),
};

const BAD: unknown[] = ['', '   ', 'not-an-id', 'NOPE', 'x'.repeat(10_001), '👍👍', '2020-01-01T00:00:00Z', 'tomorrow-ish', -1, 0, 1e20, {}, [], null, ['a', 'b'], Array.from({ length: 30 }, (_, i) => `${ID.slice(0, 20)}${String(1000 + i)}`)];

const operationOf = (name: string) => name.split(' ')[0];
const entryOf = (name: string) => {
	const [resource, operation] = operationOf(name).split('.');
	return (CATALOGUE as unknown as Record<string, Record<string, { validate(input: unknown, context: InputContext): unknown }>>)[resource][operation];
};

/** The input with one value replaced at `path` (a locator's value, a nested field). */
function withValue(input: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
	const copy = structuredClone(input);
	let at: Record<string, unknown> = copy;
	for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
	at[path[path.length - 1]] = value;
	return copy;
}

/**
 * Every place of an input a user's value goes: each field, a locator's value, a nested rule's fields (the
 * shapes around them, a locator or `to`, are the host's and always there).
 */
function places(input: Record<string, unknown>, prefix: string[] = []): string[][] {
	return Object.entries(input).flatMap(([key, value]) => {
		const path = [...prefix, key];
		if (value && typeof value === 'object' && !Array.isArray(value)) return places(value as Record<string, unknown>, path);
		return [path];
	});
}

/** Every PumbleInputError the entry throws for the operation's bad inputs, under `context`. */
function errorsOf(name: string, context: InputContext): PumbleInputError[] {
	const valid = VALID[name]();
	const errors: PumbleInputError[] = [];
	for (const path of places(valid)) {
		for (const bad of [...BAD, undefined]) {
			try {
				entryOf(name).validate(withValue(valid, path, bad), context);
			} catch (error) {
				if (!(error instanceof PumbleInputError)) throw error;
				errors.push(error);
			}
		}
	}
	try {
		entryOf(name).validate(valid, context);
	} catch (error) {
		if (!(error instanceof PumbleInputError) || !name.includes('(nothing)')) throw error;
		errors.push(error);
	}
	return errors;
}

/** Every name a field goes by somewhere: the neutral inputs' fields, n8n's parameters (names, display names), Node-RED's labels. */
const NEUTRAL_NAMES = new Set(Object.values(VALID).flatMap((valid) => places(valid()).map((path) => path[path.length - 1])));
function displayNames(properties: INodeProperties[]): string[] {
	return properties.flatMap((p) => [
		p.displayName,
		...((p.options ?? []) as Array<INodeProperties | { displayName?: string; values?: INodeProperties[] }>).flatMap((option) =>
			'displayName' in option && option.displayName ? [option.displayName, ...('type' in option ? displayNames([option as INodeProperties]).slice(1) : []), ...displayNames(('values' in option && option.values) || [])] : [],
		),
	]);
}
const N8N_PROPERTIES = new Pumble().description.properties;
const N8N_DISPLAY_NAMES = new Set(displayNames(N8N_PROPERTIES));
/** A display name's first word too ("From" for "From Names or IDs"): a label a core message might shorten it to. */
const LABEL_WORDS = new Set([...N8N_DISPLAY_NAMES].map((name) => name.split(' ')[0]));
const NODE_RED_LABELS = new Set(Object.values(EDITOR_LABELS));

/** The names a text quotes ("…"), and the n8n parameter paths it mentions. */
const quoted = (text: string) => [...text.matchAll(/"([^"]+)"(?!:)/g)].map((m) => m[1]); // not a JSON example's keys
const N8N_PATH = /\b(filters|options|updateFields)\.\w+/g;

const PROBE: InputContext = { timezone: 'UTC', fields: new Proxy({}, { get: (_, field) => (typeof field === 'string' ? `‹${field}›` : undefined) }) };

const operations = Object.entries(CATALOGUE).flatMap(([resource, entries]) => Object.keys(entries).map((operation) => `${resource}.${operation}`));

describe("the core's input errors name fields as the host calls them", () => {
	it('every operation of the catalogue has a valid input here, and bad input makes it throw', () => {
		expect([...new Set(Object.keys(VALID).map(operationOf))].sort()).toEqual([...operations].sort());
		for (const name of Object.keys(VALID)) expect({ name, errors: errorsOf(name, PROBE).length > 0 || name === 'user.getMe' }).toEqual({ name, errors: true });
	});

	it.each(Object.keys(VALID))('%s: under a probe for the host names, every field named is the host name', (name) => {
		const leaks = errorsOf(name, PROBE).flatMap((error) => {
			const found: string[] = [];
			if (!error.parameter.startsWith('‹')) found.push(`parameter ${error.parameter}`);
			if (error.fix?.field !== undefined && !error.fix.field.startsWith('‹')) found.push(`fix field ${error.fix.field}`);
			for (const text of [error.message, error.hint]) {
				for (const quote of quoted(text)) {
					if (NEUTRAL_NAMES.has(quote) || N8N_DISPLAY_NAMES.has(quote) || LABEL_WORDS.has(quote) || NODE_RED_LABELS.has(quote)) found.push(`"${quote}" in: ${text}`);
				}
				for (const [path] of text.matchAll(N8N_PATH)) found.push(`${path} in: ${text}`);
			}
			return found;
		});
		expect([...new Set(leaks)]).toEqual([]);
	});

	const hosts = {
		n8n: {
			fields: (op: string) => {
				const [resource, operation] = op.split('.');
				return n8nActions[resource].operations[operation].fields ?? {};
			},
			read: (error: PumbleInputError) => [error.message, hintIn(error, N8N_FIX_WORDING) ?? ''],
			/** Names only the other host uses. */
			foreign: (text: string) => quoted(text).filter((q) => NODE_RED_LABELS.has(q) && !N8N_DISPLAY_NAMES.has(q)),
		},
		'Node-RED': {
			fields: (op: string) => {
				const [resource, operation] = op.split('.');
				return nodeRedMaps[resource][operation].fields ?? {};
			},
			read: (error: PumbleInputError) => [error.message, hintIn(error as { hint: string; fix?: Fix }, NODE_RED_FIX_WORDING) ?? ''],
			foreign: (text: string) => [
				...[...text.matchAll(N8N_PATH)].map(([path]) => path),
				...quoted(text).filter((q) => N8N_DISPLAY_NAMES.has(q) && !NODE_RED_LABELS.has(q) && !NEUTRAL_NAMES.has(q)),
			],
		},
	};

	describe.each(Object.entries(hosts))('through %s', (host, { fields, read, foreign }) => {
		it.each(Object.keys(VALID))('%s: no field named otherwise than the host names it', (name) => {
			const own = fields(operationOf(name));
			const renamed = Object.keys(own).filter((neutral) => own[neutral] !== neutral);
			const leaks = errorsOf(name, { timezone: 'UTC', fields: own }).flatMap((error) => {
				const found: string[] = [];
				if (renamed.includes(error.parameter)) found.push(`parameter ${error.parameter} (${host}: ${own[error.parameter]})`);
				for (const text of read(error)) {
					for (const quote of quoted(text)) if (renamed.includes(quote)) found.push(`"${quote}" in: ${text}`);
					for (const other of foreign(text)) found.push(`${other} in: ${text}`);
				}
				return found;
			});
			expect([...new Set(leaks)]).toEqual([]);
		});
	});
});
