/**
 * The one cache of the package: entries expire after `ttlMs`, and at most `maxEntries` are kept (the least
 * recently used go first), so nothing a process caches can grow without bound. `TtlCache` adds loading:
 * a load in flight is shared, and a failed load is never served. Keys are identity hashes, never API keys.
 */

export interface CacheOptions {
	/** How long an entry is served after it was stored (or last read, with `slide`). */
	ttlMs: number;
	/** Most entries kept; the least recently used are dropped first. Default 1,000. */
	maxEntries?: number;
	/** Reading an entry extends its life by `ttlMs` (for "forget what has not been used for a while"). */
	slide?: boolean;
	/** The clock (tests inject one). */
	now?: () => number;
}

export const DEFAULT_MAX_ENTRIES = 1_000;

/** A map bounded in age and size. Expired entries are pruned on every write and by `prune()`. */
export class BoundedCache<V> {
	private readonly entries = new Map<string, { expires: number; value: V }>();
	readonly ttlMs: number;
	readonly maxEntries: number;
	private readonly slide: boolean;
	protected readonly clock: () => number;

	constructor(options: CacheOptions | number) {
		const resolved = typeof options === 'number' ? { ttlMs: options } : options;
		this.ttlMs = resolved.ttlMs;
		this.maxEntries = Math.max(1, resolved.maxEntries ?? DEFAULT_MAX_ENTRIES);
		this.slide = resolved.slide ?? false;
		this.clock = resolved.now ?? Date.now;
	}

	/** The entry, if present and not expired; marks it recently used. */
	peek(key: string, now = this.clock()): V | undefined {
		const hit = this.entries.get(key);
		if (!hit) return undefined;
		if (hit.expires <= now) {
			this.entries.delete(key);
			return undefined;
		}
		// Re-inserted: Map order is the LRU order.
		this.entries.delete(key);
		if (this.slide) hit.expires = now + this.ttlMs;
		this.entries.set(key, hit);
		return hit.value;
	}

	has(key: string, now = this.clock()): boolean {
		return this.peek(key, now) !== undefined;
	}

	set(key: string, value: V, now = this.clock()): void {
		this.entries.delete(key);
		this.entries.set(key, { expires: now + this.ttlMs, value });
		this.prune(now);
	}

	delete(key: string): void {
		this.entries.delete(key);
	}

	/** Drops expired entries, then the least recently used beyond `maxEntries`. */
	prune(now = this.clock()): void {
		for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
		for (const key of this.entries.keys()) {
			if (this.entries.size <= this.maxEntries) break;
			this.entries.delete(key);
		}
	}

	clear(): void {
		this.entries.clear();
	}

	/** Entries held, expired ones not yet pruned included. */
	get size(): number {
		return this.entries.size;
	}

	keys(): IterableIterator<string> {
		return this.entries.keys();
	}
}

/**
 * A cache of loads (e.g. the workspace lists that name lookups and n8n's searchable lists read over and
 * over, so typing in a dropdown does not spend the user's rate limit).
 */
export class TtlCache<V> extends BoundedCache<Promise<V>> {
	/** The cached value of `key`, or `load()`'s (cached unless it fails). */
	get(key: string, load: () => Promise<V>, now?: number): Promise<V> {
		const at = now ?? this.clock();
		const hit = this.peek(key, at);
		if (hit) return hit;
		const value = load();
		this.set(key, value, at);
		// A failed load must not be served from the cache (nor remove a newer load of the same key).
		value.catch(() => {
			if (this.peek(key, at) === value) this.delete(key);
		});
		return value;
	}

	invalidate(key: string): void {
		this.delete(key);
	}
}
