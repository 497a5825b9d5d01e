/**
 * What this process knows about its own sends, per API key identity, for the reconciler:
 * - the message IDs it already reported as some send's result (a look never claims one of them: if
 *   item 1 posted "Hello" and item 2's identical "Hello" was lost in the same second, item 1's message
 *   is not item 2's);
 * - where Pumble put the last "Send as Bot" DM that was answered (which conversation a look can read).
 * Bounded in size and age; an identity not used for `retentionMs` is dropped whole. The process-wide
 * record lives in the process-state registry (core/processState.ts), so tests reset it with the rest.
 */
import { BoundedCache } from '../cache';
import { processState } from '../processState';

export class AnsweredSends {
	private addsSinceSweep = 0;

	constructor(
		readonly retentionMs: number,
		readonly maxPerIdentity: number,
		/** Identities remembered at most (the least recently used go first). */
		readonly maxIdentities = 10_000,
		private readonly byIdentity = new BoundedCache<Map<string, number>>({ ttlMs: retentionMs, maxEntries: maxIdentities, slide: true }),
		private readonly botDmChannel = new BoundedCache<string>({ ttlMs: retentionMs, maxEntries: maxIdentities }),
	) {}

	add(identity: string, id: string, now = Date.now()): void {
		let ids = this.byIdentity.peek(identity, now);
		if (!ids) this.byIdentity.set(identity, (ids = new Map()), now);
		ids.delete(id);
		ids.set(id, now);
		this.prune(identity, ids, now);
		// Other identities age out too, checked now and then (a sweep walks every identity).
		if (++this.addsSinceSweep >= 1_000) this.sweep(now);
	}

	has(identity: string, id: string, now = Date.now()): boolean {
		const at = this.byIdentity.peek(identity, now)?.get(id);
		return at !== undefined && at > now - this.retentionMs;
	}

	size(identity: string): number {
		return this.byIdentity.peek(identity)?.size ?? 0;
	}

	/** Identities held (idle ones not yet swept included). */
	get identities(): number {
		return this.byIdentity.size;
	}

	rememberBotDm(identity: string, channelId: string, now = Date.now()): void {
		this.botDmChannel.set(identity, channelId, now);
	}

	/** The conversation of the last answered "Send as Bot" DM of this identity, if recent. */
	lastBotDm(identity: string, now = Date.now()): string | undefined {
		return this.botDmChannel.peek(identity, now);
	}

	/** Drops expired entries of every identity, and identities left empty or idle. */
	sweep(now = Date.now()): void {
		this.addsSinceSweep = 0;
		this.byIdentity.prune(now);
		for (const identity of [...this.byIdentity.keys()]) {
			const ids = this.byIdentity.peek(identity, now);
			if (ids) this.prune(identity, ids, now);
		}
		this.botDmChannel.prune(now);
	}

	clear(): void {
		this.byIdentity.clear();
		this.botDmChannel.clear();
	}

	private prune(identity: string, ids: Map<string, number>, now: number): void {
		// Oldest first (insertion order): drop what is too old or too many.
		for (const [oldId, at] of ids) {
			if (ids.size <= this.maxPerIdentity && at > now - this.retentionMs) break;
			ids.delete(oldId);
		}
		if (ids.size === 0) this.byIdentity.delete(identity);
	}
}

/** Ten minutes covers any attempt (timeouts, retries, looks and the landing time finish well within it). */
const RETENTION_MS = 10 * 60_000;
const MAX_IDENTITIES = 10_000;

export const answeredSends = new AnsweredSends(
	RETENTION_MS,
	20_000,
	MAX_IDENTITIES,
	processState.boundedCache<Map<string, number>>('reconcile.answeredSends', { ttlMs: RETENTION_MS, maxEntries: MAX_IDENTITIES, slide: true }),
	processState.boundedCache<string>('reconcile.botDmChannel', { ttlMs: RETENTION_MS, maxEntries: MAX_IDENTITIES }),
);
