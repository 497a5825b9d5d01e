/** Rate limiting, fault injection and artificial latency: everything that makes the sandbox misbehave on purpose. */
import type { Fault, FaultMatch, FaultOptions, RateLimit, RetryAfterMode } from './types';

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

/** mulberry32: tiny, seedable, good enough to make fault sequences reproducible. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function operationName(path: string): string {
	return path.replace(/^\/+/, '');
}

/** A fault chosen for one request, with the per-fault delay a queued `late-commit` may carry. */
export interface PickedFault {
	fault: Fault;
	lateCommitMs?: number;
}

/** Queued one-shot faults first, then random ones at the configured rate. */
export class FaultInjector {
	private queue: Array<{ fault: Fault; match: FaultMatch }> = [];
	private options: FaultOptions | undefined;
	private random: () => number = mulberry32(1);

	constructor(options?: FaultOptions) {
		this.configure(options);
	}

	/** Reconfiguring re-seeds the PRNG, so the same options replay the same sequence. */
	configure(options: FaultOptions | undefined): void {
		this.options = options;
		this.random = mulberry32(options?.seed ?? 1);
	}

	enqueue(fault: Fault, match: FaultMatch = {}): void {
		this.queue.push({ fault, match });
	}

	reset(): void {
		this.queue = [];
		this.configure(this.options);
	}

	get slowMs(): number {
		return this.options?.slowMs ?? 30_000;
	}

	pick(method: string, path: string): PickedFault | undefined {
		const operation = operationName(path);
		const queued = this.queue.findIndex(
			({ match }) =>
				(match.path === undefined || operationName(match.path) === operation) &&
				(match.method === undefined || match.method.toUpperCase() === method),
		);
		if (queued >= 0) {
			const [{ fault, match }] = this.queue.splice(queued, 1);
			return { fault, lateCommitMs: match.lateCommitMs };
		}

		const options = this.options;
		if (!options || options.rate <= 0 || options.kinds.length === 0) return undefined;
		if (options.paths && !options.paths.some((p) => operationName(p) === operation)) return undefined;
		if (this.random() >= options.rate) return undefined;
		return { fault: options.kinds[Math.floor(this.random() * options.kinds.length)] };
	}
}

/** Faults that answer instead of the API: the request is never processed or counted. */
export const SHORT_CIRCUIT_FAULTS: ReadonlySet<Fault> = new Set<Fault>([
	'429',
	'429-date',
	'429-bare',
	'500',
	'502',
	'503',
	'reset-before',
	'html-error',
]);

export function latencyFor(latency: number | { min: number; max: number } | undefined): number {
	if (latency === undefined) return 0;
	if (typeof latency === 'number') return Math.max(0, latency);
	const { min, max } = latency;
	return Math.max(0, min + Math.random() * Math.max(0, max - min));
}
