/**
 * One operation class of one user (e.g. "sendMessage": messages and DMs) and the limit Pumble may set on
 * it apart from the user's budget: declared in the credential, or learned from 429s. Once limited, the
 * class runs through its own (local) rolling window.
 *
 * Learning needs consistent evidence. A refusal is evidence of the count Pumble had accepted in the last
 * window when it refused. Refusals of requests that left before an earlier refusal was known are one
 * episode. A limit is a count that repeats: two episodes whose counts agree (within a quarter) although
 * requests were accepted in between and some of them left the window meanwhile. Isolated or random 429s
 * teach nothing — within one window the count only grows between them, by exactly what was accepted.
 *
 * Who waits a 429's Retry-After: the refused request always. The whole class waits with it only when
 * refusals are more than noise — at least FREQUENT_REFUSALS of the class's last RECENT_ANSWERS answers
 * were 429s — or when the class is limited already; otherwise its other requests go on, so that a few
 * random 429s cost their own requests a Retry-After each, not the whole class.
 *
 * Once limited: consistent evidence of a lower count lowers the limit gently (to the evidence, but by at
 * most a quarter at a time, and never below the floor: half the highest limit that held, or MIN_EVIDENCE).
 * After `probeEvery` windows at the limit, the limit rises by `probeStep` (1 at first, doubling after each
 * probe that went through, so a lowered limit recovers within a few windows). A probe answered by a 429
 * falls back to the limit before it and waits twice as long before the next (up to
 * MAX_PROBE_INTERVAL_WINDOWS): a steady hidden limit costs one 429 episode per probe, ever more rarely. A
 * limit that went away is left behind: the class is lifted (unlimited) once the limit reaches the user's
 * budget, and requests waiting in its window move on; none fails.
 */
import { RollingWindow } from './rollingWindow';
import { SAFETY_MS } from './types';

/** Counts below this never teach a limit (a class barely used shows nothing). */
export const MIN_EVIDENCE = 5;
/** Two counts agree when they differ by at most this share of the larger (and at least by 1). */
const AGREEMENT = 0.25;
/** One decrease takes the limit down to no less than this share of it. */
const DECREASE = 0.75;
/** Probing for a higher limit happens at most every this many windows (after failed probes). */
const MAX_PROBE_INTERVAL_WINDOWS = 8;
/** Refusal episodes older than this many windows are no evidence any more. */
const EVIDENCE_WINDOWS = 4;
/** The class's last answers kept to tell noise from a limit… */
export const RECENT_ANSWERS = 20;
/** …and the refusals among them from which the whole class waits a Retry-After (20 %: 5 % noise rarely gets there). */
export const FREQUENT_REFUSALS = 4;

interface Episode {
	at: number;
	/** Accepted in the window before the refusal. */
	accepted: number;
	/** Accepted since the class exists, at the refusal: how far the window turned over between episodes. */
	total: number;
}

export interface OperationOwner {
	id: string;
	windowMs: number;
	userLimit(): number;
}

export class OperationClass {
	limit?: number;
	window?: RollingWindow;
	pausedUntil = 0;
	/** 429s answered to this class, for observability. */
	refusals = 0;
	/** Refusal episodes (see above), for observability. */
	episodes = 0;
	lastUsed = Date.now();
	/** Dispatch time of the latest request of this class Pumble accepted. */
	lastAcceptedDispatch = 0;
	/** The limit a credential declares for this class: used from the start, and never probed above. */
	declared?: number;
	/** Requests Pumble accepted in about the last window, oldest first. */
	private accepted: Array<{ dispatchedAt: number; answeredAt: number }> = [];
	/** The class's last RECENT_ANSWERS answers, oldest first: true for a 429. */
	private recent: boolean[] = [];
	private acceptedTotal = 0;
	private evidence: Episode[] = [];
	private changedAt = 0;
	private probeFrom?: number;
	/** The highest limit that held (learned, or a probe that went through): the floor is half of it. */
	private highestHeld = 0;
	private probeStep = 1;
	private probeEvery = 1;
	private saturatedAt = 0;

	constructor(
		readonly name: string,
		private readonly owner: OperationOwner,
	) {}

	declare(limit: number): void {
		this.declared = this.declared === undefined ? limit : Math.min(this.declared, limit);
		if (this.limit === undefined || this.limit > this.declared) this.applyLimit(this.declared, Date.now());
	}

	/** A request of this class got an answer that was not a 429. */
	recordAccepted(dispatchedAt: number, answeredAt = Date.now()): void {
		this.accepted.push({ dispatchedAt, answeredAt });
		this.acceptedTotal++;
		this.lastAcceptedDispatch = Math.max(this.lastAcceptedDispatch, dispatchedAt);
		this.noteAnswer(false);
		this.prune(answeredAt);
	}

	/** A request of this class was answered 429. */
	recordRefused(): void {
		this.refusals++;
		this.noteAnswer(true);
	}

	/** Whether a 429 should hold the whole class (not only the refused request) for its Retry-After. */
	get refusalsConsistent(): boolean {
		return this.limit !== undefined || this.recent.filter(Boolean).length >= FREQUENT_REFUSALS;
	}

	/**
	 * Accepted in the window before `now`, by when they left: Pumble counted each at its arrival, which is
	 * no earlier, so this never counts more than Pumble did.
	 */
	acceptedInWindow(now = Date.now()): number {
		this.prune(now);
		const from = now - this.owner.windowMs;
		return this.accepted.filter((request) => request.dispatchedAt > from).length;
	}

	/**
	 * A 429 attributed to this class, for a request dispatched at `dispatchedAt`. Returns the class's limit
	 * afterwards (undefined: not limited, the class only waits Retry-After).
	 */
	learnFromRefusal(now = Date.now(), dispatchedAt = now): number | undefined {
		const last = this.evidence[this.evidence.length - 1];
		if (last && dispatchedAt < last.at) return this.limit; // left before the last refusal was known: the same episode
		this.episodes++;
		const episode: Episode = { at: now, accepted: this.acceptedInWindow(now), total: this.acceptedTotal };
		if (this.limit !== undefined && this.probeFrom !== undefined && now - this.changedAt < 2 * this.owner.windowMs) {
			// The last probe went one step too far: back to the limit that held.
			const next = this.probeFrom;
			this.probeEvery = Math.min(this.probeEvery * 2, MAX_PROBE_INTERVAL_WINDOWS);
			this.probeStep = 1;
			this.probeFrom = undefined;
			this.remember(episode);
			this.applyLimit(next, now);
			return next;
		}
		const count = this.repeatedCount(episode);
		this.remember(episode);
		if (count === undefined || count < MIN_EVIDENCE) return this.limit;
		let next: number;
		if (this.limit === undefined) next = count;
		else if (count < this.limit) next = Math.max(count, this.floor(), Math.ceil(this.limit * DECREASE));
		else return this.limit; // refusals at the limit itself: nothing to learn
		if (next === this.limit) return next;
		this.evidence = []; // each piece of evidence moves the limit once
		this.probeFrom = undefined;
		this.highestHeld = Math.max(this.highestHeld, Math.min(next, this.limit ?? next));
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
			this.highestHeld = Math.max(this.highestHeld, this.limit);
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

	/** No decrease goes below this. */
	private floor(): number {
		return Math.max(MIN_EVIDENCE, Math.ceil(this.highestHeld / 2));
	}

	/**
	 * An earlier episode whose count agrees with this one's, with requests accepted in between of which some
	 * left the window (the count grew by less than was accepted): the lower of the two counts.
	 */
	private repeatedCount(episode: Episode): number | undefined {
		let found: number | undefined;
		for (const earlier of this.evidence) {
			const acceptedBetween = episode.total - earlier.total;
			const turnedOver = acceptedBetween >= 1 && episode.accepted - earlier.accepted < acceptedBetween;
			const high = Math.max(earlier.accepted, episode.accepted);
			const low = Math.min(earlier.accepted, episode.accepted);
			if (turnedOver && high - low <= Math.max(1, Math.floor(high * AGREEMENT))) found = Math.min(found ?? low, low);
		}
		return found;
	}

	private remember(episode: Episode): void {
		const from = episode.at - EVIDENCE_WINDOWS * this.owner.windowMs;
		this.evidence = [...this.evidence.filter((e) => e.at > from), episode].slice(-16);
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
		for (const { answeredAt } of this.accepted) void this.window.charge(answeredAt + this.owner.windowMs + SAFETY_MS);
	}

	/** The class is no longer limited: its window is lifted, and whatever waited in it moves on. */
	private unlimit(): void {
		const window = this.window;
		this.window = undefined;
		this.limit = undefined;
		this.probeFrom = undefined;
		this.probeStep = 1;
		this.probeEvery = 1;
		this.evidence = [];
		this.highestHeld = 0;
		window?.lift();
	}

	private noteAnswer(refused: boolean): void {
		this.recent.push(refused);
		if (this.recent.length > RECENT_ANSWERS) this.recent.shift();
	}

	private prune(now: number): void {
		const from = now - this.owner.windowMs;
		let drop = 0;
		while (drop < this.accepted.length && this.accepted[drop].answeredAt <= from) drop++;
		if (drop > 0) this.accepted = this.accepted.slice(drop);
	}
}
