/**
 * What one process knows of a budget shared through Redis, for its rolling window's reserve rule: how many
 * units every process uses (Redis's count, read at most every `readEveryMs`; units this process took since
 * count as taken), and whether another process has a light requester's request waiting (the "who waits"
 * set under the budget's Redis key: this process says so while one of its own waits, and reads the others'
 * word with the count). Why: docs/adr/0005-reserve-for-other-workflows.md.
 */
import type Bottleneck from 'bottleneck';
import { randomUUID } from 'node:crypto';

import type { RedisLink } from './redisLink';

interface Reading {
	value: number;
	at: number;
	taken: number;
	othersWaiting: boolean;
}

export interface ClusterViewOptions {
	/** The window's Bottleneck id: its Redis keys are b_<id>_… and hold the user's hash, never a key. */
	id: string;
	bottleneck: Bottleneck;
	link: RedisLink;
	/** How long a reading stays fresh, and how often the word "a light request waits here" is renewed. */
	readEveryMs: number;
	/** How long that word lasts unless renewed. */
	wordMs: number;
	/** A new reading arrived (requests may go now). */
	onRead(): void;
	onError?(error: unknown): void;
}

export class ClusterView {
	private reading?: Reading;
	private busyReading = false;
	private readonly token = randomUUID();
	private readonly waitersKey: string;
	private lightWaiting = 0;
	private announcer?: NodeJS.Timeout;

	constructor(private readonly options: ClusterViewOptions) {
		this.waitersKey = `b_${options.id}_waiting`;
	}

	/**
	 * Units in use across the processes, from a fresh reading (a stale one is renewed; undefined until the
	 * first arrives). `unsure`: requests handed to Bottleneck, not started, counted as taken in the next reading.
	 */
	used(unsure: number): number | undefined {
		const reading = this.reading;
		if (!reading || Date.now() - reading.at > this.options.readEveryMs) {
			this.read(unsure);
			if (!reading) return undefined;
		}
		return reading.value + reading.taken;
	}

	/** The last reading's count (possibly stale), or undefined before the first. */
	get lastUsed(): number | undefined {
		return this.reading ? this.reading.value + this.reading.taken : undefined;
	}

	/** Whether another process said lately that a light request waits there (unknown counts as yes). */
	get othersWaiting(): boolean {
		return this.reading?.othersWaiting ?? true;
	}

	/** This process handed a request to Bottleneck: it counts as taken until the next reading. */
	took(): void {
		if (this.reading) this.reading.taken++;
	}

	/** A light request waits here: say so at once, and again every `readEveryMs` while one still waits. */
	lightQueued(): void {
		this.lightWaiting++;
		if (this.lightWaiting > 1) return;
		const announce = () => void this.options.link.markWaiting(this.waitersKey, this.token, this.options.wordMs).catch(() => undefined);
		announce();
		this.announcer = setInterval(announce, Math.max(20, this.options.readEveryMs));
		this.announcer.unref?.();
	}

	/** A light request left the queue (started or abandoned): when none waits any more, withdraw the word. */
	lightDone(): void {
		this.lightWaiting--;
		if (this.lightWaiting > 0) return;
		this.stopAnnouncing();
		void this.options.link.clearWaiting(this.waitersKey, this.token).catch(() => undefined);
	}

	stop(): void {
		this.stopAnnouncing();
	}

	private stopAnnouncing(): void {
		clearInterval(this.announcer);
		this.announcer = undefined;
	}

	private read(unsure: number): void {
		if (this.busyReading) return;
		this.busyReading = true;
		const othersWaiting = this.options.link.othersWaiting(this.waitersKey, this.token).then(
			(n) => n > 0,
			() => true, // unknown: as if someone waited (the reserve stays free)
		);
		void Promise.all([this.options.bottleneck.running(), othersWaiting])
			.then(([value, others]) => (this.reading = { value, at: Date.now(), taken: unsure, othersWaiting: others }))
			.catch((error: unknown) => this.options.onError?.(error))
			.finally(() => {
				this.busyReading = false;
				this.options.onRead();
			});
	}
}
