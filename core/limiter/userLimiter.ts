/**
 * The limiter of one Pumble user: one budget shared by every execution in the process — and, with Redis,
 * by every n8n process — plus the user's operation classes and the pauses 429s ask for.
 *
 * A request waits, in this order, for: a pause (Retry-After of a 429 — of its operation class when its
 * refusals are more than noise, or of the whole user when the user's budget was used up), its class's window (when the class is limited), a unit
 * of the user's window (in Redis when shared, else local), and a slot among the requests in flight. Each
 * wait can be cancelled with the caller's AbortSignal: the request is removed and rejects with
 * CancelledError, and never leaves. The window in Redis, and what happens when Redis comes and goes, is
 * sharedWindow.ts's; who goes next in a window (turns, the reserve) is rollingWindow.ts's.
 */
import { boundDelay, sleep, throwIfCancelled } from '../time';
import { LimiterEvents, WAIT_MESSAGES, type WaitingEvent } from './events';
import { OperationClass } from './operationClass';
import type { RedisLink } from './redisLink';
import { RollingWindow } from './rollingWindow';
import { Semaphore } from './semaphore';
import { SharedWindow } from './sharedWindow';
import { Dispatched, LimiterLogger, NotDispatchedError, RateLimitSettings, RequeueError, reserveUnits, SAFETY_MS } from './types';

/** A 429 counts as the operation's own limit when the user's budget is used below this share. */
const ROOM_SHARE = 0.9;
/** No pause lasts longer (a Retry-After is capped by the client already; this bounds pauses heard through Redis). */
export const MAX_PAUSE_MS = 15 * 60_000;

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
	/** Aborting removes the request from whatever it waits in; it rejects with CancelledError and never leaves. */
	signal?: AbortSignal;
	/**
	 * Who asks: an n8n execution, a Node-RED node, a trigger's poll, Send and Wait's edits. Requesters get
	 * their turns round-robin, and one using the most leaves a reserve to the others (rollingWindow.ts).
	 * Default: one anonymous requester.
	 */
	requester?: string;
	/** Told once when the request waits for the user's budget (also emitted as the limiter's `waiting` event). */
	onWaiting?(event: WaitingEvent): void;
}

/** Who waits a 429's Retry-After: the refused request alone, its operation class, or every request of the user. */
export type RateLimitScope = 'request' | 'operation' | 'user';

export class UserRateLimiter {
	/** Observers (the benchmark): see events.ts. */
	readonly events = new LimiterEvents();
	private readonly local: RollingWindow;
	/** The user's window in Redis, when the budget is shared. */
	private readonly shared?: SharedWindow;
	private readonly operations = new Map<string, OperationClass>();
	private readonly inflight: Semaphore;
	private pausedUntil = 0;
	private active = 0;
	private stopped = false;
	/** Units held back for /myInfo bootstraps of keys whose user is not known yet (set by the registry). */
	private heldBack = 0;
	/** Units charged locally for requests sent outside this limiter: when each comes back. */
	private readonly charged = new Map<number, number>();
	private chargeSeq = 0;
	lastUsed = Date.now();

	constructor(
		readonly id: string,
		private settings: RateLimitSettings,
		private readonly options: UserLimiterOptions = {},
	) {
		this.local = new RollingWindow({ id, limit: settings.limit, windowMs: settings.windowMs, reserve: this.reserve });
		this.inflight = new Semaphore(settings.maxConcurrent);
		for (const [name, limit] of Object.entries(options.operationLimits ?? {})) this.declareOperationLimit(name, limit);
		if (options.link) {
			this.shared = new SharedWindow({
				id,
				link: options.link,
				clusterId: options.clusterId,
				requestTimeoutMs: options.requestTimeoutMs,
				expirationMarginMs: options.expirationMarginMs,
				log: options.log,
				settings: () => this.settings,
				reserve: () => this.reserve,
				localHeldUntil: () => this.localHeldUntil(),
				chargeLocal: (releaseAt) => void this.local.charge(releaseAt),
				heardPause: (ms) => this.pause(ms, false),
			});
		}
	}

	get limit(): number {
		return this.settings.limit;
	}

	get windowMs(): number {
		return this.settings.windowMs;
	}

	/** Units of the window the requester using the most leaves to the others. */
	get reserve(): number {
		return reserveUnits(this.settings.limit, this.settings.reserveShare);
	}

	/** A credential asks for a reserve share: the larger of those asked for in this process applies. */
	raiseReserveShare(share: number | undefined): void {
		if (share === undefined || !Number.isFinite(share) || share <= (this.settings.reserveShare ?? -1)) return;
		this.settings = { ...this.settings, reserveShare: share };
		this.applyReserve();
	}

	private applyReserve(): void {
		this.local.setReserve(this.reserve);
		this.shared?.setReserve(this.reserve);
	}

	/** Whether requests currently go through Redis. */
	get mode(): 'cluster' | 'local' {
		return this.shared?.current ? 'cluster' : 'local';
	}

	/**
	 * Runs `task` (one request) when any pause, its operation class and the user's budget allow.
	 * Resolves with the task's value and when it was dispatched.
	 */
	async schedule<T>(rateClass: string, task: () => Promise<T>, options: ScheduleOptions<T> = {}): Promise<Dispatched<T>> {
		const { signal } = options;
		const requester = options.requester ?? '';
		throwIfCancelled(signal);
		const enqueuedAt = Date.now();
		this.lastUsed = enqueuedAt;
		this.active++;
		try {
			const operation = this.operation(rateClass);
			const free = this.events.has('dispatched') ? this.wouldGoAtOnce(operation, enqueuedAt) : false;
			const send = (clustered: boolean) => {
				// The last moment before the request leaves: cancelled, or paused meanwhile (a refusal of a request
				// that left earlier)? Then it does not leave; its units come back at once.
				throwIfCancelled(signal);
				if (this.pausedBeyond(operation, options.pausedUntilSeen)) throw new RequeueError('paused');
				if (this.events.has('dispatched')) this.events.emit('dispatched', { rateClass, requester, waitedMs: Date.now() - enqueuedAt, free, clustered });
				return task();
			};
			const refused = (value: T) => options.refused?.(value) ?? false;
			let told = false;
			const onWaiting = (reason: WaitingEvent['reason']) => {
				if (told) return;
				told = true;
				const event: WaitingEvent = { rateClass, requester, reason, message: WAIT_MESSAGES[reason] };
				this.events.emit('waiting', event);
				options.onWaiting?.(event);
			};
			const through = { requester, signal, onWaiting };
			let dispatched: Dispatched<T> | undefined;
			while (!dispatched) {
				await this.waitWhilePaused(operation, options.pausedUntilSeen, signal);
				operation.beforeRequest();
				const classWindow = operation.window;
				try {
					if (!classWindow) dispatched = await this.throughUserWindow(send, through);
					else {
						// A refused request did not count at Pumble: its class unit comes back at once.
						const outer = await classWindow.run(() => this.throughUserWindow(send, through), {
							holdMs: (inner) => (refused(inner.value) ? 0 : this.settings.windowMs + SAFETY_MS),
							requester,
							signal,
						});
						dispatched = outer.value;
					}
				} catch (error) {
					// Its class window was lifted, or a pause began, while it waited: it waits again; it does not fail.
					if (!(error instanceof RequeueError)) return Promise.reject(error);
				}
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
	 * With room in the user's budget (or another class accepted since), the refusal is the class's own: it
	 * learns a limit when the evidence is consistent (see operationClass.ts), and the class waits with the
	 * refused request only when its refusals are more than noise (scope 'operation'); else only the refused
	 * request waits (scope 'request', the caller's own wait). Otherwise the whole user waits (in every
	 * process, with Redis).
	 */
	async onRateLimited(rateClass: string, dispatchedAt: number, waitMs: number): Promise<{ scope: RateLimitScope; until: number }> {
		const operation = this.operation(rateClass);
		operation.recordRefused();
		const wait = boundDelay(waitMs, MAX_PAUSE_MS);
		const until = Date.now() + wait;
		const used = await this.usedUnits();
		const othersGotThrough = [...this.operations.values()].some(
			(other) => other !== operation && other.lastAcceptedDispatch >= dispatchedAt,
		);
		let scope: RateLimitScope = 'user';
		if (used < this.settings.limit * ROOM_SHARE || othersGotThrough) {
			const before = operation.limit;
			const limit = operation.learnFromRefusal(Date.now(), dispatchedAt);
			scope = operation.refusalsConsistent ? 'operation' : 'request';
			if (scope === 'operation') operation.pausedUntil = Math.max(operation.pausedUntil, until);
			if (limit !== undefined && limit !== before) {
				this.options.log?.debug?.(`Pumble rate limit: ${rateClass} is limited by Pumble to about ${limit} per window; slowing it down`);
			}
		} else {
			this.pause(wait);
		}
		this.events.emit('rateLimited', { rateClass, scope, until, limit: operation.limit });
		return { scope, until };
	}

	/** Holds every request of this user that has not been sent yet (in every process, with Redis). */
	pause(ms: number, broadcast = true): void {
		const wait = boundDelay(ms, MAX_PAUSE_MS);
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
		if (broadcast) this.shared?.announcePause(wait);
	}

	/**
	 * A stricter limit (another credential of the same user asked for fewer) takes effect at once in this
	 * process; through Redis it overwrites the shared limit (the last process to write it decides).
	 */
	lowerLimit(limit: number): void {
		if (limit >= this.settings.limit) return;
		this.settings = { ...this.settings, limit };
		this.applyLimit();
		this.shared?.setLimit(limit);
		this.applyReserve();
	}

	/** Limits declared in a credential for operation classes (the lower one wins). */
	declareOperationLimits(limits: Record<string, number> | undefined): void {
		for (const [name, limit] of Object.entries(limits ?? {})) this.declareOperationLimit(name, limit);
	}

	/**
	 * A request sent outside this limiter (e.g. the /myInfo that found this user) that Pumble counted.
	 * Locally its unit is taken off the limit at once (no waiting, so it can replace a held-back unit in
	 * the same step); through Redis it takes a unit of the shared window.
	 */
	charge(releaseAt = Date.now() + this.settings.windowMs + SAFETY_MS): Promise<void> {
		const shared = this.shared?.current;
		if (shared) return shared.charge(releaseAt);
		// Never longer than a unit can be held: one window after an answer.
		const holdMs = Math.min(this.settings.windowMs + SAFETY_MS, releaseAt - Date.now());
		if (holdMs <= 0) return Promise.resolve();
		const unit = ++this.chargeSeq;
		this.charged.set(unit, Date.now() + holdMs);
		this.limitChanged();
		const timer = setTimeout(() => {
			this.charged.delete(unit);
			this.limitChanged();
		}, holdMs);
		timer.unref?.();
		return Promise.resolve();
	}

	/**
	 * Holds back `units` of the local window: one per /myInfo in flight for a key whose user is not known
	 * yet (it may be this user; Pumble counts it before its answer says whose it is). Applied at once while
	 * requests wait in the window, else when the next request enters it. Not through Redis: there the
	 * /myInfo is charged to the shared window after its answer (a unit taken ahead of waiting requests).
	 */
	holdBack(units: number): void {
		this.heldBack = units;
		this.limitChanged();
	}

	/** Requests waiting in the window see a new limit at once; the next one to enter applies it otherwise. */
	private limitChanged(): void {
		if (this.local.queuedCount > 0) this.applyLimit();
	}

	/** The local window's limit: the user's, less held-back and charged units, never below one (Bottleneck refuses 0). */
	private applyLimit(): void {
		this.local.setLimit(Math.max(1, this.settings.limit - this.heldBack - this.charged.size));
	}

	/** Units this process holds in its local window, charged ones included: when each comes back. */
	private localHeldUntil(): number[] {
		const now = Date.now();
		return [...this.local.heldUntil(), ...[...this.charged.values()].filter((at) => at > now)];
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
		const shared = this.shared?.current;
		if (shared) return shared.usedUnits();
		return this.local.heldCount + this.charged.size;
	}

	/** Requests queued or running, or budget units not yet returned. Idle means none of these. */
	get busy(): boolean {
		return this.active > 0 || this.charged.size > 0 || this.local.busy || (this.shared?.busy ?? false) || [...this.operations.values()].some((o) => o.busy);
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
		this.events.clear();
		await Promise.all([this.local.stop(), this.shared?.stop(linkClosing), ...[...this.operations.values()].map((o) => o.stop())]);
	}

	private wouldGoAtOnce(operation: OperationClass, now: number): boolean {
		const userWindow = this.shared?.current ?? this.local;
		return Math.max(this.pausedUntil, operation.pausedUntil) <= now && (operation.window?.free ?? true) && userWindow.free;
	}

	private declareOperationLimit(name: string, limit: number): void {
		if (!Number.isFinite(limit) || limit <= 0) return;
		this.operation(name).declare(Math.max(1, Math.floor(limit)));
	}

	private operation(rateClass: string): OperationClass {
		let operation = this.operations.get(rateClass);
		if (!operation) {
			operation = new OperationClass(rateClass, { id: this.id, windowMs: this.settings.windowMs, userLimit: () => this.settings.limit });
			this.operations.set(rateClass, operation);
		}
		return operation;
	}

	private async throughUserWindow<T>(
		task: (clustered: boolean) => Promise<T>,
		through: { requester: string; signal?: AbortSignal; onWaiting(reason: WaitingEvent['reason']): void },
	): Promise<Dispatched<T>> {
		const { signal } = through;
		const send = (clustered: boolean) => async () => {
			const wait = this.inflight.acquire(signal);
			if (wait) await wait;
			try {
				return await task(clustered);
			} finally {
				this.inflight.release();
			}
		};
		const cluster = await this.shared?.forRequest(signal);
		if (cluster) {
			try {
				return await cluster.run(send(true), through);
			} catch (error) {
				if (!(error instanceof NotDispatchedError) || error instanceof RequeueError) return Promise.reject(error);
				// Redis failed before the request left: it goes through the local window instead.
				this.shared?.warnRerouted(error.message);
			}
		}
		this.applyLimit();
		return this.local.run(send(false), through);
	}

	private pausedBeyond(operation: OperationClass, seen = -Infinity): boolean {
		const until = Math.max(this.pausedUntil, operation.pausedUntil);
		return until > Date.now() && until > seen;
	}

	private async waitWhilePaused(operation: OperationClass, seen = -Infinity, signal?: AbortSignal): Promise<void> {
		for (;;) {
			const now = Date.now();
			// No pause was set for longer than MAX_PAUSE_MS: more left means the clock stepped back.
			this.pausedUntil = Math.min(this.pausedUntil, now + MAX_PAUSE_MS);
			operation.pausedUntil = Math.min(operation.pausedUntil, now + MAX_PAUSE_MS);
			const until = Math.max(this.pausedUntil, operation.pausedUntil);
			if (until <= now || until <= seen) return;
			await sleep(until - now, signal);
		}
	}
}
