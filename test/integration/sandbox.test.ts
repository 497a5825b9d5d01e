/**
 * The Pumble sandbox over real HTTP: auth, the recorded response shapes, paging, rate limits and faults.
 */
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';

const START = Date.UTC(2026, 4, 22, 0, 47, 1, 234);
let now = START;
let sandbox: Sandbox;

interface Call {
	status: number;
	contentType: string | null;
	headers: Headers;
	text: string;
	json: any;
}

async function call(
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = { ApiKey: sandbox.apiKey },
): Promise<Call> {
	const response = await fetch(sandbox.url + path, {
		method,
		headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, contentType: response.headers.get('content-type'), headers: response.headers, text, json };
}

const q = (params: Record<string, string | number>): string =>
	'?' + new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();

beforeAll(async () => {
	sandbox = await startSandbox({ clock: () => now });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	now = START;
	sandbox.configure({
		rateLimit: { limit: 1000, windowMs: 60_000 },
		operationLimits: {},
		retryAfter: 'seconds',
		authFailureStatus: 403,
		cursorInclusive: true,
		listAfterOrder: 'newestFirst',
		botDm: 'botInUserDm',
		lateCommitMs: 2000,
		faults: undefined,
	});
	sandbox.reset();
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
			sendAt: now + 60_000,
		});

		const writes: Array<[string, string, unknown?]> = [
			['POST', '/editMessage', { channelId: general, messageId: sent.json.id, text: 'edited' }],
			['POST', '/addUsersToChannel', { channelId: leadership, userIds: [carol] }],
			['POST', '/removeUserFromChannel', { channelId: leadership, userId: carol }],
			['POST', '/customStatus', { code: ':coffee:', status: 'brb', expiresAt: now + 3_600_000 }],
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
		const ids = channels.json.map((entry: any) => entry.channel.id);
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
		const pages: any[] = [];
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
		expect(next.messages.map((m: any) => m.id)).not.toContain(cursor);

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
		now += 4_000;
		expect((await send('two')).status).toBe(200);
		now += 500;
		const refused = await send('three');
		expect(refused.status).toBe(429);
		expect(refused.json).toEqual({ error: 'Too many requests' });
		expect(refused.headers.get('retry-after')).toBe('6'); // 'one' leaves the window in 5.5 s
		expect(sandbox.state.messages.some((m) => m.text === 'three')).toBe(false);
		expect(sandbox.log[sandbox.log.length - 1]).toMatchObject({ status: 429, path: '/sendMessage' });

		sandbox.configure({ retryAfter: 'http-date' });
		const dated = await send('three');
		expect(Date.parse(dated.headers.get('retry-after') ?? '')).toBeGreaterThanOrEqual(now + 5_500);

		now += 5_500;
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

describe('searchMessages', () => {
	const search = async (body: Record<string, unknown>) => (await call('POST', '/searchMessages', body)).json;

	it('pages NEWEST hits by beforeTs without losing same-second messages', async () => {
		const seen = new Set<string>();
		let beforeTs: number | undefined;
		for (let guard = 0; guard < 30; guard++) {
			const page = await search({ text: 'SEED', strategy: 'NEWEST', limit: 5, ...(beforeTs ? { beforeTs } : {}) });
			const stamps: number[] = page.content.map((m: any) => m.timestampMilli);
			expect(stamps).toEqual([...stamps].sort((a, b) => b - a));
			const before = seen.size;
			for (const m of page.content) {
				expect(m.highlightedBlocks).toEqual([]);
				seen.add(m.id);
			}
			if (!page.hasMore || seen.size === before) break;
			// Re-ask from the end of the oldest second: its other messages may not have fit in this page.
			beforeTs = Math.min(...stamps) + 1000;
		}
		expect(seen.size).toBe(30);
	});

	it('orders OLDEST chronologically and MOST_RELEVANT not by time; validates its input', async () => {
		const oldest = await search({ text: 'seed', strategy: 'OLDEST', limit: 20 });
		const stamps = oldest.content.map((m: any) => m.timestampMilli);
		expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
		expect(oldest).toMatchObject({ totalElements: 30, hasMore: true });

		const relevant = await search({ text: 'seed', limit: 20 });
		const relevantStamps = relevant.content.map((m: any) => m.timestampMilli);
		expect(relevantStamps).not.toEqual([...relevantStamps].sort((a, b) => b - a));
		expect(await search({ text: 'seed', limit: 20 })).toEqual(relevant);

		expect((await call('POST', '/searchMessages', {})).status).toBe(403);
		expect((await call('POST', '/searchMessages', { text: 'x', limit: 21 })).status).toBe(403);
	});
});

describe('switch listAfterOrder: the page order of listMessages with strategy=AFTER', () => {
	const general = () => sandbox.ids.general;
	/** #general oldest first, as the sandbox stores it. */
	const chronological = () =>
		sandbox.state.messages
			.filter((m) => m.channelId === sandbox.ids.general)
			.sort((a, b) => a.timestampMilli - b.timestampMilli || a.seq - b.seq)
			.map((m) => m.id);
	const after = async (cursor: string, limit: number) =>
		(await call('GET', '/listMessages' + q({ channelId: general(), strategy: 'AFTER', cursor, limit }))).json;

	it('newestFirst (default): the cursor and the messages right after it, newest first, the cursor last', async () => {
		const ids = chronological();
		const page = await after(ids[3], 5);
		expect(page.messages.map((m: any) => m.id)).toEqual(ids.slice(3, 9).reverse());
		expect(page).toMatchObject({ hasMoreBefore: true, hasMoreAfter: true });
	});

	it('oldestFirst: the same messages oldest first, so the last item is the next cursor of a forward walk', async () => {
		sandbox.configure({ listAfterOrder: 'oldestFirst' });
		const ids = chronological();
		const first = await after(ids[3], 5);
		expect(first.messages.map((m: any) => m.id)).toEqual(ids.slice(3, 9));
		expect(first).toMatchObject({ hasMoreBefore: true, hasMoreAfter: true });

		const seen: string[] = [];
		let cursor = ids[3];
		for (let guard = 0; guard < 20; guard++) {
			const page = await after(cursor, 5);
			expect(page.messages[0].id).toBe(cursor); // inclusive cursor, at the start
			for (const m of page.messages) if (!seen.includes(m.id)) seen.push(m.id);
			if (!page.hasMoreAfter) break;
			cursor = page.messages[page.messages.length - 1].id;
		}
		expect(seen).toEqual(ids.slice(3));
	});

	it('orders only AFTER pages: BEFORE stays newest first', async () => {
		sandbox.configure({ listAfterOrder: 'oldestFirst' });
		const ids = chronological();
		const before = (await call('GET', '/listMessages' + q({ channelId: general(), cursor: ids[10], limit: 3 }))).json;
		expect(before.messages.map((m: any) => m.id)).toEqual(ids.slice(7, 11).reverse());
	});
});

describe('switch botDm: how an asBot DM is posted', () => {
	const dm = (body: Record<string, unknown>) => call('POST', '/dmUser', { text: 'ping', asBot: true, ...body });
	const dmGroup = (body: Record<string, unknown>) => call('POST', '/dmGroup', { text: 'ping all', asBot: true, ...body });
	const record = (id: string) => sandbox.state.messages.find((m) => m.id === id);
	const fetchMessage = (id: string) => call('GET', '/fetchMessage' + q({ messageId: id }));

	it('botInUserDm (default): the add-on bot posts in the user\'s DM with the recipients', async () => {
		const { bob, carol, adaBot, adaBobDm, groupDm } = sandbox.ids;
		const one = await dm({ userId: bob });
		expect(one.json).toEqual({ id: expect.any(String), channelId: adaBobDm });
		expect(record(one.json.id)?.author).toBe(adaBot);
		const group = await dmGroup({ userIds: [bob, carol] });
		expect(group.json.channelId).toBe(groupDm);
		expect(record(group.json.id)?.author).toBe(adaBot);
		expect((await fetchMessage(one.json.id)).json).toMatchObject({ author: adaBot, channelId: adaBobDm });
	});

	it('asUser: asBot is ignored, the user posts in their own DM', async () => {
		sandbox.configure({ botDm: 'asUser' });
		const { ada, bob, carol, adaBobDm, groupDm } = sandbox.ids;
		const one = await dm({ userId: bob });
		expect(one.json.channelId).toBe(adaBobDm);
		expect(record(one.json.id)?.author).toBe(ada);
		const group = await dmGroup({ userIds: [bob, carol] });
		expect(group.json.channelId).toBe(groupDm);
		expect(record(group.json.id)?.author).toBe(ada);
	});

	it('botOwnDm: the bot posts in a DM of its own with the recipients, which the key\'s user cannot see', async () => {
		sandbox.configure({ botDm: 'botOwnDm' });
		const { ada, bob, carol, adaBot, adaBobDm, groupDm } = sandbox.ids;
		const one = await dm({ userId: bob });
		expect(one.status).toBe(200);
		expect([adaBobDm, groupDm]).not.toContain(one.json.channelId);
		const channel = sandbox.state.channels.find((c) => c.id === one.json.channelId);
		expect(channel).toMatchObject({ channelType: 'DIRECT', creatorId: adaBot, members: [adaBot, bob] });
		expect(record(one.json.id)).toMatchObject({ author: adaBot, channelId: one.json.channelId });

		// Created on demand, then reused.
		expect((await dm({ userId: bob, text: 'again' })).json.channelId).toBe(one.json.channelId);
		const group = await dmGroup({ userIds: [bob, carol, ada] });
		expect(sandbox.state.channels.find((c) => c.id === group.json.channelId)?.members).toEqual([adaBot, bob, carol]);

		// Ada is not a member: the DM is not listed, and neither the message nor the channel can be read.
		const listed = (await call('GET', '/listChannels')).json.map((entry: any) => entry.channel.id);
		expect(listed).not.toContain(one.json.channelId);
		expect(listed).not.toContain(group.json.channelId);
		expect((await fetchMessage(one.json.id)).json).toMatchObject({ code: 404100 });
		const list = await call('GET', '/listMessages' + q({ channelId: one.json.channelId }));
		expect(list).toMatchObject({ status: 403, json: { error: expect.stringContaining('channel') } });

		// Without asBot nothing changes: Ada in her own DM.
		const plain = await call('POST', '/dmUser', { userId: bob, text: 'me' });
		expect(plain.json.channelId).toBe(adaBobDm);
		expect(record(plain.json.id)?.author).toBe(ada);
	});
});

describe('fault late-commit: no answer, and the request is applied later', () => {
	/** The request as fetch sends it: 'dropped' when the connection ended with no answer. */
	const dropped = (path: string, body: unknown) =>
		fetch(sandbox.url + path, {
			method: 'POST',
			headers: { ApiKey: sandbox.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		}).then(
			() => 'answered',
			() => 'dropped',
		);
	const withText = (text: string) => sandbox.state.messages.filter((m) => m.text === text);

	it.each([
		['sendMessage', () => ({ channelId: sandbox.ids.general, text: 'late send' })],
		['sendReply', () => ({ channelId: sandbox.ids.random, messageId: sandbox.ids.randomThreadRoot, text: 'late send' })],
		['dmUser', () => ({ userId: sandbox.ids.bob, text: 'late send' })],
		['dmGroup', () => ({ userIds: [sandbox.ids.bob, sandbox.ids.carol], text: 'late send' })],
	])('%s: dropped unanswered, nothing written; committed once, at the later time', async (operation, body) => {
		sandbox.queueFault('late-commit', { path: operation, lateCommitMs: 3_600_000 });
		expect(await dropped('/' + operation, body())).toBe('dropped');
		expect(withText('late send')).toHaveLength(0);
		const entry = sandbox.log[sandbox.log.length - 1];
		expect(entry).toMatchObject({ path: '/' + operation, fault: 'late-commit', status: 0, lateCommit: { ts: null, status: null } });

		now += 5_000;
		expect(sandbox.commitLate()).toBe(1);
		expect(withText('late send')).toHaveLength(1);
		expect(withText('late send')[0].timestampMilli).toBe(Math.floor(now / 1000) * 1000);
		expect(entry.lateCommit).toEqual({ ts: now, status: 200 });
		expect(sandbox.commitLate()).toBe(0);
		expect(withText('late send')).toHaveLength(1);
	});

	it('commits on its own after lateCommitMs (option), and counts nothing toward the rate limit', async () => {
		sandbox.configure({ lateCommitMs: 20, rateLimit: { limit: 1, windowMs: 60_000 } });
		sandbox.queueFault('late-commit');
		expect(await dropped('/sendMessage', { channelId: sandbox.ids.general, text: 'on its own' })).toBe('dropped');
		while (withText('on its own').length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		expect(withText('on its own')).toHaveLength(1);
		expect((await call('GET', '/myInfo')).status).toBe(200); // the one allowed request is still free
	});

	it('a late request that fails validation writes nothing and records its status', async () => {
		sandbox.queueFault('late-commit', { path: 'sendMessage' });
		await dropped('/sendMessage', { channelId: 'f'.repeat(24), text: 'nowhere' });
		sandbox.commitLate();
		expect(withText('nowhere')).toHaveLength(0);
		expect(sandbox.log[sandbox.log.length - 1].lateCommit).toEqual({ ts: now, status: 403 });
	});

	it('reset() drops pending commits', async () => {
		sandbox.queueFault('late-commit');
		await dropped('/sendMessage', { channelId: sandbox.ids.general, text: 'forgotten' });
		sandbox.reset();
		expect(sandbox.commitLate()).toBe(0);
		expect(withText('forgotten')).toHaveLength(0);
	});

	it('can be queued and committed over the admin endpoints, and drawn as a random fault', async () => {
		expect((await call('POST', '/__sandbox/fault', { fault: 'late-commit', path: '/sendMessage', lateCommitMs: 3_600_000 }, {})).status).toBe(200);
		expect(await dropped('/sendMessage', { channelId: sandbox.ids.general, text: 'via admin' })).toBe('dropped');
		expect(withText('via admin')).toHaveLength(0);
		expect((await call('POST', '/__sandbox/commit', {}, {})).json).toEqual({ committed: 1 });
		expect(withText('via admin')).toHaveLength(1);

		sandbox.configure({ lateCommitMs: 3_600_000, faults: { rate: 1, kinds: ['late-commit'] } });
		expect(await dropped('/sendMessage', { channelId: sandbox.ids.general, text: 'random' })).toBe('dropped');
		sandbox.configure({ faults: undefined });
		expect(sandbox.commitLate()).toBe(1);
		expect(withText('random')).toHaveLength(1);
	});

	it('a delay beyond what a timer holds stays pending instead of firing at once (bounded, no overflow warning)', async () => {
		const warnings: string[] = [];
		const onWarning = (warning: Error) => warnings.push(warning.name);
		process.on('warning', onWarning);
		try {
			// 194 days: a Node timer would clamp it to 1 ms.
			sandbox.queueFault('late-commit', { lateCommitMs: 16_744_174_031 });
			expect(await dropped('/sendMessage', { channelId: sandbox.ids.general, text: 'far future' })).toBe('dropped');
			// A timer created after the commit's and due later: an unbounded commit timer (1 ms) would fire first.
			await new Promise((resolve) => setTimeout(resolve, 10));
			expect(withText('far future')).toHaveLength(0);
			expect(warnings).not.toContain('TimeoutOverflowWarning');
		} finally {
			process.off('warning', onWarning);
		}
		expect(sandbox.commitLate()).toBe(1);
	});
});

describe('the switches through every door', () => {
	it('startSandbox options, GET/POST /__sandbox/config (validated), and configure()', async () => {
		const other = await startSandbox({ listAfterOrder: 'oldestFirst', botDm: 'botOwnDm', lateCommitMs: 5 });
		try {
			const config = await fetch(other.url + '/__sandbox/config').then((r) => r.json());
			expect(config).toMatchObject({ listAfterOrder: 'oldestFirst', botDm: 'botOwnDm', lateCommitMs: 5 });
		} finally {
			await other.close();
		}

		const defaults = (await call('GET', '/__sandbox/config', undefined, {})).json;
		expect(defaults).toMatchObject({ listAfterOrder: 'newestFirst', botDm: 'botInUserDm', lateCommitMs: 2000 });
		const patched = await call('POST', '/__sandbox/config', { listAfterOrder: 'oldestFirst', botDm: 'asUser', lateCommitMs: 50 }, {});
		expect(patched.json).toMatchObject({ listAfterOrder: 'oldestFirst', botDm: 'asUser', lateCommitMs: 50 });
		const sent = await call('POST', '/dmUser', { userId: sandbox.ids.bob, text: 'as user', asBot: true });
		expect(sandbox.state.messages.find((m) => m.id === sent.json.id)?.author).toBe(sandbox.ids.ada);

		for (const bad of [{ listAfterOrder: 'sideways' }, { botDm: 'nobody' }, { lateCommitMs: -1 }]) {
			expect((await call('POST', '/__sandbox/config', bad, {})).status).toBe(400);
		}
		expect((await call('POST', '/__sandbox/fault', { fault: 'late-commit', lateCommitMs: 'soon' }, {})).status).toBe(400);
	});
});
