/**
 * A short-lived cache for the workspace lists (channels, users) that name lookups and n8n's searchable
 * lists read over and over — so typing in a dropdown does not spend the user's rate limit.
 * Keyed by the credential's identity hash, never by the key.
 */
export class TtlCache<V> {
	private readonly entries = new Map<string, { expires: number; value: Promise<V> }>();

	constructor(private readonly ttlMs: number) {}

	get(key: string, load: () => Promise<V>, now = Date.now()): Promise<V> {
		const hit = this.entries.get(key);
		if (hit && hit.expires > now) return hit.value;
		const value = load();
		this.entries.set(key, { expires: now + this.ttlMs, value });
		// A failed load must not be served from the cache.
		value.catch(() => this.entries.delete(key));
		this.prune(now);
		return value;
	}

	invalidate(key: string): void {
		this.entries.delete(key);
	}

	private prune(now: number): void {
		for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
	}
}
