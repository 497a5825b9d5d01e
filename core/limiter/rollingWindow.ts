/**
 * A rolling window of `limit` units over `windowMs`, on one Bottleneck (local or clustered through Redis),
 * shared fairly by the requesters that wait for it.
 *
 * A request takes one unit when it leaves and gives it back one window after its answer arrived. Pumble
 * saw the request no later than that answer, so no `windowMs` interval can ever hold more than `limit`
 * requests — a true rolling window, not fixed minutes (which would allow 2×limit across a boundary) —
 * while a burst is served at once as long as units remain. A unit is a Bottleneck job that stays
 * "running" until it is given back: `maxConcurrent` is the limit. Clustered, the running count is kept
 * in Redis, so the same rule holds across processes; each unit is registered with an expiration, so units
 * held by a process that died come back after `expirationMs` instead of never.
 *
 * Who goes next is decided here, before Bottleneck sees the request (fairQueue.ts): requests wait in one
 * queue per requester and are handed to Bottleneck round-robin, only as units can be had (locally: exactly
 * the free units; clustered: a few at a time, so a newcomer is never behind more than those). The reserve:
 * a requester that already holds `reserve` units or more (a heavy one) takes a unit only while `reserve`
 * units stay free or come back within `graceMs` — so a requester that holds less (an alert, a poll, an
 * edit) finds a unit within about `graceMs` even while a heavy one wants everything, and a heavy one alone
 * still uses the whole window (it takes the reserve just before its own units come back). Clustered, the
 * free units and whether another process has a light request waiting come from clusterView.ts (Redis's
 * count, read at most every `graceMs / 4`, and the "who waits" set). While no other process says a light
 * request waits, a heavy requester counts its own units coming back soon, exactly as in one process (a lone
 * one uses the whole window); while one does, it counts none, and the reserve stays free for that process.
 * Why, and what the reserve costs a requester alone:
 * docs/adr/0005-reserve-for-other-workflows.md.
 */
import Bottleneck from 'bottleneck';

import { CancelledError, isCancelled, onAbort, sleep } from '../time';
import { createBottleneck, stopHeartbeat } from './bottleneckAdapter';
import { ClusterView } from './clusterView';
import { FairQueue } from './fairQueue';
import type { RedisLink } from './redisLink';
import { Dispatched, NotDispatchedError, SAFETY_MS, RequeueError } from './types';

/** Priority of ordinary requests; units charged for requests sent elsewhere (priority 0) go first. Bottleneck: 0 is highest. */
const NORMAL_PRIORITY = 5;
/** Clustered: requests handed to Bottleneck at once before they start (the rest wait in the fair queue). */
const MAX_SUBMITTED = 4;

/** Why a request waits: units are held mostly by other requesters, or mostly by its own. */
export type WaitReason = 'otherRequester' | 'ownUse';

interface Ticket {
	requester: string;
	first: boolean;
	/** Clustered: a light requester's request (it held less than the reserve when it came), announced to the other processes while it waits. */
	light: boolean;
	state: 'queued' | 'submitted' | 'started' | 'abandoned';
	submit(): void;
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
	/** Units a heavy requester leaves to the others (see above); 0 or absent: none. */
	reserve?: number;
	/** A heavy requester may take the reserve's units that come back within this long (default: a sixtieth of the window, Pumble's second). */
	graceMs?: number;
	onError?(error: unknown): void;
}

export interface RunOptions<T> {
	/** Who asks (an execution, a node, the trigger's poll): requesters are served round-robin. Default: one anonymous requester. */
	requester?: string;
	/** Ahead of every waiting request and never held back by the reserve (a unit charged for a request sent elsewhere). */
	first?: boolean;
	/** How long the unit stays taken after the task ended (default: one window + safety). */
	holdMs?: (value: T) => number;
	/** Aborting while the request waits here removes it: it rejects with CancelledError and never runs. */
	signal?: AbortSignal;
	/** Told once, when the request cannot leave at once, why it waits. */
	onWaiting?(reason: WaitReason): void;
}

export class RollingWindow {
	readonly bottleneck: Bottleneck;
	limit: number;
	private reserve: number;
	private readonly graceMs: number;
	/** Requests not yet started: in the fair queue, or handed to Bottleneck. */
	private readonly waiting = new Set<Ticket>();
	private readonly queue = new FairQueue<Ticket>();
	private readonly firstQueue: Ticket[] = [];
	/** Handed to Bottleneck, not started yet. */
	private submitted = 0;
	/** Units each requester has taken (handed to Bottleneck, in flight or held), this process. */
	private readonly heldBy = new Map<string, number>();
	/** Clustered: units in use across the processes, and whether a light request waits in another. */
	private readonly cluster?: ClusterView;

	/** Shared through Redis (a link was given), or this process's alone. */
	get clustered(): boolean {
		return this.cluster !== undefined;
	}
	private wake?: NodeJS.Timeout;
	private nudger?: NodeJS.Timeout;
	private oldestWaitSince?: number;
	private stopped = false;
	/** Units this process holds: release time, or Infinity while the request is in flight. */
	private readonly held = new Map<number, number>();
	private seq = 0;

	constructor(private readonly options: WindowOptions) {
		this.limit = options.limit;
		this.reserve = Math.max(0, Math.floor(options.reserve ?? 0));
		this.graceMs = options.graceMs ?? options.windowMs / 60;
		this.bottleneck = createBottleneck({
			id: options.id,
			maxConcurrent: options.limit,
			link: options.link,
			// Redis forgets an idle budget (no leak), never one with units still held or waited for.
			keysTimeoutMs: (options.expirationMs ?? options.windowMs) + 2 * options.windowMs + 10_000,
		});
		if (options.link) {
			this.cluster = new ClusterView({
				id: options.id,
				bottleneck: this.bottleneck,
				link: options.link,
				readEveryMs: this.graceMs / 4,
				wordMs: this.graceMs,
				onRead: () => this.pump(),
				onError: (error) => options.onError?.(error),
			});
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
		if (this.waiting.size === 0) {
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
		return this.waiting.size;
	}

	get busy(): boolean {
		return this.held.size > 0 || this.waiting.size > 0;
	}

	/** Whether a request arriving now would find a unit free and nobody queued (this process's view). */
	get free(): boolean {
		return this.waiting.size === 0 && this.held.size < this.limit;
	}

	/** Units `requester` has taken in this window (this process). */
	heldByRequester(requester: string): number {
		return this.heldBy.get(requester) ?? 0;
	}

	/** Units a heavy requester leaves to the others. */
	get reserved(): number {
		return this.reserve;
	}

	setReserve(units: number): void {
		this.reserve = Math.max(0, Math.floor(units));
		this.pump();
	}

	/** Runs `task` when it is its turn and a unit is free; the unit is given back `holdMs` (default: one window + safety) after it ends. */
	run<T>(task: () => Promise<T>, options: RunOptions<T> = {}): Promise<Dispatched<T>> {
		return new Promise<Dispatched<T>>((resolve, reject) => {
			const { signal } = options;
			if (signal?.aborted) return reject(new CancelledError());
			const requester = options.requester ?? '';
			const first = options.first === true;
			const light = this.clustered && !first && this.reserve > 0 && this.heldByRequester(requester) < this.reserve;
			const ticket: Ticket = { requester, first, light, state: 'queued', reject, unwatch: () => undefined, submit: () => undefined };
			let ran = false;
			const job = async () => {
				ran = true;
				this.submitted--;
				if (ticket.state !== 'submitted') {
					// Abandoned while Bottleneck held it: the unit comes straight back.
					this.giveBack(requester);
					return;
				}
				ticket.state = 'started';
				ticket.unwatch();
				this.waiting.delete(ticket);
				this.lightDone(ticket);
				const unit = ++this.seq;
				this.held.set(unit, Infinity);
				this.pump();
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
					this.wakeLater();
					await sleep(hold);
				}
				this.held.delete(unit);
				this.giveBack(requester);
			};
			ticket.submit = () => {
				this.bottleneck
					.schedule({ priority: ticket.first ? 0 : NORMAL_PRIORITY, expiration: this.options.expirationMs }, job)
					.catch((error: unknown) => {
						// Before the task started (e.g. Redis refused the job): nothing was sent, no unit was taken.
						// After: the job expired while the request was still out; the caller gets the request's own outcome.
						if (!ran) {
							ran = true;
							this.submitted--;
							this.giveBack(requester);
						}
						this.abandon(ticket, new NotDispatchedError(error instanceof Error ? error.message : String(error)));
					});
			};
			this.waiting.add(ticket);
			if (light) this.cluster?.lightQueued();
			if (ticket.first) this.firstQueue.push(ticket);
			else this.queue.push(requester, ticket);
			if (signal) {
				// Cancelled while waiting: out of the queue now (or, handed to Bottleneck, its unit comes straight back).
				ticket.unwatch = onAbort(signal, () => this.abandon(ticket, new CancelledError()));
			}
			this.pump();
			if (options.onWaiting && ticket.state === 'queued') options.onWaiting(this.reasonFor(requester));
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
		return this.run(async () => undefined, { first: true, requester: '\0charged', holdMs }).then(
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
		for (const ticket of [...this.waiting]) this.abandon(ticket, new NotDispatchedError(reason));
	}

	/**
	 * The window is no longer needed (its class is not limited any more): every request waiting in it is
	 * handed back with RequeueError — moved on by the user limiter, never failed — and the window stops.
	 */
	lift(): void {
		for (const ticket of [...this.waiting]) this.abandon(ticket, new RequeueError('window lifted'));
		void this.stop();
	}

	setLimit(limit: number): void {
		if (limit === this.limit) return;
		this.limit = limit;
		void Promise.resolve(this.bottleneck.updateSettings({ maxConcurrent: limit })).catch((error: unknown) => this.options.onError?.(error));
		this.pump();
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
		clearTimeout(this.wake);
		this.cluster?.stop();
		this.abandonQueued('the limiter was stopped');
		this.stopped = true;
		try {
			if (this.clustered) {
				// Bottleneck unsubscribes without handling a failure: only ask it to while Redis answers.
				if (!linkClosing && this.options.link?.state === 'up') await this.bottleneck.disconnect(false);
				else stopHeartbeat(this.bottleneck);
			} else {
				// Bottleneck's stop() resolves when running jobs end — here, when held units come back: not awaited.
				void this.bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined);
			}
		} catch {
			// already stopped or disconnected
		}
	}

	/** Hands waiting requests to Bottleneck, charged units first, then round-robin, while units can be had. */
	private pump(): void {
		if (this.stopped) return;
		while (this.firstQueue.length > 0 && this.hasSlot()) this.submit(this.firstQueue.shift() as Ticket);
		while (this.queue.size > 0 && this.hasSlot()) {
			const ticket = this.queue.take((requester) => this.mayTake(requester));
			if (!ticket) break;
			this.submit(ticket);
		}
		this.wakeLater();
	}

	private hasSlot(): boolean {
		return this.clustered ? this.submitted < MAX_SUBMITTED : this.held.size + this.submitted < this.limit;
	}

	private submit(ticket: Ticket): void {
		ticket.state = 'submitted';
		this.submitted++;
		this.heldBy.set(ticket.requester, this.heldByRequester(ticket.requester) + 1);
		this.cluster?.took();
		ticket.submit();
	}

	/** A unit of `requester` came back (or was never used): the next request may go. */
	private giveBack(requester: string): void {
		const left = this.heldByRequester(requester) - 1;
		if (left > 0) this.heldBy.set(requester, left);
		else this.heldBy.delete(requester);
		this.pump();
	}

	/** The reserve's rule: a light requester may take any unit; a heavy one leaves `reserve` free or coming back soon. */
	private mayTake(requester: string): boolean {
		if (this.reserve === 0 || this.heldByRequester(requester) < this.reserve) return true;
		const free = this.freeUnits();
		if (free === undefined) return false;
		return free - 1 + this.returningSoon() >= this.reserve;
	}

	/** Units free now: exactly (local), or from Redis's count read lately (clustered; undefined until read). */
	private freeUnits(): number | undefined {
		if (!this.cluster) return this.limit - this.held.size - this.submitted;
		const used = this.cluster.used(this.submitted);
		return used === undefined ? undefined : this.limit - used;
	}

	/**
	 * Units that come back within `graceMs`: this process's own, exactly. Clustered, only while no other
	 * process has said it has light requests waiting (read with Redis's count): then a heavy requester
	 * here takes the reserve as in one process; while another waits, none are counted and the reserve
	 * stays free for it.
	 */
	private returningSoon(): number {
		if (this.cluster?.othersWaiting) return 0;
		const horizon = Date.now() + this.graceMs;
		let soon = 0;
		for (const at of this.held.values()) if (at <= horizon) soon++;
		return soon;
	}

	/** A heavy requester waits for time to pass (units coming within reach, Redis's count going stale): look again then. */
	private wakeLater(): void {
		if (this.wake || this.stopped || this.queue.size === 0 || this.reserve === 0) return;
		const now = Date.now();
		let at = Infinity;
		if (this.clustered) at = now + Math.max(20, this.graceMs / 4);
		else for (const release of this.held.values()) if (release > now + this.graceMs && release - this.graceMs < at) at = release - this.graceMs;
		if (at === Infinity) return; // only a unit coming back (which pumps) can change anything
		this.wake = setTimeout(() => {
			this.wake = undefined;
			this.pump();
		}, Math.max(1, at - now));
		this.wake.unref?.();
	}

	private lightDone(ticket: Ticket): void {
		if (!ticket.light) return;
		ticket.light = false;
		this.cluster?.lightDone();
	}

	/** Why `requester` waits: the units are held mostly by others, or mostly by itself. */
	private reasonFor(requester: string): WaitReason {
		const own = this.heldByRequester(requester);
		const used = this.cluster?.lastUsed ?? this.held.size + this.submitted;
		return used - own > own ? 'otherRequester' : 'ownUse';
	}

	private abandon(ticket: Ticket, error: Error): void {
		if (ticket.state !== 'queued' && ticket.state !== 'submitted') return;
		if (ticket.state === 'queued') {
			if (ticket.first) this.firstQueue.splice(this.firstQueue.indexOf(ticket), 1);
			else this.queue.remove(ticket.requester, ticket);
		}
		ticket.state = 'abandoned';
		ticket.unwatch();
		this.waiting.delete(ticket);
		this.lightDone(ticket);
		ticket.reject(error);
	}
}
