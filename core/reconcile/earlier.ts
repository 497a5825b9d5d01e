/**
 * An item whose earlier attempt (an execution that failed or crashed) started a write and never learned
 * its outcome. The host runs the item inside `withEarlierAttempt`; a reconciled send then looks in Pumble
 * first, back to the earlier attempt's start, and sends only when nothing is there; any other write
 * refuses to go out (its outcome stays unknown: it cannot be looked for).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import { PumbleApiError } from '../errors';

export interface EarlierAttempt {
	/** When the earlier attempt's write started (ms); for a scan, how far back to look. */
	since: number;
	/**
	 * `pending`: an earlier attempt's write whose outcome is unknown (other writes are held). `scan`: no
	 * record exists, the user asked to look ("On Retry: Skip Messages Already in the Channel"): a message
	 * found is claimed even among several identical ones, and other writes go ahead.
	 */
	kind: 'pending' | 'scan';
	/** A scan's run: the messages its items claimed or sent (each message answers one item). */
	claimed?: Set<string>;
	/** Set once a reconciled send has looked: its own write may then go. */
	looked?: boolean;
}

const storage = new AsyncLocalStorage<EarlierAttempt>();

export function withEarlierAttempt<T>(since: number, work: () => Promise<T>, kind: EarlierAttempt['kind'] = 'pending', claimed?: Set<string>): Promise<T> {
	return storage.run({ since, kind, claimed }, work);
}

export function earlierAttempt(): EarlierAttempt | undefined {
	return storage.getStore();
}

/** The failure an earlier attempt left: its answer never came. */
export function earlierFailure(operation: string): PumbleApiError {
	return new PumbleApiError({
		operation,
		apiMessage: 'an earlier attempt of this item (a run that failed or crashed) sent it and never got the answer',
		hint: '',
		outcome: 'unknown',
	});
}

/** A write other than a reconciled send, whose earlier attempt's outcome is unknown: it does not go out again. */
export function unknownEarlierWrite(operation: string): PumbleApiError {
	return new PumbleApiError({
		operation,
		apiMessage: 'an earlier attempt of this item (a run that failed or crashed) started this write and never got the answer',
		hint: 'It may or may not have happened, and this kind of write cannot be looked up, so it was not made again. Check in Pumble; to make it anyway, start it anew rather than as a retry of the failed run.',
		outcome: 'unknown',
	});
}
