/**
 * What a user limiter tells observers (the benchmark, logs): measured from outside, never a probe inside
 * the request path. Emitting costs nothing when nobody listens.
 */
import type { RateLimitScope } from './userLimiter';

export interface LimiterEventMap {
	/** A request left. `waitedMs`: from schedule to dispatch; `free`: nothing was queued before it and units were free. */
	dispatched: { rateClass: string; waitedMs: number; free: boolean; clustered: boolean };
	/** Pumble answered 429: who waits (`scope`), until when, and the class's limit afterwards. */
	rateLimited: { rateClass: string; scope: RateLimitScope; until: number; limit: number | undefined };
}

export type LimiterEventName = keyof LimiterEventMap;

export class LimiterEvents {
	private readonly listeners = new Map<LimiterEventName, Set<(event: never) => void>>();

	on<K extends LimiterEventName>(name: K, listener: (event: LimiterEventMap[K]) => void): () => void {
		let set = this.listeners.get(name);
		if (!set) this.listeners.set(name, (set = new Set()));
		set.add(listener as (event: never) => void);
		return () => void set.delete(listener as (event: never) => void);
	}

	has(name: LimiterEventName): boolean {
		return (this.listeners.get(name)?.size ?? 0) > 0;
	}

	emit<K extends LimiterEventName>(name: K, event: LimiterEventMap[K]): void {
		for (const listener of this.listeners.get(name) ?? []) {
			try {
				(listener as (event: LimiterEventMap[K]) => void)(event);
			} catch {
				// an observer's failure never reaches a request
			}
		}
	}

	clear(): void {
		this.listeners.clear();
	}
}
