/**
 * The budget belongs to the Pumble user behind a key, learned once per key from
 * /myInfo; two keys of one person share it; the key itself is never kept.
 */
import { identityOf, PumbleClient, RateLimiterRegistry, Transport, TransportRequest } from '../../core';
import { ENDPOINTS } from '../../core/http/endpoints';
import { busiestWindow } from '../../bench/lib/analyze';

/** A fake Pumble: keys → users, /myInfo answers the user, everything else 200; records arrivals per user. */
function fakePumble(users: Record<string, string>, latencyMs = 2) {
	const arrivals: Array<{ at: number; user: string; path: string }> = [];
	const transportFor = (key: string): Transport => ({
		async send(request: TransportRequest) {
			const user = users[key];
			arrivals.push({ at: Date.now(), user: user ?? '?', path: request.path });
			await new Promise((resolve) => setTimeout(resolve, latencyMs));
			if (!user) return { status: 403, headers: {}, body: { error: 'Invalid API key' } };
			if (request.path === '/myInfo') return { status: 200, headers: {}, body: { id: user, name: user } };
			return { status: 200, headers: {}, body: { id: 'm', channelId: 'c' } };
		},
	});
	return { arrivals, transportFor };
}

const client = (registry: RateLimiterRegistry, transport: Transport, key: string, limit: number, windowMs: number) =>
	new PumbleClient({ transport, identity: identityOf(key), registry, rateLimit: { limit, windowMs } });

describe('the budget of the Pumble user behind a key', () => {
	let registry: RateLimiterRegistry;
	beforeEach(() => (registry = new RateLimiterRegistry({ redis: null })));
	afterEach(() => registry.close());

	it('is shared by two keys of the same person: together they never exceed the limit in any window', async () => {
		const pumble = fakePumble({ 'key-ada-1': 'ada', 'key-ada-2': 'ada' });
		const first = client(registry, pumble.transportFor('key-ada-1'), 'key-ada-1', 10, 400);
		const second = client(registry, pumble.transportFor('key-ada-2'), 'key-ada-2', 10, 400);
		// Each key's user is learned once (its /myInfo is charged to the user when the answer names it);
		// two keys of one person learned at the same instant are the one moment that can count one extra.
		await first.userLimiter();
		await second.userLimiter();
		const from = Date.now();
		await Promise.all([
			...Array.from({ length: 20 }, () => first.call(ENDPOINTS.sendMessage, { body: {} })),
			...Array.from({ length: 20 }, () => second.call(ENDPOINTS.sendMessage, { body: {} })),
		]);
		expect(await first.userLimiter()).toBe(await second.userLimiter());
		// Every request of the user, the two /myInfo included, counts against one window.
		expect(busiestWindow(pumble.arrivals.map((a) => a.at), 400)).toBeLessThanOrEqual(10);
		expect(pumble.arrivals).toHaveLength(42);
		// Shared, not per key: 40 requests at 10 per window need at least 3 more windows.
		expect(Math.max(...pumble.arrivals.map((a) => a.at)) - from).toBeGreaterThanOrEqual(3 * 400);
	}, 20_000);

	it('learns the user once per key, and keeps apart different people', async () => {
		const pumble = fakePumble({ 'key-ada': 'ada', 'key-bob': 'bob' });
		const clients = [
			client(registry, pumble.transportFor('key-ada'), 'key-ada', 100, 1_000),
			client(registry, pumble.transportFor('key-ada'), 'key-ada', 100, 1_000), // a second execution, same key
			client(registry, pumble.transportFor('key-bob'), 'key-bob', 100, 1_000),
		];
		await Promise.all(clients.flatMap((c) => Array.from({ length: 5 }, () => c.call(ENDPOINTS.listUsers))));
		const myInfo = pumble.arrivals.filter((a) => a.path === '/myInfo');
		expect(myInfo.map((a) => a.user).sort()).toEqual(['ada', 'bob']);
		expect(await clients[0].userLimiter()).toBe(await clients[1].userLimiter());
		expect(await clients[0].userLimiter()).not.toBe(await clients[2].userLimiter());
		expect(registry.userOf(identityOf('key-ada'))).toBe('ada');
	});

	it('remembers keys only as a hash', async () => {
		const pumble = fakePumble({ 'secret-key-of-ada': 'ada' });
		await client(registry, pumble.transportFor('secret-key-of-ada'), 'secret-key-of-ada', 100, 1_000).call(ENDPOINTS.listUsers);
		const seen = new WeakSet<object>();
		const dump = JSON.stringify(registry, (_key, value: unknown) => {
			if (value instanceof Map) return [...value.entries()];
			if (typeof value === 'object' && value !== null) {
				if (seen.has(value)) return undefined;
				seen.add(value);
			}
			return value;
		});
		expect(dump).not.toContain('secret-key-of-ada');
		expect(dump).toContain(identityOf('secret-key-of-ada'));
	});

	it('counts the /myInfo that found the user against that user', async () => {
		const pumble = fakePumble({ 'key-ada': 'ada' });
		const ada = client(registry, pumble.transportFor('key-ada'), 'key-ada', 3, 60_000);
		const limiter = await ada.userLimiter();
		expect(await limiter.currentReservoir()).toBe(2);
	});

	it.each([
		['answers with another user', (bootstrap: { answer(user: string): void; fail(): void }) => bootstrap.answer('bob')],
		['fails', (bootstrap: { answer(user: string): void; fail(): void }) => bootstrap.fail()],
	])('holds back a unit of every user budget while a new key\'s /myInfo is in flight, until it %s', async (_, land) => {
		const ada = registry.get('user:ada', { limit: 3, windowMs: 60_000 });
		const order: string[] = [];
		const send = (name: string) => ada.schedule('sendMessage', async () => void order.push(name));
		let bootstrap!: { answer(user: string): void; fail(): void };
		// Whose this key is, nobody knows yet: its /myInfo may count against ada's budget at Pumble.
		const learning = registry.forKey('hash-of-new-key', {}, () => new Promise<string>((answer, fail) => (bootstrap = { answer, fail: () => fail(new Error('down')) })));
		await Promise.all([send('first'), send('second')]);
		const third = send('third'); // the last unit of ada's window is the /myInfo's until it lands
		// Time for it to leave if it could (it can only after 'landed', however long this takes).
		await new Promise((resolve) => setTimeout(resolve, 50));
		order.push('landed');
		land(bootstrap);
		await Promise.all([third, learning]);
		expect(order).toEqual(['first', 'second', 'landed', 'third']);
	});

	it('falls back to the key\'s own budget when /myInfo fails, and the request still gets its own answer', async () => {
		const pumble = fakePumble({});
		const bad = client(registry, pumble.transportFor('wrong-key'), 'wrong-key', 100, 1_000);
		await expect(bad.call(ENDPOINTS.listChannels)).rejects.toMatchObject({ operation: 'listChannels', status: 403 });
		expect(registry.userOf(identityOf('wrong-key'))).toBeUndefined();
		expect(pumble.arrivals.map((a) => a.path)).toEqual(['/myInfo', '/listChannels']);
	});
});
