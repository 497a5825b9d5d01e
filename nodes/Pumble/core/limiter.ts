/**
 * The rate limiter: one budget per Pumble user, shared by every execution in the process — and, with
 * Redis, by every n8n process — plus per-operation limits, declared or learned.
 *
 * The rolling window. Pumble allows 1000 requests per minute per user. A request takes one budget unit
 * when it leaves and gives it back one window after its answer arrived. Pumble saw the request no later
 * than that answer, so no `windowMs` interval can ever hold more than `limit` requests — a true rolling
 * window, not fixed minutes (which would allow 2×limit across a boundary) — while a burst is served at
 * once as long as budget remains. A unit is a Bottleneck job that stays "running" until it is given back:
 * `maxConcurrent` is the budget. With Redis (Bottleneck's clustering) the running count is kept in Redis,
 * so the same rule holds across processes; each unit is registered with an expiration, so units held by
 * a process that died come back after `requestTimeout + window + margin` instead of never.
 *
 * Operation classes (endpoint.rateClass). Pumble documents about 80 new messages per minute and similar
 * limits for OAuth apps, which may or may not bind API keys. When a class gets a 429 while the user's
 * budget has room, the class gets its own rolling window, sized to what Pumble actually accepted in the
 * last window, and probes upward slowly (see OperationClass). Limits declared in the credential are used
 * from the start.
 */
import Bottleneck from 'bottleneck';
import { createHash } from 'crypto';
import { LimiterLogger, LinkState, RedisLink, RedisLinkOptions, RedisSettings, redisSettingsFromEnv } from './limiterRedis';

export { describeRedis, redisSettingsFromEnv } from './limiterRedis';
export type { LimiterLogger, LinkState, RedisSettings } from './limiterRedis';

export interface RateLimitSettings {
	/** Requests allowed per window for this user. */
	limit: number;
	/** Window length; Pumble's is one minute. */
	windowMs: number;
	/** Requests of this user in flight at once, per process. */
	maxConcurrent: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = { limit: 1000, windowMs: 60_000, maxConcurrent: 200 };

/** Added to each unit's return so timer and clock granularity can never let a window hold limit + 1. */
const SAFETY_MS = 25;
/** Priority of ordinary requests; carried-over units (priority 0) go first. Bottleneck: 0 is highest. */
const NORMAL_PRIORITY = 5;
/** A 429 counts as the operation's own limit when the user's budget is used below this share. */
const ROOM_SHARE = 0.9;
/**
 * A 429 teaches an operation limit only when Pumble had accepted at least this many of the class in the
 * window: a real per-operation limit (60–80 per minute documented) shows that much, while an isolated or
 * injected 429 on a class barely used would otherwise teach "1 per minute" and cripple it for a while.
 */
const MIN_EVIDENCE = 5;
/** Probing for a higher operation limit happens at most every this many windows (after failures). */
const MAX_PROBE_INTERVAL_WINDOWS = 16;

const sleep = (ms: number) =>
	new Promise<void>((resolve) => {
		const timer = setTimeout(resolve, ms);
		timer.unref?.();
	});

/**
 * Bottleneck's local datastore makes each of its steps asynchronous with `setTimeout(0)` — at least 1 ms,
 * and the steps of all jobs run one after another — which caps a local limiter near 400 requests/s:
 * a burst of 1000 would take 2.5 s. `setImmediate` keeps every step asynchronous, in the same order,
 * without the clamp (≈ 0.1 ms per job). Only the datastore's zero-delay yield changes; timed waits stay.
 */
function fastLocalDatastore(bottleneck: Bottleneck): void {
	const store = (bottleneck as unknown as { _store?: { yieldLoop?: (t?: number) => Promise<void> } })._store;
	if (!store || typeof store.yieldLoop !== 'function') return; // another Bottleneck version: keep its own
	store.yieldLoop = (t = 0) => new Promise<void>((resolve) => (t > 0 ? setTimeout(resolve, t) : setImmediate(resolve)));
}

/**
 * Bottleneck announces every step of every job as an event (received, queued, scheduled, executing,
 * done, plus a formatted "debug" event for each), through async functions, even when nobody listens —
 * about a third of its cost per request. Skip an event only when it has no listener and "debug" has
 * none either: exactly what Bottleneck would have done, without the work.
 */
function quietEvents(bottleneck: Bottleneck): void {
	type Trigger = (name: string, ...args: unknown[]) => Promise<unknown>;
	const events = (bottleneck as unknown as { Events?: { trigger?: Trigger; _events?: Record<string, unknown> } }).Events;
	if (!events || typeof events.trigger !== 'function' || typeof events._events !== 'object' || events._events === null) return;
	const trigger = events.trigger.bind(events);
	events.trigger = (name, ...args) => {
		const listeners = events._events ?? {};
		return listeners[name] == null && listeners.debug == null ? Promise.resolve(undefined) : trigger(name, ...args);
	};
}

/** The request never left: the window it waited in was abandoned (Redis went away). Safe to send elsewhere. */
export class NotDispatchedError extends Error {
	constructor(reason: string) {
		super(`Request not dispatched: ${reason}`);
		this.name = 'NotDispatchedError';
	}
}

export interface Dispatched<T> {
	value: T;
	/** When the request left (after every wait). */
	dispatchedAt: number;
}

/** One measurement of the limiter's own cost, for the benchmark: schedule → dispatch, and whether budget was free. */
export interface DispatchSample {
	waitedMs: number;
	/** Nothing was queued before it and a unit was free: any wait was the limiter's own overhead. */
	free: boolean;
	clustered: boolean;
}

interface Ticket {
	state: 'queued' | 'started' | 'abandoned';
	reject(error: unknown): void;
}

interface WindowOptions {
	id: string;
	limit: number;
	windowMs: number;
	/** Clustered through this Redis connection when given; local otherwise. */
	link?: RedisLink;
	/** Clustered only: a unit still held after this long is freed by Redis (its process died). */
	expirationMs?: number;
	onError?(error: unknown): void;
}

/**
 * A rolling window of `limit` units over `windowMs`, on one Bottleneck (local or clustered). `run` takes a
 * unit when the task starts and holds it `windowMs` after the task ended (or as `holdMs` says).
 */
export class RollingWindow {
	readonly bottleneck: Bottleneck;
	readonly clustered: boolean;
	limit: number;
	private readonly pending = new Set<Ticket>();
	private nudger?: NodeJS.Timeout;
	private oldestWaitSince?: number;
	/** Units this process holds: release time, or Infinity while the request is in flight. */
	private readonly held = new Map<number, number>();
	private seq = 0;

	constructor(private readonly options: WindowOptions) {
		this.limit = options.limit;
		this.clustered = options.link !== undefined;
		this.bottleneck = options.link
			? new Bottleneck({
					id: options.id,
					datastore: 'ioredis',
					connection: options.link.connection,
					maxConcurrent: options.limit,
					clearDatastore: false,
					// Redis forgets an idle budget (no leak), never one with units still held or waited for.
					timeout: (options.expirationMs ?? options.windowMs) + 2 * options.windowMs + 10_000,
				})
			: new Bottleneck({ id: options.id, maxConcurrent: options.limit });
		if (this.clustered) {
			// While requests wait, make sure they hear of freed capacity: Bottleneck announces it when a unit
			// is given back, but not when units of a dead process expire, nor after the budget's keys expired.
			const every = Math.min(5_000, Math.max(100, options.windowMs / 2));
			this.nudger = setInterval(() => this.nudge(every), every);
			this.nudger.unref?.();
		}
		if (!this.clustered) fastLocalDatastore(this.bottleneck);
		quietEvents(this.bottleneck);
		this.bottleneck.on('error', (error) => options.onError?.(error));
	}

	get windowMs(): number {
		return this.options.windowMs;
	}

	/**
	 * Requests have waited a while: run a harmless settings update (minTime stays 0). Its script frees
	 * expired units, initialises the keys again if they expired, and tells every process the capacity.
	 */
	private nudge(every: number): void {
		if (this.pending.size === 0) {
			this.oldestWaitSince = undefined;
			return;
		}
		this.oldestWaitSince ??= Date.now();
		if (Date.now() - this.oldestWaitSince < every) return;
		void Promise.resolve(this.bottleneck.updateSettings({ minTime: 0 })).catch((error: unknown) => this.options.onError?.(error));
	}

	get heldCount(): number {
		return this.held.size;
	}

	get queuedCount(): number {
		return this.pending.size;
	}

	get busy(): boolean {
		return this.held.size > 0 || this.pending.size > 0;
	}

	/** Whether a request arriving now would find a unit free and nobody queued (this process's view). */
	get free(): boolean {
		return this.pending.size === 0 && this.held.size < this.limit;
	}

	/** Runs `task` when a unit is free; the unit is given back `holdMs` (default: one window + safety) after it ends. */
	run<T>(task: () => Promise<T>, options: { priority?: number; holdMs?: (value: T) => number } = {}): Promise<Dispatched<T>> {
		return new Promise<Dispatched<T>>((resolve, reject) => {
			const ticket: Ticket = { state: 'queued', reject };
			this.pending.add(ticket);
			const job = async () => {
				if (ticket.state !== 'queued') return; // abandoned: the unit goes straight back
				ticket.state = 'started';
				this.pending.delete(ticket);
				const unit = ++this.seq;
				this.held.set(unit, Infinity);
				const dispatchedAt = Date.now();
				let hold = this.options.windowMs + SAFETY_MS;
				try {
					const value = await task();
					if (options.holdMs) hold = options.holdMs(value);
					resolve({ value, dispatchedAt });
				} catch (error) {
					reject(error);
				}
				if (hold > 0) {
					this.held.set(unit, Date.now() + hold);
					await sleep(hold);
				}
				this.held.delete(unit);
			};
			this.bottleneck
				.schedule({ priority: options.priority ?? NORMAL_PRIORITY, expiration: this.options.expirationMs }, job)
				.catch((error: unknown) => {
					// Before the task started (e.g. Redis refused the job): nothing was sent.
					// After: the job expired while the request was still out; the caller gets the request's own outcome.
					if (ticket.state !== 'queued') return;
					ticket.state = 'abandoned';
					this.pending.delete(ticket);
					reject(new NotDispatchedError(error instanceof Error ? error.message : String(error)));
				});
		});
	}

	/**
	 * Counts a unit as used until `releaseAt` (a request sent elsewhere, that this window must know of).
	 * Resolves once the unit is taken (ahead of waiting requests), or at once when there is nothing to hold.
	 */
	charge(releaseAt: number): Promise<void> {
		if (releaseAt <= Date.now()) return Promise.resolve();
		return this.run(async () => undefined, { priority: 0, holdMs: () => Math.max(0, releaseAt - Date.now()) }).then(
			() => undefined,
			() => undefined,
		);
	}

	/** When each held unit comes back; a request still in flight counts as a full window from now. */
	heldUntil(): number[] {
		const now = Date.now();
		return [...this.held.values()].map((at) => (at === Infinity ? now + this.options.windowMs + SAFETY_MS : at)).filter((at) => at > now);
	}

	/** Every request still waiting fails with NotDispatchedError (the caller sends it through another window). */
	abandonQueued(reason: string): void {
		for (const ticket of [...this.pending]) {
			ticket.state = 'abandoned';
			this.pending.delete(ticket);
			ticket.reject(new NotDispatchedError(reason));
		}
	}

	setLimit(limit: number): void {
		if (limit === this.limit) return;
		this.limit = limit;
		void Promise.resolve(this.bottleneck.updateSettings({ maxConcurrent: limit })).catch((error: unknown) => this.options.onError?.(error));
	}

	/** Units in use across every process sharing this window (Redis), or this process's own. */
	async usedUnits(): Promise<number> {
		if (!this.clustered) return this.held.size;
		try {
			return await this.bottleneck.running();
		} catch {
			return this.held.size;
		}
	}

	/**
	 * Stops taking requests. Units still held simply run out (their timers do not keep the process alive).
	 * `linkClosing`: the shared Redis connection is about to close, which detaches this limiter anyway.
	 */
	async stop(linkClosing = false): Promise<void> {
		clearInterval(this.nudger);
		this.abandonQueued('the limiter was stopped');
		try {
			if (this.clustered) {
				const store = (this.bottleneck as unknown as { _store?: { heartbeat?: NodeJS.Timeout } })._store;
				// Bottleneck unsubscribes without handling a failure: only ask it to while Redis answers.
				if (!linkClosing && this.options.link?.state === 'up') await this.bottleneck.disconnect(false);
				else clearInterval(store?.heartbeat);
			} else {
				// Bottleneck's stop() resolves when running jobs end — here, when held units come back: not awaited.
				void this.bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined);
			}
		} catch {
			// already stopped or disconnected
		}
	}
}

/**
 * One operation class of one user (e.g. "sendMessage": messages and DMs). Remembers when Pumble accepted
 * its requests in the last window, and, once limited, runs them through its own (local) rolling window.
 *
 * Learning: a 429 while the user's budget has room means the class has a limit of its own. Pumble had
 * accepted `accepted` requests of the class in the last window when it refused, so that is the rate it
 * allowed: the class window is sized to it, and the units of those accepted requests are charged to it
 * (each until its answer + one window), so the very next request waits exactly as long as Pumble would
 * make it. Recovery: after `probeEvery` windows without a 429 in which the class used its whole limit,
 * the limit rises by `probeStep` (1 at first, doubling after each probe that went through). A probe
 * answered by a 429 falls back to what was accepted and doubles `probeEvery` (up to 16 windows), so a
 * steady hidden limit costs one 429 per probe, ever more rarely; a limit that went away is left behind
 * in a few windows (steps 1, 2, 4, …) and the class becomes unlimited again above the user budget.
 */
export class OperationClass {
	limit?: number;
	window?: RollingWindow;
	pausedUntil = 0;
	/** 429s answered to this class, for observability. */
	refusals = 0;
	lastUsed = Date.now();
	/** Dispatch time of the latest request of this class Pumble accepted. */
	lastAcceptedDispatch = 0;
	private accepted: number[] = [];
	private changedAt = 0;
	private probeFrom?: number;
	private probeStep = 1;
	private probeEvery = 1;
	private saturatedAt = 0;

	constructor(
		readonly name: string,
		private readonly owner: { id: string; windowMs: number; userLimit(): number },
	) {}

	/** The limit a credential declares for this class: used from the start, and never probed above. */
	declared?: number;

	declare(limit: number): void {
		this.declared = this.declared === undefined ? limit : Math.min(this.declared, limit);
		if (this.limit === undefined || this.limit > this.declared) this.applyLimit(this.declared, Date.now());
	}

	/** A request of this class got an answer that was not a 429. */
	recordAccepted(dispatchedAt: number, answeredAt = Date.now()): void {
		this.accepted.push(answeredAt);
		this.lastAcceptedDispatch = Math.max(this.lastAcceptedDispatch, dispatchedAt);
		this.prune(answeredAt);
	}

	/** Accepted in the window before `now`. */
	acceptedInWindow(now = Date.now()): number {
		this.prune(now);
		return this.accepted.length;
	}

	/**
	 * A 429 attributed to this class: size the class to what Pumble accepted. Returns the new limit, or
	 * undefined when too few were accepted to tell a limit from a passing refusal (the class then only
	 * waits Retry-After).
	 */
	learnFromRefusal(now = Date.now()): number | undefined {
		const accepted = this.acceptedInWindow(now);
		let next: number;
		if (this.limit === undefined) {
			if (accepted < MIN_EVIDENCE) return undefined;
			next = accepted;
		} else if (this.probeFrom !== undefined && now - this.changedAt < 2 * this.owner.windowMs) {
			// The last probe went one step too far.
			next = Math.max(1, Math.min(this.probeFrom, accepted || this.probeFrom));
			this.probeEvery = Math.min(this.probeEvery * 2, MAX_PROBE_INTERVAL_WINDOWS);
			this.probeStep = 1;
		} else {
			next = Math.max(1, Math.min(this.limit - 1, accepted || this.limit - 1));
		}
		this.probeFrom = undefined;
		this.applyLimit(next, now);
		return next;
	}

	/** Before a request: mark saturation, and probe upward when it is time. */
	beforeRequest(now = Date.now()): void {
		this.lastUsed = now;
		const window = this.window;
		if (!window || this.limit === undefined) return;
		if (window.heldCount >= this.limit) this.saturatedAt = now;
		if (this.declared !== undefined && this.limit >= this.declared) return; // never above what the user declared
		if (now - this.saturatedAt > this.owner.windowMs) return; // no demand, nothing to learn
		if (now - this.changedAt < this.probeEvery * this.owner.windowMs) return;
		if (this.probeFrom !== undefined) {
			// The previous probe held for a whole window: it went through.
			this.probeStep = Math.min(this.probeStep * 2, 1024);
			this.probeEvery = Math.max(1, Math.floor(this.probeEvery / 2));
		}
		const next = this.limit + this.probeStep;
		if (next >= this.owner.userLimit()) {
			this.unlimit();
			return;
		}
		this.probeFrom = this.limit;
		this.applyLimit(next, now);
	}

	get busy(): boolean {
		return this.window?.busy ?? false;
	}

	async stop(): Promise<void> {
		await this.window?.stop();
	}

	private applyLimit(limit: number, now: number): void {
		this.limit = limit;
		this.changedAt = now;
		if (this.window) {
			this.window.setLimit(limit);
			return;
		}
		this.window = new RollingWindow({ id: `${this.owner.id}:${this.name}`, limit, windowMs: this.owner.windowMs });
		// The requests Pumble just accepted hold their units as if they had gone through this window.
		for (const answeredAt of this.accepted) this.window.charge(answeredAt + this.owner.windowMs + SAFETY_MS);
	}

	private unlimit(): void {
		const window = this.window;
		this.window = undefined;
		this.limit = undefined;
		this.probeFrom = undefined;
		this.probeStep = 1;
		this.probeEvery = 1;
		if (window) void window.stop();
	}

	private prune(now: number): void {
		const from = now - this.owner.windowMs;
		let drop = 0;
		while (drop < this.accepted.length && this.accepted[drop] <= from) drop++;
		if (drop > 0) this.accepted = this.accepted.slice(drop);
	}
}

/** A counting semaphore: the user's requests in flight at once in this process. */
class Semaphore {
	private active = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly size: number) {}

	acquire(): Promise<void> | undefined {
		if (this.active < this.size) {
			this.active++;
			return undefined;
		}
		return new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.active--;
	}
}

export interface UserLimiterOptions {
	/** Share the budget through Redis. */
	link?: RedisLink;
	/** Redis key part for this user; defaults to the limiter id. Never a key, never in clear. */
	clusterId?: string;
	/** The transport timeout: bounds how long a unit can be held by a request still in flight. */
	requestTimeoutMs?: number;
	/** Clustered units of a process that died come back this long after they could last have been needed. */
	expirationMarginMs?: number;
	/** Known per-operation limits, per window: rateClass → limit. */
	operationLimits?: Record<string, number>;
	log?: LimiterLogger;
}

export interface ScheduleOptions<T> {
	/** Whether Pumble refused the request (429): it then does not count as accepted for its class. */
	refused?(value: T): boolean;
	/** A pause ending at or before this was already waited out by the caller. */
	pausedUntilSeen?: number;
}

export type RateLimitScope = 'operation' | 'user';

export class UserRateLimiter {
	private readonly local: RollingWindow;
	private cluster?: RollingWindow;
	private readonly operations = new Map<string, OperationClass>();
	private readonly inflight: Semaphore;
	private pausedUntil = 0;
	private active = 0;
	private unsubscribe?: () => void;
	private stopped = false;
	lastUsed = Date.now();
	/** Benchmark hook: called once per dispatched request. */
	probe?: (sample: DispatchSample) => void;

	constructor(
		readonly id: string,
		private settings: RateLimitSettings,
		private readonly options: UserLimiterOptions = {},
	) {
		this.local = new RollingWindow({ id, limit: settings.limit, windowMs: settings.windowMs });
		this.inflight = new Semaphore(settings.maxConcurrent);
		for (const [name, limit] of Object.entries(options.operationLimits ?? {})) this.declareOperationLimit(name, limit);
		if (options.link) {
			this.unsubscribe = options.link.onChange((state) => this.onLinkChange(state));
			if (options.link.state === 'up') this.ensureCluster();
		}
	}

	get limit(): number {
		return this.settings.limit;
	}

	get windowMs(): number {
		return this.settings.windowMs;
	}

	/** Whether requests currently go through Redis. */
	get mode(): 'cluster' | 'local' {
		return this.cluster && this.options.link?.state === 'up' ? 'cluster' : 'local';
	}

	/**
	 * Runs `task` (one request) when the user's budget, its operation class and any pause allow.
	 * Resolves with the task's value and when it was dispatched.
	 */
	async schedule<T>(rateClass: string, task: () => Promise<T>, options: ScheduleOptions<T> = {}): Promise<Dispatched<T>> {
		const enqueuedAt = Date.now();
		this.lastUsed = enqueuedAt;
		this.active++;
		try {
			const operation = this.operation(rateClass);
			const probe = this.probe;
			let measured: (clustered: boolean) => Promise<T> = task;
			if (probe) {
				const userWindow = this.mode === 'cluster' ? this.cluster : this.local;
				const free =
					Math.max(this.pausedUntil, operation.pausedUntil) <= enqueuedAt &&
					(operation.window?.free ?? true) &&
					(userWindow?.free ?? true);
				measured = (clustered) => {
					probe({ waitedMs: Date.now() - enqueuedAt, free, clustered });
					return task();
				};
			}
			await this.waitWhilePaused(operation, options.pausedUntilSeen);
			operation.beforeRequest();
			const refused = (value: T) => options.refused?.(value) ?? false;
			const throughUser = () => this.throughUserWindow(measured);
			let dispatched: Dispatched<T>;
			const classWindow = operation.window;
			if (classWindow) {
				// A refused request did not count at Pumble: its class unit comes back at once.
				const outer = await classWindow.run(throughUser, {
					holdMs: (inner) => (refused(inner.value) ? 0 : this.settings.windowMs + SAFETY_MS),
				});
				dispatched = outer.value;
			} else {
				dispatched = await throughUser();
			}
			if (!refused(dispatched.value)) operation.recordAccepted(dispatched.dispatchedAt);
			return dispatched;
		} finally {
			this.active--;
			this.lastUsed = Date.now();
		}
	}

	/**
	 * Pumble answered 429 to a request of `rateClass` dispatched at `dispatchedAt`, asking to wait `waitMs`.
	 * With room in the user's budget (or another class accepted since), the class has a limit of its own:
	 * it learns it and waits alone. Otherwise the whole user waits (in every process, with Redis).
	 */
	async onRateLimited(rateClass: string, dispatchedAt: number, waitMs: number): Promise<{ scope: RateLimitScope; until: number }> {
		const operation = this.operation(rateClass);
		operation.refusals++;
		const until = Date.now() + waitMs;
		const used = await this.usedUnits();
		const othersGotThrough = [...this.operations.values()].some(
			(other) => other !== operation && other.lastAcceptedDispatch >= dispatchedAt,
		);
		if (used < this.settings.limit * ROOM_SHARE || othersGotThrough) {
			const limit = operation.learnFromRefusal();
			operation.pausedUntil = Math.max(operation.pausedUntil, until);
			if (limit !== undefined) {
				this.options.log?.debug?.(`Pumble rate limit: ${rateClass} is limited by Pumble to about ${limit} per window; slowing it down`);
			}
			return { scope: 'operation', until };
		}
		this.pause(waitMs);
		return { scope: 'user', until };
	}

	/** Holds every request of this user that has not been sent yet (in every process, with Redis). */
	pause(ms: number, broadcast = true): void {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
		if (broadcast && this.mode === 'cluster') {
			void Promise.resolve(this.cluster?.bottleneck.publish(`pause:${Math.round(ms)}`)).catch(() => undefined);
		}
	}

	/** A stricter limit (another credential of the same user asked for fewer) takes effect at once. */
	lowerLimit(limit: number): void {
		if (limit >= this.settings.limit) return;
		this.settings = { ...this.settings, limit };
		this.local.setLimit(limit);
		this.cluster?.setLimit(limit);
	}

	/** Limits declared in a credential for operation classes (the lower one wins). */
	declareOperationLimits(limits: Record<string, number> | undefined): void {
		for (const [name, limit] of Object.entries(limits ?? {})) this.declareOperationLimit(name, limit);
	}

	/** A request sent outside this limiter (e.g. the /myInfo that found this user) that Pumble counted. */
	charge(releaseAt = Date.now() + this.settings.windowMs + SAFETY_MS): Promise<void> {
		return (this.mode === 'cluster' && this.cluster ? this.cluster : this.local).charge(releaseAt);
	}

	/** The class's current limit per window: declared, learned, or undefined (only the user budget). */
	operationLimit(rateClass: string): number | undefined {
		return this.operations.get(rateClass)?.limit;
	}

	operationState(rateClass: string): OperationClass | undefined {
		return this.operations.get(rateClass);
	}

	/** Units in use: across processes with Redis, this process's otherwise. */
	async usedUnits(): Promise<number> {
		if (this.mode === 'cluster' && this.cluster) return this.cluster.usedUnits();
		return this.local.heldCount;
	}

	/** Requests queued or running, or budget units not yet returned. Idle means none of these. */
	get busy(): boolean {
		return this.active > 0 || this.local.busy || (this.cluster?.busy ?? false) || [...this.operations.values()].some((o) => o.busy);
	}

	/** Drops operation classes idle for `idleMs` (their learned limits are relearned if needed). */
	sweepOperations(now: number, idleMs: number): void {
		for (const [name, operation] of this.operations) {
			if (operation.declared === undefined && !operation.busy && now - operation.lastUsed > idleMs) {
				this.operations.delete(name);
				void operation.stop();
			}
		}
	}

	get operationCount(): number {
		return this.operations.size;
	}

	async currentReservoir(): Promise<number> {
		return this.settings.limit - (await this.usedUnits());
	}

	async stop(linkClosing = false): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		this.unsubscribe?.();
		await Promise.all([this.local.stop(), this.cluster?.stop(linkClosing), ...[...this.operations.values()].map((o) => o.stop())]);
	}

	private declareOperationLimit(name: string, limit: number): void {
		if (!Number.isFinite(limit) || limit <= 0) return;
		this.operation(name).declare(Math.max(1, Math.floor(limit)));
	}

	private operation(rateClass: string): OperationClass {
		let operation = this.operations.get(rateClass);
		if (!operation) {
			operation = new OperationClass(rateClass, this.operationOwner());
			this.operations.set(rateClass, operation);
		}
		return operation;
	}

	private operationOwner() {
		return { id: this.id, windowMs: this.settings.windowMs, userLimit: () => this.settings.limit };
	}

	private async throughUserWindow<T>(task: (clustered: boolean) => Promise<T>): Promise<Dispatched<T>> {
		const send = (clustered: boolean) => async () => {
			const wait = this.inflight.acquire();
			if (wait) await wait;
			try {
				return await task(clustered);
			} finally {
				this.inflight.release();
			}
		};
		const cluster = await this.clusterWindow();
		if (cluster) {
			try {
				return await cluster.run(send(true));
			} catch (error) {
				if (!(error instanceof NotDispatchedError)) return Promise.reject(error);
				// Redis failed before the request left: it goes through the local window instead.
				this.warnRerouted(error.message);
			}
		}
		return this.local.run(send(false));
	}

	private lastRerouteWarning = 0;

	/** Redis answers, but not well enough for a request: say so (at most every 10 minutes per user). */
	private warnRerouted(reason: string): void {
		if (this.options.link?.state !== 'up' || Date.now() - this.lastRerouteWarning < 10 * 60_000) return;
		this.lastRerouteWarning = Date.now();
		this.options.log?.warn(
			`Pumble rate limit: a request could not be scheduled through Redis (${reason}); it was limited by this n8n process alone. ` +
				'If this repeats, check the Redis server.',
		);
	}

	private async clusterWindow(): Promise<RollingWindow | undefined> {
		const link = this.options.link;
		if (!link) return undefined;
		if (link.state === 'connecting') await link.whenSettled();
		if (link.state !== 'up') return undefined;
		return this.ensureCluster();
	}

	private ensureCluster(): RollingWindow | undefined {
		const link = this.options.link;
		if (!link || this.stopped) return undefined;
		if (!this.cluster) {
			const expirationMs =
				(this.options.requestTimeoutMs ?? 30_000) + this.settings.windowMs + (this.options.expirationMarginMs ?? 10_000);
			this.cluster = new RollingWindow({
				id: `pumble-rl-${this.options.clusterId ?? this.id}`,
				limit: this.settings.limit,
				windowMs: this.settings.windowMs,
				link,
				expirationMs,
				onError: (error) => {
					this.options.log?.debug?.(`Pumble rate limit: Redis error: ${error instanceof Error ? error.message : String(error)}`);
					// Whatever still waits on Redis goes through the local window.
					this.cluster?.abandonQueued('Redis error');
				},
			});
			this.cluster.bottleneck.on('message', (message: string) => {
				const match = /^pause:(\d+)$/.exec(message);
				if (match) this.pause(Number(match[1]), false);
			});
			if (this.settings.limit < DEFAULT_RATE_LIMIT.limit) {
				// A lowered limit applies to everyone sharing this user (stricter wins).
				void Promise.resolve(this.cluster.bottleneck.updateSettings({ maxConcurrent: this.settings.limit })).catch(() => undefined);
			}
			// Units this process used locally (before Redis was up) count in the shared window too.
			for (const releaseAt of this.local.heldUntil()) this.cluster.charge(releaseAt);
		}
		return this.cluster;
	}

	private onLinkChange(state: LinkState): void {
		if (state === 'down' && this.cluster) {
			// The local window takes over; it knows what this process sent through Redis lately.
			for (const releaseAt of this.cluster.heldUntil()) this.local.charge(releaseAt);
			this.cluster.abandonQueued('Redis is unreachable');
		} else if (state === 'up') {
			if (this.cluster) {
				for (const releaseAt of this.local.heldUntil()) this.cluster.charge(releaseAt);
			} else {
				this.ensureCluster();
			}
		}
	}

	private async waitWhilePaused(operation: OperationClass, seen = -Infinity): Promise<void> {
		for (;;) {
			const until = Math.max(this.pausedUntil, operation.pausedUntil);
			const now = Date.now();
			if (until <= now || until <= seen) return;
			await sleep(until - now);
		}
	}
}

/** Per-user settings a credential asks for. */
export interface LimiterRequest {
	rateLimit?: Partial<RateLimitSettings>;
	operationLimits?: Record<string, number>;
	requestTimeoutMs?: number;
}

export interface RegistryOptions {
	/** Limiters idle this long are dropped. Default 10 minutes. */
	idleMs?: number;
	/** Redis to share budgets through; default from the environment (see limiterRedis.ts). null: none. */
	redis?: RedisSettings | null;
	redisLink?: RedisLinkOptions;
	expirationMarginMs?: number;
	log?: LimiterLogger;
}

const defaultLog: LimiterLogger = {
	warn: (message) => console.warn(message),
};

/** A stable name for a Pumble user in Redis keys: not secret, but no need to spell the ID out. */
export function clusterIdOf(userId: string): string {
	return createHash('sha256').update(`pumble-user:${userId}`).digest('hex').slice(0, 24);
}

/**
 * The module-level registry: one limiter per Pumble user for the whole n8n process (and with Redis, one
 * budget for all processes). A limiter is found by the Pumble user behind a key: `resolveUser` learns it
 * once per key (from /myInfo) and the registry remembers keyHash → userId, never the key itself.
 * Limiters, classes and remembered users idle for a while are dropped.
 */
export class RateLimiterRegistry {
	private readonly limiters = new Map<string, UserRateLimiter>();
	private readonly users = new Map<string, { userId: string; lastUsed: number }>();
	private readonly learning = new Map<string, Promise<string | undefined>>();
	private sweeper?: NodeJS.Timeout;
	private link?: RedisLink | null;
	private log: LimiterLogger;
	private readonly idleMs: number;

	constructor(private readonly options: RegistryOptions | number = {}) {
		const resolved = typeof options === 'number' ? { idleMs: options } : options;
		this.idleMs = resolved.idleMs ?? 10 * 60_000;
		this.log = resolved.log ?? defaultLog;
	}

	private get settings(): RegistryOptions {
		return typeof this.options === 'number' ? { idleMs: this.options } : this.options;
	}

	/** Where warnings go (n8n's logger once a node has run). */
	setLogger(log: LimiterLogger): void {
		this.log = log;
	}

	/** The limiter of `identity` (a user key such as `user:<id>`, or any opaque name in tests). */
	get(identity: string, request: Partial<RateLimitSettings> | LimiterRequest = {}): UserRateLimiter {
		const wanted = normalizeRequest(request);
		const settings = { ...DEFAULT_RATE_LIMIT, ...wanted.rateLimit };
		let limiter = this.limiters.get(identity);
		if (!limiter) {
			const link = this.redisLink();
			limiter = new UserRateLimiter(`pumble-${identity}`, settings, {
				link,
				clusterId: clusterIdOf(identity),
				requestTimeoutMs: wanted.requestTimeoutMs,
				expirationMarginMs: this.settings.expirationMarginMs,
				operationLimits: wanted.operationLimits,
				log: this.log,
			});
			this.limiters.set(identity, limiter);
			this.startSweeper();
		} else {
			limiter.lowerLimit(settings.limit);
			limiter.declareOperationLimits(wanted.operationLimits);
		}
		return limiter;
	}

	/**
	 * The limiter of the Pumble user behind a key. `resolveUser` (a /myInfo through `bootstrap`) runs once
	 * per key; while it cannot (bad key, Pumble down), the key is its own budget for now.
	 */
	async forKey(
		keyHash: string,
		request: LimiterRequest,
		resolveUser: (bootstrap: UserRateLimiter) => Promise<string>,
	): Promise<UserRateLimiter> {
		const known = this.users.get(keyHash);
		if (known) {
			known.lastUsed = Date.now();
			return this.get(`user:${known.userId}`, request);
		}
		let learning = this.learning.get(keyHash);
		if (!learning) {
			const bootstrap = this.get(`key:${keyHash}`, request);
			learning = resolveUser(bootstrap)
				.then(async (userId) => {
					this.users.set(keyHash, { userId, lastUsed: Date.now() });
					// The /myInfo itself counted against this user at Pumble: charged before the key's requests go.
					await this.get(`user:${userId}`, request).charge();
					return userId;
				})
				.catch(() => undefined)
				.finally(() => this.learning.delete(keyHash));
			this.learning.set(keyHash, learning);
		}
		const userId = await learning;
		return this.get(userId ? `user:${userId}` : `key:${keyHash}`, request);
	}

	/** The user a key belongs to, if learned. */
	userOf(keyHash: string): string | undefined {
		return this.users.get(keyHash)?.userId;
	}

	get size(): number {
		return this.limiters.size;
	}

	get rememberedKeys(): number {
		return this.users.size;
	}

	/** The Redis connection state, or undefined without Redis. */
	get redisState(): LinkState | undefined {
		return this.redisLink()?.state;
	}

	/** Drops limiters idle longer than `idleMs` holding no budget units, and old key → user entries. */
	sweep(now = Date.now()): void {
		for (const [identity, limiter] of this.limiters) {
			if (!limiter.busy && now - limiter.lastUsed > this.idleMs) {
				this.limiters.delete(identity);
				void limiter.stop();
			} else {
				limiter.sweepOperations(now, this.idleMs);
			}
		}
		for (const [keyHash, entry] of this.users) {
			if (now - entry.lastUsed > this.idleMs * 6) this.users.delete(keyHash);
		}
		if (this.limiters.size === 0) {
			if (this.sweeper) {
				clearInterval(this.sweeper);
				this.sweeper = undefined;
			}
			// Nothing left to share: let the Redis connection go (it comes back on demand).
			if (this.link) {
				void this.link.close();
				this.link = undefined;
			}
		}
	}

	/** Stops every limiter and the Redis connection (tests, scripts). */
	async close(): Promise<void> {
		const limiters = [...this.limiters.values()];
		this.limiters.clear();
		this.users.clear();
		if (this.sweeper) clearInterval(this.sweeper);
		this.sweeper = undefined;
		await Promise.all(limiters.map((limiter) => limiter.stop(true)));
		if (this.link) await this.link.close();
		this.link = undefined;
	}

	private redisLink(): RedisLink | undefined {
		if (this.link === undefined) {
			const settings = this.settings.redis === undefined ? redisSettingsFromEnv() : this.settings.redis;
			this.link = settings ? new RedisLink(settings, { warn: (m) => this.log.warn(m), info: (m) => this.log.info?.(m), debug: (m) => this.log.debug?.(m) }, this.settings.redisLink) : null;
		}
		return this.link ?? undefined;
	}

	private startSweeper(): void {
		if (this.sweeper) return;
		this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleMs, 60_000));
		this.sweeper.unref?.();
	}
}

function normalizeRequest(request: Partial<RateLimitSettings> | LimiterRequest): LimiterRequest {
	if ('rateLimit' in request || 'operationLimits' in request || 'requestTimeoutMs' in request) return request as LimiterRequest;
	return { rateLimit: request as Partial<RateLimitSettings> };
}

/** Shared by every execution and every node of this package in the process; owned by core/processState.ts. */
export { rateLimiters } from './processState';
