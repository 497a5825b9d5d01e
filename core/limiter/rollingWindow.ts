/**
 * A rolling window of `limit` units over `windowMs`, on one Bottleneck (local or clustered through Redis).
 *
 * A request takes one unit when it leaves and gives it back one window after its answer arrived. Pumble
 * saw the request no later than that answer, so no `windowMs` interval can ever hold more than `limit`
 * requests — a true rolling window, not fixed minutes (which would allow 2×limit across a boundary) —
 * while a burst is served at once as long as units remain. A unit is a Bottleneck job that stays
 * "running" until it is given back: `maxConcurrent` is the limit. Clustered, the running count is kept
 * in Redis, so the same rule holds across processes; each unit is registered with an expiration, so units
 * held by a process that died come back after `expirationMs` instead of never.
 */
import Bottleneck from 'bottleneck';

import { CancelledError, isCancelled, onAbort, sleep } from '../time';
import { createBottleneck } from './bottleneckAdapter';
import type { RedisLink } from './redisLink';
import { Dispatched, NotDispatchedError, SAFETY_MS, RequeueError } from './types';

/** Priority of ordinary requests; carried-over units (priority 0) go first. Bottleneck: 0 is highest. */
const NORMAL_PRIORITY = 5;

interface Ticket {
	state: 'queued' | 'started' | 'abandoned';
	reject(error: unknown): void;
	/** Stops watching the caller's signal. */
	unwatch(): void;
}

export interface WindowOptions {
	id: string;
	limit: number;
	windowMs: number;
	/** Clustered through this Redis connection when given; local otherwise. */
	link?: RedisLink;
	/** Clustered only: a unit still held after this long is freed by Redis (its process died). */
	expirationMs?: number;
	onError?(error: unknown): void;
}

export interface RunOptions<T> {
	priority?: number;
	/** How long the unit stays taken after the task ended (default: one window + safety). */
	holdMs?: (value: T) => number;
	/** Aborting while the request waits here removes it: it rejects with CancelledError and never runs. */
	signal?: AbortSignal;
}

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
		this.bottleneck = createBottleneck({
			id: options.id,
			maxConcurrent: options.limit,
			link: options.link,
			// Redis forgets an idle budget (no leak), never one with units still held or waited for.
			keysTimeoutMs: (options.expirationMs ?? options.windowMs) + 2 * options.windowMs + 10_000,
		});
		if (this.clustered) {
			// While requests wait, make sure they hear of freed capacity: Bottleneck announces it when a unit
			// is given back, but not when units of a dead process expire, nor after the budget's keys expired.
			const every = Math.min(5_000, Math.max(100, options.windowMs / 2));
			this.nudger = setInterval(() => this.nudge(every), every);
			this.nudger.unref?.();
		}
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
	run<T>(task: () => Promise<T>, options: RunOptions<T> = {}): Promise<Dispatched<T>> {
		return new Promise<Dispatched<T>>((resolve, reject) => {
			const { signal } = options;
			if (signal?.aborted) return reject(new CancelledError());
			const ticket: Ticket = { state: 'queued', reject, unwatch: () => undefined };
			this.pending.add(ticket);
			if (signal) {
				// Cancelled while waiting: out of the queue now. Its Bottleneck job, when its turn comes, gives the unit straight back.
				ticket.unwatch = onAbort(signal, () => this.abandon(ticket, new CancelledError()));
			}
			const job = async () => {
				if (ticket.state !== 'queued') return;
				ticket.state = 'started';
				ticket.unwatch();
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
					// Cancelled or not dispatched further in: the request never left, so the unit comes back at once.
					if (error instanceof NotDispatchedError || isCancelled(error)) hold = 0;
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
					this.abandon(ticket, new NotDispatchedError(error instanceof Error ? error.message : String(error)));
				});
		});
	}

	/**
	 * Counts a unit as used until `releaseAt` (a request sent elsewhere, that this window must know of).
	 * Resolves once the unit is taken (ahead of waiting requests), or at once when there is nothing to hold.
	 */
	charge(releaseAt: number): Promise<void> {
		if (releaseAt <= Date.now()) return Promise.resolve();
		// Never longer than a unit can be held: one window after an answer (a clock that stepped back would say more).
		const holdMs = () => Math.min(this.options.windowMs + SAFETY_MS, Math.max(0, releaseAt - Date.now()));
		return this.run(async () => undefined, { priority: 0, holdMs }).then(
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
		for (const ticket of [...this.pending]) this.abandon(ticket, new NotDispatchedError(reason));
	}

	/**
	 * The window is no longer needed (its class is not limited any more): every request waiting in it is
	 * handed back with RequeueError — moved on by the user limiter, never failed — and the window stops.
	 */
	lift(): void {
		for (const ticket of [...this.pending]) this.abandon(ticket, new RequeueError('window lifted'));
		void this.stop();
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

	private abandon(ticket: Ticket, error: Error): void {
		if (ticket.state !== 'queued') return;
		ticket.state = 'abandoned';
		ticket.unwatch();
		this.pending.delete(ticket);
		ticket.reject(error);
	}
}
