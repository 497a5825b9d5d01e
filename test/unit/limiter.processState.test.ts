/**
 * One owner of process-wide state. One cache implementation, bounded in age and size;
 * the registry of limiters and named caches is reset explicitly by tests.
 */
import { BoundedCache, processState, pruneProcessState, rateLimiters, resetProcessState, TtlCache } from '../../core';

describe('the one cache', () => {
	it('serves an entry until it expires, then loads again', async () => {
		let now = 1_000;
		const cache = new TtlCache<number>({ ttlMs: 100, now: () => now });
		let loads = 0;
		const load = async () => ++loads;
		expect(await cache.get('a', load)).toBe(1);
		now += 99;
		expect(await cache.get('a', load)).toBe(1);
		now += 1;
		expect(await cache.get('a', load)).toBe(2);
	});

	it('never serves a failed load', async () => {
		const cache = new TtlCache<number>(60_000);
		await expect(cache.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
		await new Promise((resolve) => setImmediate(resolve));
		expect(await cache.get('a', async () => 7)).toBe(7);
	});

	it('keeps at most maxEntries, dropping the least recently used first', () => {
		const cache = new BoundedCache<number>({ ttlMs: 60_000, maxEntries: 3 });
		cache.set('a', 1);
		cache.set('b', 2);
		cache.set('c', 3);
		expect(cache.peek('a')).toBe(1); // a is now the most recently used
		cache.set('d', 4);
		expect(cache.size).toBe(3);
		expect(cache.peek('b')).toBeUndefined();
		expect([...cache.keys()].sort()).toEqual(['a', 'c', 'd']);
	});

	it('with slide, forgets only what was not read for ttlMs', () => {
		let now = 0;
		const cache = new BoundedCache<string>({ ttlMs: 100, slide: true, now: () => now });
		cache.set('used', 'u');
		cache.set('idle', 'i');
		for (let i = 0; i < 5; i++) {
			now += 60;
			expect(cache.peek('used')).toBe('u');
		}
		cache.prune();
		expect(cache.size).toBe(1);
		expect(cache.peek('idle')).toBeUndefined();
	});
});

describe('the process state', () => {
	afterEach(() => resetProcessState());

	it('hands out one cache per name, and resets every cache and limiter', async () => {
		const cache = processState.loadingCache<number>('test:numbers', { ttlMs: 60_000 });
		expect(processState.loadingCache<number>('test:numbers', { ttlMs: 1 })).toBe(cache);
		expect(() => processState.boundedCache('test:numbers', 10)).not.toThrow(); // a loading cache is a bounded cache
		await cache.get('k', async () => 1);
		rateLimiters.get('user:reset-test');
		expect(processState.counts()).toMatchObject({ limiters: 1, caches: { 'test:numbers': 1 } });
		await resetProcessState();
		expect(processState.counts()).toMatchObject({ limiters: 0, knownUsers: 0, caches: { 'test:numbers': 0 } });
	});

	it('prunes expired entries of every cache', async () => {
		const cache = processState.boundedCache<number>('test:prune', { ttlMs: 1_000 });
		cache.set('a', 1, 0);
		pruneProcessState(500);
		expect(cache.size).toBe(1);
		pruneProcessState(1_000);
		expect(cache.size).toBe(0);
	});
});
