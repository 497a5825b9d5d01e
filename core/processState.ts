/**
 * The one owner of what lives as long as the process: the rate limiters (one per Pumble user, with the
 * users learned per key hash) and the named caches, each bounded in age and size (core/cache.ts).
 * Everything that would otherwise be a module-level singleton asks for its cache here, so that
 * `resetProcessState()` empties all of it (tests) and `pruneProcessState()` shows what comes back.
 */
import { BoundedCache, CacheOptions, TtlCache } from './cache';
import { RateLimiterRegistry } from './limiter/registry';

export interface ProcessStateCounts {
	/** Rate limiters (users, and keys whose user is not known yet). */
	limiters: number;
	/** Key hashes whose Pumble user is remembered. */
	knownUsers: number;
	/** Entries per named cache. */
	caches: Record<string, number>;
}

class ProcessState {
	/** Shared by every execution and every node of this package in the process. */
	readonly rateLimiters = new RateLimiterRegistry();
	private readonly caches = new Map<string, BoundedCache<unknown>>();

	/** The process-wide loading cache called `name` (created on first use with `options`). */
	loadingCache<V>(name: string, options: CacheOptions | number): TtlCache<V> {
		return this.named(name, () => new TtlCache<V>(options), TtlCache) as TtlCache<V>;
	}

	/** The process-wide bounded map called `name` (created on first use with `options`). */
	boundedCache<V>(name: string, options: CacheOptions | number): BoundedCache<V> {
		return this.named(name, () => new BoundedCache<V>(options), BoundedCache) as BoundedCache<V>;
	}

	/** The Pumble user behind a key hash, if learned. */
	userOf(keyHash: string): string | undefined {
		return this.rateLimiters.userOf(keyHash);
	}

	counts(): ProcessStateCounts {
		return {
			limiters: this.rateLimiters.size,
			knownUsers: this.rateLimiters.rememberedKeys,
			caches: Object.fromEntries([...this.caches].map(([name, cache]) => [name, cache.size])),
		};
	}

	/** Drops what expired or went idle by `now`: idle limiters, old key → user entries, expired cache entries. */
	prune(now = Date.now()): void {
		this.rateLimiters.sweep(now);
		for (const cache of this.caches.values()) cache.prune(now);
	}

	/** Stops every limiter and empties every cache. The caches stay registered (their owners hold them). */
	async reset(): Promise<void> {
		await this.rateLimiters.close();
		for (const cache of this.caches.values()) cache.clear();
	}

	private named<C extends BoundedCache<unknown>>(name: string, create: () => C, kind: abstract new (...args: never[]) => C): C {
		const existing = this.caches.get(name);
		if (existing) {
			if (!(existing instanceof kind)) throw new Error(`The process cache "${name}" exists with another kind`);
			return existing as C;
		}
		const cache = create();
		this.caches.set(name, cache as BoundedCache<unknown>);
		return cache;
	}
}

export const processState = new ProcessState();

/** The process-wide rate limiter registry (see core/limiter). */
export const rateLimiters = processState.rateLimiters;

/** Tests: stop every limiter, forget every learned user and empty every cache. */
export function resetProcessState(): Promise<void> {
	return processState.reset();
}

/** Drops what went idle or expired by `now` (runs by itself for limiters; callable for tests and scripts). */
export function pruneProcessState(now = Date.now()): void {
	processState.prune(now);
}
