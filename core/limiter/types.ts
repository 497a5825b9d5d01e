/** What the limiter's parts share: the settings of a user's budget, a dispatched request, and its errors. */

export interface RateLimitSettings {
	/** Requests allowed per window for this user. */
	limit: number;
	/** Window length; Pumble's is one minute. */
	windowMs: number;
	/** Requests of this user in flight at once, per process. */
	maxConcurrent: number;
	/**
	 * Share of the window (0–0.5) the requester using the most leaves to the others, so that a newcomer is
	 * served within about a second (rollingWindow.ts); default DEFAULT_RESERVE_SHARE, 0 turns it off.
	 */
	reserveShare?: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = { limit: 1000, windowMs: 60_000, maxConcurrent: 200 };

/** 5 % of the window: 50 of Pumble's 1,000 per minute. */
export const DEFAULT_RESERVE_SHARE = 0.05;

/** Units of `limit` a heavy requester leaves to the others: the share (bounded to 0–0.5), rounded down. */
export function reserveUnits(limit: number, share = DEFAULT_RESERVE_SHARE): number {
	const bounded = Number.isFinite(share) ? Math.min(0.5, Math.max(0, share)) : DEFAULT_RESERVE_SHARE;
	return Math.floor(limit * bounded);
}

/** Added to each unit's return so timer and clock granularity can never let a window hold limit + 1. */
export const SAFETY_MS = 25;

export interface Dispatched<T> {
	value: T;
	/** When the request left (after every wait). */
	dispatchedAt: number;
}

/** The request never left: the window it waited in was abandoned (Redis went away). Safe to send elsewhere. */
export class NotDispatchedError extends Error {
	constructor(reason: string) {
		super(`Request not dispatched: ${reason}`);
		this.name = 'NotDispatchedError';
	}
}

/**
 * The request did not leave, and goes back to the start of its waits: the window it waited in was lifted
 * (its operation class is no longer limited), or a pause began while it waited. Never reaches a caller.
 */
export class RequeueError extends NotDispatchedError {
	constructor(readonly why: 'window lifted' | 'paused') {
		super(why === 'paused' ? 'a pause began while it waited' : 'its operation window was lifted');
		this.name = 'RequeueError';
	}
}

export interface LimiterLogger {
	warn(message: string): void;
	info?(message: string): void;
	debug?(message: string): void;
}
