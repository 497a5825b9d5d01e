/**
 * The one lane runner: work items run concurrently while order is kept where it matters. Items sharing a
 * lane (core/lanes/key.ts: one conversation) run one after another in the order they were submitted; items
 * in different lanes, or with no lane, run side by side.
 *
 * `LaneRunner` takes work as it comes (Node-RED's messages arrive one by one); its lane key may still be
 * resolving (a channel name looked up in the directory) — submission order is lane order all the same.
 * `runInLanes` runs a known batch (n8n's items, the benchmark) on it, at most `concurrency` at once, with
 * results in item order whatever finished first.
 */

/**
 * Items of one node execution in flight at once. Latency must not cap throughput: a burst of a whole
 * window's budget (1000) leaves in about 1000 × latency ÷ concurrency, so 200 keeps that to 0.5 s at
 * 100 ms and 1.5 s at 300 ms — 1–2.5 % of a one-minute window. Lanes still serialize one channel; the
 * user's limiter still bounds requests per window and in flight (RateLimitSettings.maxConcurrent).
 */
export const ITEM_CONCURRENCY = 200;

export type LaneKey = string | undefined;

const settle = (): void => undefined;

export class LaneRunner {
	/** Per lane, the last submitted item's end (settled either way). */
	private readonly tails = new Map<string, Promise<void>>();
	/** The latest submission whose lane is still being resolved; later submissions are placed after it. */
	private placing: Promise<void> | undefined;

	/**
	 * Runs `work` once every item submitted earlier in its lane has settled; resolves or rejects with it.
	 * A lane key that rejects means no lane (the work itself reports what is wrong with its input).
	 */
	submit<R>(lane: LaneKey | PromiseLike<LaneKey>, work: () => Promise<R>): Promise<R> {
		const before = this.placing;
		if (before === undefined && !isPromiseLike(lane)) return this.enqueue(lane, work);
		let placed!: () => void;
		const marker = new Promise<void>((resolve) => (placed = resolve));
		this.placing = marker;
		return (async () => {
			let key: LaneKey;
			try {
				if (before) await before;
				key = await lane;
			} catch {
				key = undefined;
			}
			// Placed synchronously before the next submission may place itself.
			const run = this.enqueue(key, work);
			placed();
			if (this.placing === marker) this.placing = undefined;
			return await run;
		})();
	}

	/** Lanes with work queued or running (for a status line). */
	get activeLanes(): number {
		return this.tails.size;
	}

	private enqueue<R>(lane: LaneKey, work: () => Promise<R>): Promise<R> {
		const previous = lane === undefined ? undefined : this.tails.get(lane);
		const run = previous ? previous.then(work) : work();
		if (lane !== undefined) {
			const tail = run.then(settle, settle);
			this.tails.set(lane, tail);
			void tail.then(() => {
				if (this.tails.get(lane) === tail) this.tails.delete(lane);
			});
		}
		return run;
	}
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
	return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

export interface LaneRunOptions<R> {
	count: number;
	concurrency: number;
	laneOf(index: number): LaneKey;
	work(index: number): Promise<R>;
	/** Called on a failure; return false to stop starting new items (n8n without "Continue On Fail"). */
	onError?(index: number, error: unknown): boolean;
	/** Once aborted, no further item starts (items already running finish or fail on their own). */
	signal?: AbortSignal;
}

export type LaneResult<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs items `0 … count-1` on a LaneRunner, at most `concurrency` submitted and unsettled at once (an item
 * waiting for its lane holds its place, so a long lane cannot flood memory). An item that never started
 * (stopped by `onError` or `signal`) has no result.
 */
export async function runInLanes<R>(options: LaneRunOptions<R>): Promise<Array<LaneResult<R> | undefined>> {
	const { count, laneOf, work } = options;
	const concurrency = Math.max(1, options.concurrency);
	const results: Array<LaneResult<R> | undefined> = new Array(count);
	const runner = new LaneRunner();
	let next = 0;
	let stopped = false;
	const halted = () => stopped || options.signal?.aborted === true;

	const runOne = (index: number): Promise<void> =>
		runner.submit(laneOf(index), async () => {
			if (halted()) return;
			try {
				results[index] = { ok: true, value: await work(index) };
			} catch (error) {
				results[index] = { ok: false, error };
				if (options.onError && !options.onError(index, error)) stopped = true;
			}
		});

	const worker = async () => {
		while (!halted() && next < count) await runOne(next++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return results;
}
