/**
 * What this process knows about its own sends, per API key identity, for the reconciler:
 * - the message IDs it already reported as some send's result (a look never claims one of them: if
 *   item 1 posted "Hello" and item 2's identical "Hello" was lost in the same second, item 1's message
 *   is not item 2's);
 * - where Pumble put the last "Send as Bot" DM that was answered (which conversation a look can read).
 * Bounded in size and age; an identity whose entries have all expired is removed.
 */

export class AnsweredSends {
	private readonly byIdentity = new Map<string, Map<string, number>>();
	private readonly botDmChannel = new Map<string, { channelId: string; at: number }>();
	private addsSinceSweep = 0;

	constructor(
		readonly retentionMs: number,
		readonly maxPerIdentity: number,
		/** Identities remembered at most (the least recently used go first). */
		readonly maxIdentities = 10_000,
	) {}

	add(identity: string, id: string, now = Date.now()): void {
		let ids = this.byIdentity.get(identity);
		if (ids) this.byIdentity.delete(identity); // re-inserted: most recently used last
		else ids = new Map();
		this.byIdentity.set(identity, ids);
		ids.delete(id);
		ids.set(id, now);
		this.prune(identity, ids, now);
		while (this.byIdentity.size > this.maxIdentities) this.byIdentity.delete(this.byIdentity.keys().next().value as string);
		// Other identities age out too, checked now and then (a sweep walks every identity).
		if (++this.addsSinceSweep >= 1_000) this.sweep(now);
	}

	has(identity: string, id: string, now = Date.now()): boolean {
		const at = this.byIdentity.get(identity)?.get(id);
		return at !== undefined && at > now - this.retentionMs;
	}

	size(identity: string): number {
		return this.byIdentity.get(identity)?.size ?? 0;
	}

	/** Identities with at least one remembered send. */
	get identities(): number {
		return this.byIdentity.size;
	}

	rememberBotDm(identity: string, channelId: string, now = Date.now()): void {
		this.botDmChannel.delete(identity);
		this.botDmChannel.set(identity, { channelId, at: now });
		while (this.botDmChannel.size > this.maxIdentities) this.botDmChannel.delete(this.botDmChannel.keys().next().value as string);
	}

	/** The conversation of the last answered "Send as Bot" DM of this identity, if recent. */
	lastBotDm(identity: string, now = Date.now()): string | undefined {
		const entry = this.botDmChannel.get(identity);
		return entry && entry.at > now - this.retentionMs ? entry.channelId : undefined;
	}

	/** Drops expired entries of every identity, and identities left empty. */
	sweep(now = Date.now()): void {
		this.addsSinceSweep = 0;
		for (const [identity, ids] of this.byIdentity) {
			this.prune(identity, ids, now);
		}
		for (const [identity, entry] of this.botDmChannel) if (entry.at <= now - this.retentionMs) this.botDmChannel.delete(identity);
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

/** Ten minutes covers any attempt (timeouts, retries and looks finish well within it). */
export const answeredSends = new AnsweredSends(10 * 60_000, 20_000);
