/** Rate limits: the sliding-window counters and the Retry-After header a refusal carries. */
import type { RateLimit, RetryAfterMode } from './types';

/**
 * Sliding-window counters. Only accepted requests are recorded, so a client hammering a 429
 * does not push its own recovery further away.
 */
export class SlidingWindow {
	private readonly hits = new Map<string, number[]>();

	/** Milliseconds until a request at `now` would fit under `rule`; 0 when it fits already. */
	waitMs(key: string, now: number, rule: RateLimit): number {
		const hits = this.prune(key, now, rule.windowMs);
		if (hits.length < rule.limit) return 0;
		if (rule.limit <= 0) return rule.windowMs;
		// The request fits once all but limit-1 of the current hits have left the window.
		return Math.max(1, hits[hits.length - rule.limit] + rule.windowMs - now);
	}

	record(key: string, now: number): void {
		const hits = this.hits.get(key) ?? [];
		// Arrival times can be recorded slightly out of order (bodies finish arriving at different times).
		let i = hits.length;
		while (i > 0 && hits[i - 1] > now) i--;
		hits.splice(i, 0, now);
		this.hits.set(key, hits);
	}

	clear(): void {
		this.hits.clear();
	}

	private prune(key: string, now: number, windowMs: number): number[] {
		const hits = this.hits.get(key) ?? [];
		const firstLive = hits.findIndex((t) => t > now - windowMs);
		const live = firstLive < 0 ? [] : firstLive === 0 ? hits : hits.slice(firstLive);
		this.hits.set(key, live);
		return live;
	}
}

/** The Retry-After header for a wait, or undefined when the mode says to send none. */
export function retryAfterHeader(mode: RetryAfterMode, waitMs: number, now: number): string | undefined {
	switch (mode) {
		case 'seconds':
			return String(Math.max(1, Math.ceil(waitMs / 1000)));
		case 'http-date':
			// HTTP dates have whole-second resolution: round up so the client never retries early.
			return new Date(Math.ceil((now + waitMs) / 1000) * 1000).toUTCString();
		case 'none':
			return undefined;
	}
}
