/**
 * Waiting, the one way: every delay is bounded to what a Node timer can hold, and every wait can be
 * cancelled by the caller's AbortSignal (n8n's Stop button, a closing runtime).
 */

/** Node timers hold at most 2^31 - 1 ms; a longer delay fires after 1 ms with a TimeoutOverflowWarning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A computed delay as a timer can take it: not negative, not NaN, not beyond `max` (default: MAX_TIMER_MS). */
export function boundDelay(ms: number, max = MAX_TIMER_MS): number {
	if (!Number.isFinite(ms)) return ms > 0 ? Math.min(max, MAX_TIMER_MS) : 0;
	return Math.max(0, Math.min(ms, max, MAX_TIMER_MS));
}

/** The caller cancelled: whatever had not started yet will not start. */
export class CancelledError extends Error {
	readonly cancelled = true;
	constructor(message = 'Cancelled') {
		super(message);
		this.name = 'CancelledError';
	}
}

export function isCancelled(error: unknown): boolean {
	return (
		error instanceof CancelledError ||
		(typeof error === 'object' && error !== null && (error as { cancelled?: unknown }).cancelled === true)
	);
}

/** Throws a CancelledError when `signal` has aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new CancelledError();
}

const abortWatchers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` once when `signal` aborts; returns the unsubscribe. However many waits watch one signal
 * (queued requests, sleeps), the signal carries one listener, so Node never warns of a listener leak.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
	if (signal.aborted) {
		callback();
		return () => undefined;
	}
	let watchers = abortWatchers.get(signal);
	if (!watchers) {
		const set = new Set<() => void>();
		watchers = set;
		abortWatchers.set(signal, set);
		signal.addEventListener(
			'abort',
			() => {
				abortWatchers.delete(signal);
				for (const watcher of [...set]) watcher();
			},
			{ once: true },
		);
	}
	const set = watchers;
	set.add(callback);
	return () => void set.delete(callback);
}

/**
 * Resolves after `ms` (bounded by boundDelay), or rejects with a CancelledError as soon as `signal` aborts.
 * The timer does not keep the process alive.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) return Promise.reject(new CancelledError());
	const delay = boundDelay(ms);
	return new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			unsubscribe?.();
			resolve();
		}, delay);
		timer.unref?.();
		const unsubscribe = signal
			? onAbort(signal, () => {
					clearTimeout(timer);
					reject(new CancelledError());
				})
			: undefined;
	});
}
