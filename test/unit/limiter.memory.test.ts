/**
 * Memory that comes back when credentials go idle. With 1,000 distinct credentials, what the process keeps per
 * key and per user — limiters, the key's own bootstrap limiter, the key → user entries, cached lists —
 * comes back to where it started once they are idle. Counted in the process state, with the clocks
 * passed in (no count depends on how long the loop took); no heap measurement.
 */
import { identityOf, processState, RateLimiterRegistry, PumbleClient, pruneProcessState, resetProcessState, Transport, TransportRequest } from '../../core';
import { ENDPOINTS } from '../../core/http/endpoints';
import { sleep } from '../../core/time';

const WINDOW_MS = 100;
const IDLE_MS = 10 * 60_000; // the process-wide registry's

/** Pumble for one key: /myInfo names the key's own user; everything else answers an empty list. */
const pumbleFor = (user: string): Transport => ({
	async send(request: TransportRequest) {
		return { status: 200, headers: {}, body: request.path === '/myInfo' ? { id: user } : [] };
	},
});

describe('process-wide state with 1,000 credentials', () => {
	afterAll(() => resetProcessState());

	it('keeps one limiter per user (no key limiter left behind) and gives everything back once idle', async () => {
		await resetProcessState();
		const baseline = processState.counts();
		// The cache's clock stands still while the credentials load: on a loaded machine the loop can take
		// longer than the TTL, and the first entries must not expire (and be pruned) before they are counted.
		const loadedAt = Date.now();
		const lists = processState.loadingCache<unknown[]>('test:lists-per-key', { ttlMs: 30_000, now: () => loadedAt });
		for (let batch = 0; batch < 10; batch++) {
			await Promise.all(
				Array.from({ length: 100 }, (_, j) => {
					const i = batch * 100 + j;
					const client = new PumbleClient({ transport: pumbleFor(`user-${i}`), identity: identityOf(`memory-test-key-${i}`), rateLimit: { windowMs: WINDOW_MS } });
					return lists.get(`${client.identity}:users`, () => client.call<unknown[]>(ENDPOINTS.listUsers));
				}),
			);
		}
		const busy = processState.counts();
		expect(busy.limiters).toBe(1_000); // the users' — each key's bootstrap limiter went once its user was known
		expect(busy.knownUsers).toBe(1_000);
		expect(busy.caches['test:lists-per-key']).toBe(1_000);

		await sleep(WINDOW_MS * 3); // every budget unit (one window after its answer) is back
		const now = Date.now();
		pruneProcessState(now + IDLE_MS + 1);
		expect(processState.counts().limiters).toBe(baseline.limiters);
		expect(processState.counts().caches['test:lists-per-key']).toBe(0);
		// Which user a key belongs to is remembered longer (6 × idle), then forgotten too.
		expect(processState.counts().knownUsers).toBe(1_000);
		pruneProcessState(now + 6 * IDLE_MS + 1);
		expect(processState.counts()).toEqual({ ...baseline, caches: { ...baseline.caches, 'test:lists-per-key': 0 } });
	}, 180_000);

	it('remembers a bounded number of keys, forgetting the least recently used first', async () => {
		const MAX_KNOWN_KEYS = 50;
		const registry = new RateLimiterRegistry({ redis: null, maxKnownKeys: MAX_KNOWN_KEYS });
		for (let i = 0; i < MAX_KNOWN_KEYS + 5; i++) {
			await registry.forKey(`hash-${i}`, {}, async () => 'one-user');
		}
		expect(registry.rememberedKeys).toBe(MAX_KNOWN_KEYS);
		expect(registry.userOf('hash-0')).toBeUndefined();
		expect(registry.userOf(`hash-${MAX_KNOWN_KEYS + 4}`)).toBe('one-user');
		expect(registry.size).toBe(1); // one user, and no key limiter left
		await registry.close();
	});
});
