/**
 * Runs work items concurrently while keeping order where order matters: items sharing a lane (e.g. the
 * same channel) run one after another in item order; items in different lanes, or with no lane, run in
 * parallel up to `concurrency`. Results come back in item order whatever finished first; an item that
 * never started (stopped by `onError` or `signal`) has no result.
 */

/**
 * Items of one node execution in flight at once. Latency must not cap throughput: a burst of a whole
 * window's budget (1000) leaves in about 1000 × latency ÷ concurrency, so 200 keeps that to 0.5 s at
 * 100 ms and 1.5 s at 300 ms — 1–2.5 % of a one-minute window. Lanes still serialize one channel; the
 * user's limiter still bounds requests per window and in flight (RateLimitSettings.maxConcurrent).
 */
export const ITEM_CONCURRENCY = 200;

export interface LaneRunOptions<R> {
	count: number;
	concurrency: number;
	laneOf(index: number): string | undefined;
	work(index: number): Promise<R>;
	/** Called on a failure; return false to stop starting new items (n8n without "Continue On Fail"). */
	onError?(index: number, error: unknown): boolean;
	/** Once aborted, no further item starts (items already running finish or fail on their own). */
	signal?: AbortSignal;
}

export type LaneResult<R> = { ok: true; value: R } | { ok: false; error: unknown };

export async function runInLanes<R>(options: LaneRunOptions<R>): Promise<Array<LaneResult<R> | undefined>> {
	const { count, laneOf, work } = options;
	const concurrency = Math.max(1, options.concurrency);
	const results: Array<LaneResult<R> | undefined> = new Array(count);
	const laneTails = new Map<string, Promise<unknown>>();
	let next = 0;
	let stopped = false;
	const halted = () => stopped || options.signal?.aborted === true;

	const runOne = async (index: number) => {
		const lane = laneOf(index);
		const previous = lane ? laneTails.get(lane) : undefined;
		const run = (async () => {
			if (previous) await previous.catch(() => undefined);
			if (halted()) return;
			try {
				results[index] = { ok: true, value: await work(index) };
			} catch (error) {
				results[index] = { ok: false, error };
				if (options.onError && !options.onError(index, error)) stopped = true;
			}
		})();
		if (lane) {
			laneTails.set(lane, run);
			void run.finally(() => {
				if (laneTails.get(lane) === run) laneTails.delete(lane);
			});
		}
		await run;
	};

	const worker = async () => {
		while (!halted() && next < count) await runOne(next++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return results;
}
