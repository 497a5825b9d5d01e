/**
 * The sandbox's own waits, bounded to what a Node timer can hold (2^31 - 1 ms: a longer delay would fire
 * after 1 ms with a TimeoutOverflowWarning). The sandbox imports nothing from the client it exists to test.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A computed delay as a timer can take it: not negative, not NaN, not beyond a timer's limit. */
export function boundDelay(ms: number): number {
	if (!Number.isFinite(ms)) return ms > 0 ? MAX_TIMER_MS : 0;
	return Math.max(0, Math.min(ms, MAX_TIMER_MS));
}

/** Waits `ms` (bounded), or less, without error, when `signal` aborts first. */
export function hold(ms: number, signal: AbortSignal): Promise<void> {
	if (signal.aborted) return Promise.resolve();
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, boundDelay(ms));
		signal.addEventListener('abort', done, { once: true });
	});
}
