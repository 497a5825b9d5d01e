/**
 * What a user limiter tells observers (the benchmark, logs, a host's status): measured from outside, never
 * a probe inside the request path. Emitting costs nothing when nobody listens.
 */
import type { WaitReason } from './rollingWindow';
import type { RateLimitScope } from './userLimiter';

export type { WaitReason } from './rollingWindow';

/**
 * Why a request waits for the user's budget, in no host's terms (the benchmark, logs). Each host words it for
 * its users: n8n's log names workflows (nodes/Pumble/transport), Node-RED's status flows (nodes/NodeRed/lib/status.ts).
 */
export const WAIT_MESSAGES: Record<WaitReason, string> = {
	otherRequester: "waiting for the shared Pumble budget: another requester of this Pumble user is using it",
	ownUse: 'waiting for the Pumble budget: its own earlier requests have used it',
};

/** One request that cannot leave at once because the user's budget is in use. */
export interface WaitingEvent {
	rateClass: string;
	/** Who asked (ScheduleOptions.requester; '' when none was given). */
	requester: string;
	/** `otherRequester`: the units are held mostly by other requesters (executions, flows, processes); `ownUse`: by its own. */
	reason: WaitReason;
	/** WAIT_MESSAGES[reason]. */
	message: string;
}

export interface LimiterEventMap {
	/** A request left. `waitedMs`: from schedule to dispatch; `free`: nothing was queued before it and units were free. */
	dispatched: { rateClass: string; requester: string; waitedMs: number; free: boolean; clustered: boolean };
	/** A request waits for the user's budget (told once per request, when it starts waiting). */
	waiting: WaitingEvent;
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
