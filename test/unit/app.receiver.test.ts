/**
 * The App platform's receiver (core/app): signature over the raw body with a constant-time compare, the ±5 min
 * window in seconds or milliseconds, 401 without starting for unsigned / forged / stale / malformed requests,
 * redeliveries starting nothing, the filters, and the readable fields.
 */
import { createHmac } from 'node:crypto';

import { RedeliveryMemory, receive, signRequest, timestampMs, verifySignature } from '../../core/app';
import type { ReceiverOptions } from '../../core/app';

const SECRET = 'unit-signing-secret';
const NOW = 1_765_000_000_000;
const CHANNEL = '665000000000000000000020';

function messageEnvelope(overrides: Record<string, unknown> = {}, bodyAsString = true): string {
	const body = { mId: 'm1', wId: 'w1', cId: CHANNEL, aId: 'u1', tx: 'hello', ty: 'NEW_MESSAGE', ts: '2025-12-06T05:46:40.000Z', tsm: NOW, rid: 'r1', e: false, eph: false, ...overrides };
	return JSON.stringify({ messageType: 'PUMBLE_EVENT', eventType: 'NEW_MESSAGE', workspaceId: 'w1', workspaceUserIds: ['u1'], body: bodyAsString ? JSON.stringify(body) : body });
}

function signed(raw: string, timestamp = String(NOW), secret = SECRET): Record<string, string> {
	return { 'x-pumble-request-timestamp': timestamp, 'x-pumble-request-signature': signRequest(secret, timestamp, raw) };
}

function options(extra: Partial<ReceiverOptions> = {}): ReceiverOptions {
	return { signingSecret: SECRET, events: [], memory: new RedeliveryMemory(), now: NOW, ...extra };
}

describe('signature', () => {
	test('the signature is the hex HMAC-SHA256 of `${timestamp}:${rawBody}` (the Node SDK\'s middlewares.ts)', () => {
		// Computed independently: echo -n '1700000000:{"a":1}' | openssl dgst -sha256 -hmac secret
		expect(signRequest('secret', '1700000000', '{"a":1}')).toBe(
			createHmac('sha256', 'secret').update('1700000000:{"a":1}').digest('hex'),
		);
	});

	test.each([
		['milliseconds', String(NOW)],
		['seconds', String(NOW / 1000)],
	])('a timestamp in %s within the window is accepted', (_unit, ts) => {
		const raw = messageEnvelope();
		expect(verifySignature(signed(raw, ts), raw, { signingSecret: SECRET, now: NOW + 4 * 60_000 })).toMatchObject({ ok: true, timestampMs: NOW });
	});

	test.each([
		['milliseconds, 5 min 1 s old', String(NOW - 301_000)],
		['seconds, 5 min 1 s ahead', String((NOW + 301_000) / 1000)],
	])('a timestamp in %s is stale', (_what, ts) => {
		const raw = messageEnvelope();
		expect(verifySignature(signed(raw, ts), raw, { signingSecret: SECRET, now: NOW })).toMatchObject({ ok: false, failure: 'stale' });
	});

	test('the unit cut: below 1e12 is seconds, from 1e12 milliseconds', () => {
		expect(timestampMs('999999999999')).toBe(999_999_999_999_000);
		expect(timestampMs('1000000000000')).toBe(1_000_000_000_000);
		expect(timestampMs('12abc')).toBeUndefined();
		expect(timestampMs('-5')).toBeUndefined();
	});

	test('a changed body, another secret, a truncated or non-hex signature are forged', () => {
		const raw = messageEnvelope();
		const headers = signed(raw);
		const check = (h: Record<string, string>, body = raw) => verifySignature(h, body, { signingSecret: SECRET, now: NOW });
		expect(check(headers, raw.replace('hello', 'hellO'))).toMatchObject({ ok: false, failure: 'badSignature' });
		expect(check(signed(raw, String(NOW), 'other-secret'))).toMatchObject({ ok: false, failure: 'badSignature' });
		expect(check({ ...headers, 'x-pumble-request-signature': headers['x-pumble-request-signature'].slice(2) })).toMatchObject({ ok: false, failure: 'badSignature' });
		expect(check({ ...headers, 'x-pumble-request-signature': 'z'.repeat(64) })).toMatchObject({ ok: false, failure: 'badSignature' });
		// Upper-case hex of the right signature is the same bytes.
		expect(check({ ...headers, 'x-pumble-request-signature': headers['x-pumble-request-signature'].toUpperCase() })).toMatchObject({ ok: true });
	});

	test('header names are case-insensitive; a missing header is unsigned', () => {
		const raw = messageEnvelope();
		const h = signed(raw);
		const upper = { 'X-Pumble-Request-Timestamp': h['x-pumble-request-timestamp'], 'X-Pumble-Request-Signature': h['x-pumble-request-signature'] };
		expect(verifySignature(upper, raw, { signingSecret: SECRET, now: NOW }).ok).toBe(true);
		expect(verifySignature({ 'x-pumble-request-timestamp': String(NOW) }, raw, { signingSecret: SECRET, now: NOW })).toMatchObject({ failure: 'missing' });
	});
});

describe('receive', () => {
	test('a signed event starts, once; its redelivery (same body, new timestamp and signature) starts nothing and still gets 200', () => {
		const raw = messageEnvelope();
		const memory = new RedeliveryMemory();
		const first = receive(raw, signed(raw), options({ memory }));
		expect(first).toMatchObject({ start: true, answer: { status: 200, body: 'ok' } });
		const again = receive(raw, signed(raw, String(NOW + 1000)), options({ memory, now: NOW + 1000 }));
		expect(again).toMatchObject({ start: false, reason: 'redelivery', answer: { status: 200 } });
		// Another event (another request id) is not a redelivery.
		const other = messageEnvelope({ rid: 'r2', mId: 'm2' });
		expect(receive(other, signed(other), options({ memory })).start).toBe(true);
	});

	test.each([
		['unsigned', {} as Record<string, string>, 'unsigned'],
		['forged', signed(messageEnvelope(), String(NOW), 'wrong'), 'forged'],
		['stale', signed(messageEnvelope(), String(NOW - 10 * 60_000)), 'stale'],
		['a malformed timestamp', { ...signed(messageEnvelope()), 'x-pumble-request-timestamp': 'yesterday' }, 'malformed'],
	])('%s: 401, nothing starts, nothing remembered', (_what, headers, reason) => {
		const raw = messageEnvelope();
		const memory = new RedeliveryMemory();
		const verdict = receive(raw, headers, options({ memory }));
		expect(verdict).toMatchObject({ start: false, reason, answer: { status: 401 } });
		expect(memory.size).toBe(0);
		// The genuine request afterwards still starts: a refused copy does not use up the event.
		expect(receive(raw, signed(raw), options({ memory })).start).toBe(true);
	});

	test('a signed body that is not JSON, or an event whose body is not an object, is malformed (401)', () => {
		for (const raw of ['{"messageType":', JSON.stringify({ messageType: 'PUMBLE_EVENT', eventType: 'NEW_MESSAGE', body: '[1' }), JSON.stringify({ eventType: 'X' })]) {
			expect(receive(raw, signed(raw), options())).toMatchObject({ start: false, reason: 'malformed', answer: { status: 401 } });
		}
		expect(receive(undefined, {}, options())).toMatchObject({ reason: 'malformed', answer: { status: 401 } });
	});

	test('more than 1 MiB: 413 before any signature work', () => {
		const raw = 'x'.repeat(1024 * 1024 + 1);
		expect(receive(raw, signed(raw), options())).toMatchObject({ start: false, reason: 'tooLarge', answer: { status: 413 } });
	});

	test('body as a JSON string (Node SDK) and as an object (Python reading) give the same item', () => {
		const asString = receive(messageEnvelope(), signed(messageEnvelope()), options());
		const rawObject = messageEnvelope({}, false);
		const asObject = receive(rawObject, signed(rawObject), options());
		if (!asString.start || !asObject.start) throw new Error('both should start');
		expect(asObject.event.item).toEqual(asString.event.item);
	});

	test('short names become readable ones; the envelope stays under raw', () => {
		const raw = messageEnvelope({ trId: 'root1', stc: true, md: ['u2'] });
		const verdict = receive(raw, signed(raw), options());
		if (!verdict.start) throw new Error('should start');
		expect(verdict.event.item).toMatchObject({
			event: 'NEW_MESSAGE',
			messageId: 'm1',
			channelId: CHANNEL,
			authorId: 'u1',
			text: 'hello',
			timestamp: '2025-12-06T05:46:40.000Z',
			timestampMilli: NOW,
			threadRootId: 'root1',
			alsoSentToChannel: true,
			mentionedUserIds: ['u2'],
			edited: false,
			workspaceId: 'w1',
			workspaceUserIds: ['u1'],
			raw: { messageType: 'PUMBLE_EVENT', eventType: 'NEW_MESSAGE', body: { mId: 'm1', tx: 'hello' } },
		});
		expect(verdict.event.item).not.toHaveProperty('mId');
	});

	test('a reaction, a user update (st is status there, not subtype) and a channel keep their own meanings', () => {
		const env = (eventType: string, body: Record<string, unknown>) => JSON.stringify({ messageType: 'PUMBLE_EVENT', eventType, workspaceId: 'w1', workspaceUserIds: [], body: JSON.stringify(body) });
		const item = (raw: string) => {
			const v = receive(raw, signed(raw), options());
			if (!v.start) throw new Error(v.message);
			return v.event.item;
		};
		expect(item(env('REACTION_ADDED', { cId: CHANNEL, mId: 'm1', mat: 'u1', uId: 'u2', rc: ':thumbsup:' }))).toMatchObject({ event: 'REACTION_ADDED', messageAuthorId: 'u1', userId: 'u2', reaction: ':thumbsup:' });
		expect(item(env('WORKSPACE_USER_UPDATED', { uId: 'u3', uN: 'Dee', st: 'ACTIVATED', cs: { co: ':palm_tree:', st: 'Away' } }))).toMatchObject({ userId: 'u3', name: 'Dee', status: 'ACTIVATED', customStatus: { code: ':palm_tree:', status: 'Away' } });
		expect(item(env('CHANNEL_CREATED', { cId: 'c9', cN: 'new', cT: 'PUBLIC', cU: ['u1'] }))).toMatchObject({ channelId: 'c9', channelName: 'new', channelType: 'PUBLIC', memberIds: ['u1'] });
	});

	test('slash command: acknowledged with { message } when a reply is set, {} otherwise; button click gets the clicking user and the value', () => {
		const slash = JSON.stringify({ messageType: 'SLASH_COMMAND', slashCommand: '/deploy', text: 'prod', userId: 'u2', channelId: CHANNEL, workspaceId: 'w1', triggerId: 't1' });
		expect(receive(slash, signed(slash), options({ slashCommandReply: 'On it' }))).toMatchObject({ start: true, answer: { status: 200, body: { message: 'On it' } }, event: { item: { event: 'SLASH_COMMAND', slashCommand: '/deploy', text: 'prod', userId: 'u2' } } });
		expect(receive(slash, signed(slash), options()).answer.body).toEqual({});
		const click = JSON.stringify({ messageType: 'BLOCK_INTERACTION', workspaceId: 'w1', userId: 'u3', channelId: CHANNEL, sourceType: 'MESSAGE', sourceId: 'm1', actionType: 'button', onAction: 'approve', payload: '{"value":"yes"}', triggerId: 't2', loadingTimeout: 0 });
		expect(receive(click, signed(click), options())).toMatchObject({ start: true, answer: { body: {} }, event: { event: 'BUTTON_CLICK', item: { userId: 'u3', onAction: 'approve', value: 'yes', payload: { value: 'yes' } } } });
	});

	test('filters: event type, channel, ignored user — 200, nothing starts, nothing remembered', () => {
		const raw = messageEnvelope();
		const memory = new RedeliveryMemory();
		expect(receive(raw, signed(raw), options({ memory, events: ['REACTION_ADDED'] }))).toMatchObject({ start: false, reason: 'notSelected', answer: { status: 200 } });
		expect(receive(raw, signed(raw), options({ memory, channelIds: ['665000000000000000000021'] }))).toMatchObject({ start: false, reason: 'otherChannel' });
		expect(receive(raw, signed(raw), options({ memory, ignoreUserIds: ['u1'] }))).toMatchObject({ start: false, reason: 'ignoredUser' });
		expect(memory.size).toBe(0);
		expect(receive(raw, signed(raw), options({ memory, events: ['NEW_MESSAGE'], channelIds: [CHANNEL] })).start).toBe(true);
	});

	test('view actions and dynamic menus are acknowledged and start nothing', () => {
		const raw = JSON.stringify({ messageType: 'VIEW_ACTION', workspaceId: 'w1', userId: 'u1', triggerId: 't' });
		expect(receive(raw, signed(raw), options())).toMatchObject({ start: false, reason: 'unsupported', answer: { status: 200 } });
	});
});

describe('RedeliveryMemory', () => {
	test('is bounded: the oldest key is forgotten beyond maxEntries, and after the memory time', () => {
		let now = 0;
		const memory = new RedeliveryMemory({ maxEntries: 2, ttlMs: 1000, now: () => now });
		expect(memory.firstTime('a')).toBe(true);
		expect(memory.firstTime('b')).toBe(true);
		expect(memory.firstTime('c')).toBe(true);
		expect(memory.size).toBe(2);
		expect(memory.firstTime('a')).toBe(true);
		expect(memory.firstTime('c')).toBe(false);
		now = 1001;
		expect(memory.firstTime('c')).toBe(true);
	});
});
