/**
 * The Pumble sandbox over real HTTP: auth, the recorded response shapes, paging, rate limits and faults.
 */
import type { Sandbox } from '../../sandbox';
import { q, sandboxHttpSuite } from '../helpers/sandboxHttp';

const http = sandboxHttpSuite();
const { clock, call } = http;
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = http.sandbox;
});

describe('auth', () => {
	it('rejects a missing or unknown key with the legacy body', async () => {
		const unknown = await call('GET', '/myInfo', undefined, { ApiKey: 'not-a-key' });
		expect(unknown.status).toBe(403);
		expect(unknown.json).toEqual({ error: 'Invalid API key' });

		const missing = await call('GET', '/myInfo', undefined, {});
		expect(missing.status).toBe(403);

		sandbox.configure({ authFailureStatus: 401 });
		expect((await call('GET', '/myInfo', undefined, { ApiKey: 'not-a-key' })).status).toBe(401);
	});

	it('accepts both header spellings, logs which one, and never logs the key', async () => {
		const a = await call('GET', '/myInfo', undefined, { ApiKey: sandbox.keys.bob });
		const b = await call('GET', '/myInfo', undefined, { 'Api-Key': sandbox.keys.bob });
		expect(a.status).toBe(200);
		expect(a.contentType).toBe('application/json; charset=utf-8');
		expect(a.json).toMatchObject({ id: sandbox.ids.bob, role: 'USER', status: 'ACTIVATED', isAddonBot: false });
		expect(b.json).toEqual(a.json);

		expect(sandbox.log.map((e) => e.headerName)).toEqual(['ApiKey', 'Api-Key']);
		expect(sandbox.log[0].keyHash).toMatch(/^[0-9a-f]{12}$/);
		expect(sandbox.log[0].userId).toBe(sandbox.ids.bob);
		expect(JSON.stringify(sandbox.log)).not.toContain(sandbox.keys.bob);
	});

	it('answers an unknown path 404 and a wrong method 405', async () => {
		expect(await call('GET', '/nope')).toMatchObject({ status: 404, json: { error: 'Not Found' } });
		expect((await call('POST', '/myInfo', {})).status).toBe(405);
	});
});

describe('response shapes', () => {
	it('answers the recorded empty-body writes with 200, no content-type and zero bytes', async () => {
		const { general, leadership, carol } = sandbox.ids;
		const sent = await call('POST', '/sendMessage', { channelId: general, text: 'hello' });
		expect(sent.json).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), channelId: general });
		const scheduled = await call('POST', '/createScheduledMessage', {
			channelId: general,
			text: 'later',
			sendAt: clock.now + 60_000,
		});

		const writes: Array<[string, string, unknown?]> = [
			['POST', '/editMessage', { channelId: general, messageId: sent.json.id, text: 'edited' }],
			['POST', '/addUsersToChannel', { channelId: leadership, userIds: [carol] }],
			['POST', '/removeUserFromChannel', { channelId: leadership, userId: carol }],
			['POST', '/customStatus', { code: ':coffee:', status: 'brb', expiresAt: clock.now + 3_600_000 }],
			['DELETE', '/deleteMessage' + q({ channelId: general, messageId: sent.json.id })],
			['DELETE', '/deleteScheduledMessage' + q({ scheduledMessageId: scheduled.json.id })],
		];
		for (const [method, path, body] of writes) {
			const response = await call(method, path, body);
			expect({ path, status: response.status, contentType: response.contentType, text: response.text }).toEqual({
				path,
				status: 200,
				contentType: null,
				text: '',
			});
		}

		const again = await call('DELETE', '/deleteScheduledMessage' + q({ scheduledMessageId: scheduled.json.id }));
		expect(again.status).toBe(403);
		expect(again.json).toEqual({ message: 'Not found', localizedMessage: 'Not found', code: 404100 });
		const gone = await call('GET', '/fetchMessage' + q({ channelId: general, messageId: sent.json.id }));
		expect(gone.json).toMatchObject({ code: 404100 });
	});

	it('uses bare arrays, the reaction ok body and structured validation errors', async () => {
		const channels = await call('GET', '/listChannels');
		expect(Array.isArray(channels.json)).toBe(true);
		const ids = channels.json.map((entry: { channel: { id: string } }) => entry.channel.id);
		expect(ids).toEqual(expect.arrayContaining([sandbox.ids.general, sandbox.ids.leadership, sandbox.ids.adaSelf]));
		expect(ids).not.toContain(sandbox.ids.hiring);

		const [newest] = (await call('GET', '/listMessages' + q({ channelId: sandbox.ids.general, limit: 1 }))).json.messages;
		const react = await call('POST', '/addReaction', { channelId: sandbox.ids.general, messageId: newest.id, reaction: ':+1:' });
		expect(react.json).toEqual({ status: 'ok' });
		const bare = await call('POST', '/addReaction', { channelId: sandbox.ids.general, messageId: newest.id, reaction: '+1' });
		expect(bare.status).toBe(403);
		expect(bare.json).toMatchObject({ code: 400000 });

		const badType = await call('POST', '/createChannel', { name: 'x', type: 'SECRET' });
		expect(badType.json).toEqual({
			message: '[Allowed values are PUBLIC|PRIVATE]',
			localizedMessage: '[Allowed values are PUBLIC|PRIVATE]',
			code: 400000,
		});
	});
});

describe('listMessages paging', () => {
	it('walks #general newest first with an inclusive cursor and truthful hasMoreBefore', async () => {
		const seen: string[] = [];
		let cursor: string | undefined;
		const pages: Array<{ messages: unknown[]; hasMoreBefore: boolean; hasMoreAfter: boolean }> = [];
		for (let guard = 0; guard < 20; guard++) {
			const params: Record<string, string | number> = { channelId: sandbox.ids.general, limit: 7 };
			if (cursor) params.cursor = cursor;
			const page = (await call('GET', '/listMessages' + q(params))).json;
			pages.push(page);
			if (cursor) expect(page.messages[0].id).toBe(cursor);
			for (const m of page.messages) if (!seen.includes(m.id)) seen.push(m.id);
			if (!page.hasMoreBefore) break;
			cursor = page.messages[page.messages.length - 1].id;
		}

		expect(seen).toHaveLength(30);
		expect(pages[0].messages).toHaveLength(7);
		expect(pages[0]).toMatchObject({ hasMoreBefore: true, hasMoreAfter: false });
		expect(pages[1].messages).toHaveLength(8); // the cursor again + 7 older
		expect(pages[1].hasMoreAfter).toBe(true);
		expect(pages[pages.length - 1].hasMoreBefore).toBe(false);

		const state = sandbox.state.messages.filter((m) => m.channelId === sandbox.ids.general);
		const expected = [...state].sort((a, b) => b.timestampMilli - a.timestampMilli || b.seq - a.seq).map((m) => m.id);
		expect(seen).toEqual(expected);
		const seconds = new Set(state.map((m) => m.timestampMilli));
		expect(seconds.size).toBeLessThan(state.length); // several share a second
		expect(state.every((m) => m.timestampMilli % 1000 === 0)).toBe(true);
	});

	it('excludes the cursor when configured, and rejects an unknown cursor', async () => {
		sandbox.configure({ cursorInclusive: false });
		const first = (await call('GET', '/listMessages' + q({ channelId: sandbox.ids.general, limit: 5 }))).json;
		const cursor = first.messages[4].id;
		const next = (await call('GET', '/listMessages' + q({ channelId: sandbox.ids.general, limit: 5, cursor }))).json;
		expect(next.messages).toHaveLength(5);
		expect(next.messages.map((m: { id: string }) => m.id)).not.toContain(cursor);

		const bad = await call('GET', '/listMessages' + q({ channelId: sandbox.ids.general, cursor: 'f'.repeat(24) }));
		expect(bad.status).toBe(403);
		expect((await call('GET', '/listMessages' + q({ channelId: sandbox.ids.general, limit: 201 }))).status).toBe(403);
	});
});

describe('rate limiting', () => {
	it('answers 429 with Retry-After, changes nothing, and recovers when the window slides', async () => {
		sandbox.configure({ rateLimit: { limit: 2, windowMs: 10_000 } });
		const send = (text: string) => call('POST', '/sendMessage', { channelId: sandbox.ids.random, text });

		expect((await send('one')).status).toBe(200);
		clock.now += 4_000;
		expect((await send('two')).status).toBe(200);
		clock.now += 500;
		const refused = await send('three');
		expect(refused.status).toBe(429);
		expect(refused.json).toEqual({ error: 'Too many requests' });
		expect(refused.headers.get('retry-after')).toBe('6'); // 'one' leaves the window in 5.5 s
		expect(sandbox.state.messages.some((m) => m.text === 'three')).toBe(false);
		expect(sandbox.log[sandbox.log.length - 1]).toMatchObject({ status: 429, path: '/sendMessage' });

		sandbox.configure({ retryAfter: 'http-date' });
		const dated = await send('three');
		expect(Date.parse(dated.headers.get('retry-after') ?? '')).toBeGreaterThanOrEqual(clock.now + 5_500);

		clock.now += 5_500;
		expect((await send('three')).status).toBe(200);
	});

	it('limits per user, not per key', async () => {
		sandbox.configure({ rateLimit: { limit: 1, windowMs: 60_000 }, extraKeys: { 'second-key-for-ada': 'ada' } });
		expect((await call('GET', '/myInfo')).status).toBe(200);
		expect((await call('GET', '/myInfo', undefined, { ApiKey: 'second-key-for-ada' })).status).toBe(429);
		expect((await call('GET', '/myInfo', undefined, { ApiKey: sandbox.keys.bob })).status).toBe(200);
	});
});

describe('faults', () => {
	it('reset-after applies the write but the client only sees a dead connection', async () => {
		sandbox.queueFault('reset-after', { path: 'sendMessage' });
		await expect(
			fetch(sandbox.url + '/sendMessage', {
				method: 'POST',
				headers: { ApiKey: sandbox.apiKey, 'content-type': 'application/json' },
				body: JSON.stringify({ channelId: sandbox.ids.general, text: 'did it land?' }),
			}),
		).rejects.toThrow();
		expect(sandbox.state.messages.filter((m) => m.text === 'did it land?')).toHaveLength(1);
		expect(sandbox.log[sandbox.log.length - 1]).toMatchObject({ fault: 'reset-after', status: 0 });
	});

	it('reset-before changes nothing; malformed-json and html-error break the body', async () => {
		sandbox.queueFault('reset-before');
		await expect(
			fetch(sandbox.url + '/sendMessage', {
				method: 'POST',
				headers: { ApiKey: sandbox.apiKey, 'content-type': 'application/json' },
				body: JSON.stringify({ channelId: sandbox.ids.general, text: 'never' }),
			}),
		).rejects.toThrow();
		expect(sandbox.state.messages.some((m) => m.text === 'never')).toBe(false);

		sandbox.queueFault('malformed-json');
		const malformed = await call('GET', '/myInfo');
		expect(malformed.status).toBe(200);
		expect(() => JSON.parse(malformed.text)).toThrow();

		sandbox.queueFault('html-error');
		const html = await call('GET', '/myInfo');
		expect(html.status).toBe(502);
		expect(html.contentType).toBe('text/html');
		expect(html.text).toContain('nginx');
	});
});
