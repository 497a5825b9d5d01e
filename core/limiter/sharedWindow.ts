/**
 * One user's window in Redis, for that user's limiter in this process: made once Redis answers; given this
 * process's local units when it joins (or rejoins); handing its units back to the local window and its
 * waiting requests to the user limiter when Redis goes away; and the pauses other processes announce
 * through it. Which window a request takes is the user limiter's choice (userLimiter.ts).
 */
import { CancelledError, onAbort } from '../time';
import type { LinkState, RedisLink } from './redisLink';
import { RollingWindow } from './rollingWindow';
import { DEFAULT_RATE_LIMIT, LimiterLogger, RateLimitSettings } from './types';

export interface SharedWindowOwner {
	id: string;
	link: RedisLink;
	/** Redis key part for this user; never a key, never in clear. */
	clusterId?: string;
	/** The transport timeout: bounds how long a unit can be held by a request still in flight. */
	requestTimeoutMs?: number;
	/** Units of a process that died come back this long after they could last have been needed. */
	expirationMarginMs?: number;
	log?: LimiterLogger;
	settings(): RateLimitSettings;
	reserve(): number;
	/** Units this process holds in its local window: when each comes back. */
	localHeldUntil(): number[];
	/** Counts in the local window a unit sent through Redis (Redis went away before it came back). */
	chargeLocal(releaseAt: number): void;
	/** Another process announced a pause (a 429 that held the whole user). */
	heardPause(ms: number): void;
}

export class SharedWindow {
	private window?: RollingWindow;
	private stopped = false;
	private lastRerouteWarning = 0;
	private readonly unsubscribe: () => void;

	constructor(private readonly owner: SharedWindowOwner) {
		this.unsubscribe = owner.link.onChange((state) => this.onLinkChange(state));
		if (owner.link.state === 'up') this.ensure();
	}

	/** The window while Redis is up; undefined otherwise. */
	get current(): RollingWindow | undefined {
		return this.window && this.owner.link.state === 'up' ? this.window : undefined;
	}

	get busy(): boolean {
		return this.window?.busy ?? false;
	}

	/** The window a request should take: after the first connection attempt settled, if Redis is up. */
	async forRequest(signal?: AbortSignal): Promise<RollingWindow | undefined> {
		const link = this.owner.link;
		if (link.state === 'connecting') await untilSettled(link, signal);
		if (link.state !== 'up') return undefined;
		return this.ensure();
	}

	/** Tells every process sharing this user to pause. */
	announcePause(ms: number): void {
		void Promise.resolve(this.current?.bottleneck.publish(`pause:${Math.round(ms)}`)).catch(() => undefined);
	}

	setLimit(limit: number): void {
		this.window?.setLimit(limit);
	}

	setReserve(units: number): void {
		this.window?.setReserve(units);
	}

	/** Redis answers, but not well enough for a request: say so (at most every 10 minutes per user). */
	warnRerouted(reason: string): void {
		if (this.owner.link.state !== 'up' || Date.now() - this.lastRerouteWarning < 10 * 60_000) return;
		this.lastRerouteWarning = Date.now();
		this.owner.log?.warn(
			`Pumble rate limit: a request could not be scheduled through Redis (${reason}); it was limited by this process alone. ` +
				'If this repeats, check the Redis server.',
		);
	}

	async stop(linkClosing = false): Promise<void> {
		this.stopped = true;
		this.unsubscribe();
		await this.window?.stop(linkClosing);
	}

	private ensure(): RollingWindow | undefined {
		if (this.stopped) return undefined;
		if (!this.window) {
			const { settings: current, link } = this.owner;
			const settings = current();
			const expirationMs = (this.owner.requestTimeoutMs ?? 30_000) + settings.windowMs + (this.owner.expirationMarginMs ?? 10_000);
			const window = new RollingWindow({
				id: `pumble-rl-${this.owner.clusterId ?? this.owner.id}`,
				limit: settings.limit,
				windowMs: settings.windowMs,
				link,
				expirationMs,
				reserve: this.owner.reserve(),
				onError: (error) => {
					this.owner.log?.debug?.(`Pumble rate limit: Redis error: ${error instanceof Error ? error.message : String(error)}`);
					// Whatever still waits on Redis goes through the local window.
					this.window?.abandonQueued('Redis error');
				},
			});
			this.window = window;
			window.bottleneck.on('message', (message: string) => {
				const match = /^pause:(\d+)$/.exec(message);
				if (match) this.owner.heardPause(Number(match[1]));
			});
			if (settings.limit < DEFAULT_RATE_LIMIT.limit) {
				// A lowered limit applies to everyone sharing this user. Not "the stricter wins": Bottleneck's
				// settings update overwrites the shared limit, so the process that wrote it last decides (the
				// process that creates the budget's keys writes its limit too). Give every credential of one user
				// the same Requests per Minute. The local window, used while Redis is down, keeps this process's own.
				void Promise.resolve(window.bottleneck.updateSettings({ maxConcurrent: settings.limit })).catch(() => undefined);
			}
			// Units this process used locally (before Redis was up) count in the shared window too.
			for (const releaseAt of this.owner.localHeldUntil()) void window.charge(releaseAt);
		}
		return this.window;
	}

	private onLinkChange(state: LinkState): void {
		if (state === 'down' && this.window) {
			// The local window takes over; it knows what this process sent through Redis lately.
			for (const releaseAt of this.window.heldUntil()) this.owner.chargeLocal(releaseAt);
			this.window.abandonQueued('Redis is unreachable');
		} else if (state === 'up') {
			if (this.window) {
				for (const releaseAt of this.owner.localHeldUntil()) void this.window.charge(releaseAt);
			} else {
				this.ensure();
			}
		}
	}
}

/** Waits for the first Redis connection attempt to settle, or rejects with CancelledError when `signal` aborts. */
function untilSettled(link: RedisLink, signal?: AbortSignal): Promise<unknown> {
	if (!signal) return link.whenSettled();
	return new Promise((resolve, reject) => {
		const unwatch = onAbort(signal, () => reject(new CancelledError()));
		void link.whenSettled().then((state) => {
			unwatch();
			resolve(state);
		});
	});
}
