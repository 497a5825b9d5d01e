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
	constructor(message = 'The execution was cancelled') {
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

/**
 * Resolves after `ms` (bounded by boundDelay), or rejects with a CancelledError as soon as `signal` aborts.
 * The timer does not keep the process alive.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) return Promise.reject(new CancelledError());
	const delay = boundDelay(ms);
	return new Promise<void>((resolve, reject) => {
		const onAbort = (): void => {
			clearTimeout(timer);
			reject(new CancelledError());
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, delay);
		timer.unref?.();
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
