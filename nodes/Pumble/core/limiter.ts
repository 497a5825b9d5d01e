/**
 * One rate limiter per Pumble user, shared by every execution in the process.
 *
 * Pumble allows 1000 requests per minute per user. Bottleneck's reservoir holds the budget; a request
 * takes one unit when it is dispatched and gives it back one window after its answer arrived. The server
 * saw the request no later than that answer, so no `windowMs` interval can ever hold more than `limit`
 * requests — a true rolling window, not fixed minutes (which would allow 2×limit across a boundary) —
 * while a burst is served at once as long as budget remains.
 */
import Bottleneck from 'bottleneck';

export interface RateLimitSettings {
	/** Requests allowed per window for this user. */
	limit: number;
	/** Window length; Pumble's is one minute. */
	windowMs: number;
	/** Requests in flight at once for this user. */
	maxConcurrent: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = { limit: 1000, windowMs: 60_000, maxConcurrent: 50 };

/** Added to each unit's return so timer and clock granularity can never let a window hold limit + 1. */
const SAFETY_MS = 25;

export class UserRateLimiter {
	private readonly bottleneck: Bottleneck;
	private pausedUntil = 0;
	private outstanding = 0;
	lastUsed = Date.now();

	constructor(
		readonly id: string,
		private settings: RateLimitSettings,
	) {
		this.bottleneck = new Bottleneck({ reservoir: settings.limit, maxConcurrent: settings.maxConcurrent, id });
	}

	get limit(): number {
		return this.settings.limit;
	}

	/** Runs `task` when the user's budget allows; every call is one request against the budget. */
	schedule<T>(task: () => Promise<T>): Promise<T> {
		this.lastUsed = Date.now();
		return this.bottleneck.schedule(async () => {
			this.outstanding++;
			try {
				await this.waitWhilePaused();
				return await task();
			} finally {
				this.lastUsed = Date.now();
				const timer = setTimeout(() => {
					this.outstanding--;
					void this.bottleneck.incrementReservoir(1);
				}, this.settings.windowMs + SAFETY_MS);
				timer.unref?.();
			}
		});
	}

	/** Holds every request of this user that has not been sent yet, e.g. after a 429 with Retry-After. */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
	}

	/** A stricter limit (another credential of the same user asked for fewer) takes effect at once. */
	lowerLimit(limit: number): void {
		if (limit >= this.settings.limit) return;
		const difference = this.settings.limit - limit;
		this.settings = { ...this.settings, limit };
		void this.bottleneck.incrementReservoir(-difference);
	}

	/** Requests queued or running, and budget units not yet returned. Idle means both are zero. */
	get busy(): boolean {
		const counts = this.bottleneck.counts();
		return this.outstanding > 0 || counts.QUEUED + counts.RUNNING + counts.EXECUTING + counts.RECEIVED > 0;
	}

	async currentReservoir(): Promise<number | null> {
		return this.bottleneck.currentReservoir();
	}

	async stop(): Promise<void> {
		await this.bottleneck.stop({ dropWaitingJobs: false });
	}

	private async waitWhilePaused(): Promise<void> {
		while (Date.now() < this.pausedUntil) {
			await new Promise<void>((resolve) => setTimeout(resolve, this.pausedUntil - Date.now()));
		}
	}
}

/**
 * The module-level registry: one limiter per Pumble user for the whole n8n process, keyed by an
 * identity that is never the API key itself (a hash of it). Limiters idle for a while are dropped.
 */
export class RateLimiterRegistry {
	private readonly limiters = new Map<string, UserRateLimiter>();
	private sweeper?: NodeJS.Timeout;

	constructor(private readonly idleMs = 10 * 60_000) {}

	get(identity: string, settings: Partial<RateLimitSettings> = {}): UserRateLimiter {
		const wanted = { ...DEFAULT_RATE_LIMIT, ...settings };
		let limiter = this.limiters.get(identity);
		if (!limiter) {
			limiter = new UserRateLimiter(`pumble-${identity}`, wanted);
			this.limiters.set(identity, limiter);
			this.startSweeper();
		} else {
			limiter.lowerLimit(wanted.limit);
		}
		return limiter;
	}

	get size(): number {
		return this.limiters.size;
	}

	/** Drops limiters that have been idle longer than `idleMs` and hold no budget units. */
	sweep(now = Date.now()): void {
		for (const [identity, limiter] of this.limiters) {
			if (!limiter.busy && now - limiter.lastUsed > this.idleMs) {
				this.limiters.delete(identity);
				void limiter.stop();
			}
		}
		if (this.limiters.size === 0 && this.sweeper) {
			clearInterval(this.sweeper);
			this.sweeper = undefined;
		}
	}

	private startSweeper(): void {
		if (this.sweeper) return;
		this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleMs, 60_000));
		this.sweeper.unref?.();
	}
}

/** Shared by every execution and every node of this package in the process. */
export const rateLimiters = new RateLimiterRegistry();
