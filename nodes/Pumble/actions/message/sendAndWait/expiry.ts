/**
 * Marking a waiting message as expired when its wait limit passes. The host resumes the workflow on its
 * own at that moment without running any of our code, so the process that sent the message keeps a timer
 * (not keeping the process alive). When it fires, the message is read first and edited only if it still
 * offers its links: an answer given meanwhile, even through another process, is never overwritten.
 * A process that stops before the limit leaves the message as it was (it still says "Answer by …").
 */
import type { PumbleApi } from '../../../../../core/api';
import { processState } from '../../../../../core/processState';
import { isCancelled, sleep } from '../../../../../core/time';
import { Choice, renderAnswered, stillWaiting } from './rendering/render';

export interface ExpiryInput {
	api: PumbleApi;
	channelId: string;
	messageId: string;
	message: string;
	choices: Choice[];
	/** Epoch ms of the wait limit. */
	at: number;
	timeZone?: string;
	now?: () => number;
	/** Told when reading or editing the message failed (the outcome is then 'failed'). */
	onError?: (error: unknown) => void;
}

/**
 * Timers of this process, by the waiting execution's key (one message per execution and node). An entry
 * dropped by the cache's bounds only loses the early stop: the timer still reads before it edits.
 */
const pending = processState.boundedCache<AbortController>('sendAndWait.expiryTimers', { ttlMs: 366 * 24 * 3_600_000, maxEntries: 10_000 });

/** Edits the message to "expired" at `at` unless it was answered first. Resolves (never rejects) when done. */
export async function expireAt(key: string, input: ExpiryInput): Promise<'expired' | 'answered' | 'cancelled' | 'failed'> {
	cancelExpiry(key);
	const controller = new AbortController();
	pending.set(key, controller);
	const now = input.now ?? Date.now;
	try {
		// sleep() is bounded to what one timer holds: loop for longer limits.
		while (now() < input.at) await sleep(input.at - now(), controller.signal);
		const current = await input.api.fetchMessage({ channel: { id: input.channelId }, messageId: input.messageId });
		if (!stillWaiting(current.text, input.choices)) return 'answered';
		const expired = renderAnswered({ message: input.message, outcome: 'expired', at: input.at, timeZone: input.timeZone });
		await input.api.editMessage({ channel: { id: input.channelId }, messageId: input.messageId, ...expired });
		return 'expired';
	} catch (error) {
		if (isCancelled(error)) return 'cancelled';
		input.onError?.(error);
		return 'failed';
	} finally {
		if (pending.peek(key) === controller) pending.delete(key);
	}
}

/** Stops this process's timer for `key` (the message was answered). */
export function cancelExpiry(key: string): void {
	pending.peek(key)?.abort();
	pending.delete(key);
}

/** How many expiry timers this process holds (for tests and diagnostics). */
export function pendingExpiries(): number {
	return pending.size;
}
