/**
 * Remembers what a receiver already accepted, so a redelivered event (the same body sent again, with a new
 * timestamp and signature) starts nothing the second time. Keyed by a hash of the raw body, never the body
 * itself; bounded in age and size (core/cache.ts).
 */
import { createHash } from 'node:crypto';

import { BoundedCache } from '../cache';
import { REDELIVERY_MEMORY_ENTRIES, REDELIVERY_MEMORY_MS } from './constants';

export interface RedeliveryOptions {
	ttlMs?: number;
	maxEntries?: number;
	now?: () => number;
}

export function deliveryKey(rawBody: string | Buffer): string {
	return createHash('sha256').update(rawBody).digest('hex');
}

export class RedeliveryMemory {
	private readonly seen: BoundedCache<true>;

	constructor(options: RedeliveryOptions = {}) {
		this.seen = new BoundedCache<true>({
			ttlMs: options.ttlMs ?? REDELIVERY_MEMORY_MS,
			maxEntries: options.maxEntries ?? REDELIVERY_MEMORY_ENTRIES,
			now: options.now,
		});
	}

	/** True the first time a key is offered, false for a redelivery still remembered. Check and mark in one step. */
	firstTime(key: string): boolean {
		if (this.seen.has(key)) return false;
		this.seen.set(key, true);
		return true;
	}

	/** Forgets a key, so that a delivery which could not be handed on is accepted when Pumble sends it again. */
	forget(key: string): void {
		this.seen.delete(key);
	}

	get size(): number {
		return this.seen.size;
	}
}
