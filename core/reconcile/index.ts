/**
 * Reconcile, don't guess. A send, reply or direct message whose request failed with an unknown outcome
 * (the connection broke after sending, the answer timed out, was cut off or unreadable, a 5xx came back)
 * may or may not have been posted. Sending it again blindly could post it twice; giving up could lose it.
 * So before deciding, look:
 *
 * 1. wait a moment (`settleMs`), so a request Pumble is still processing has landed;
 * 2. read the newest messages of the conversation the send went to (the channel, the thread for a
 *    reply, the direct conversation for a DM; see `look.ts`) for a message
 *      - by the key's user (with "Send as Bot": by an add-on bot; for a DM by either, since Pumble may post
 *        a bot's DM as the user),
 *      - carrying the same text as Pumble keeps it (matching.ts),
 *      - posted at or after this send's first request left, truncated down to the second (Pumble's
 *        timestamps have whole-second precision) — not the time the item started waiting in the queue,
 *      - and not already the answer of another send of this process (answered.ts);
 * 3. exactly one such message → it is the result (`reconciled: true`). Two or more → another item's or
 *    another worker's identical message may be among them: nothing is claimed and nothing sent, the error
 *    says so. None → look once more when `landingMs` has passed since the failure (a write Pumble carries
 *    out after the connection dropped can land late); still none → send once more, at most `maxResends`
 *    times in all, each again checked the same way.
 *
 * A look that fails, or cannot read where the message would be, leaves the outcome unknown: the error
 * says so, and nothing is sent again. Cancellation ends everything at once: no look, no resend.
 * Writes other than these four are not reconciled: their unknown outcome is reported (see client.ts).
 */
import { PumbleApiError } from '../errors';
import { isCancelled, sleep } from '../time';
import type { MessageReceipt } from '../types';
import { answeredSends } from './answered';
import { earlierAttempt, earlierFailure } from './earlier';
import { cancelledWhileChecking, ambiguous, couldNotCheck, couldNotRead, notFound } from './outcomes';
import { Lookout, type SendLookup } from './look';

export { answeredSends, AnsweredSends } from './answered';
export { findDirectChannel } from './matching';
export { earlierAttempt, withEarlierAttempt, unknownEarlierWrite } from './earlier';
export type { SendLookup } from './look';

export interface ReconcileSettings {
	/** Wait before a look, times the look's number (1 s, 2 s, …): gives a slow write time to land. */
	settleMs: number;
	/**
	 * A look that decides "not posted" starts at least this long after the failure: a write Pumble still
	 * carries out after the connection dropped is assumed to land within it (an assumption: Pumble does
	 * not document it; the sandbox's late commits land after 2 s).
	 */
	landingMs: number;
	/** Sends after the first one, each only after a look found nothing. */
	maxResends: number;
	/** Messages per page when looking. */
	lookPageSize: number;
	/** Pages read per look at most (a busy channel may have many messages since the attempt began). */
	lookMaxPages: number;
	/** Times a look is repeated when its reads fail (each read already has the client's retries). */
	lookTries: number;
}

export const DEFAULT_RECONCILE_SETTINGS: ReconcileSettings = {
	settleMs: 1_000,
	landingMs: 3_000,
	maxResends: 6,
	lookPageSize: 50,
	lookMaxPages: 20,
	lookTries: 3,
};

/** What the four reconciled sends return: Pumble's receipt, plus how it was obtained when not plainly. */
export interface ReconciledReceipt extends MessageReceipt {
	/** The send's answer was lost, and the message was found in Pumble instead of being sent again. */
	reconciled?: true;
	/** Sends it took (present when more than one: the earlier ones were checked and found missing). */
	attempts?: number;
	/** An earlier execution's attempt had posted it: found in Pumble, not sent again. */
	alreadySent?: true;
}

/** Where a send goes, as far as looking for it is concerned (channel names are resolved before sending). */
export type SendTarget = { kind: 'channel'; channelId: string; threadRootId?: string } | { kind: 'dm'; userIds: string[] };

/** Told by the client when the request actually leaves (after any queue wait). */
export interface SendHooks {
	dispatched(at: number): void;
}

export interface ReconciledSend {
	/** The operation name, for errors (`sendMessage`, `sendReply`, `dmUser`, `dmGroup`). */
	operation: string;
	target: SendTarget;
	text: string;
	/** The blocks sent with the text, if any: Pumble may keep only these. */
	blocks?: unknown;
	asBot: boolean;
	/** Sends once; throws PumbleApiError on failure. */
	send(hooks: SendHooks): Promise<MessageReceipt>;
}

export interface ReconcileClock {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export class SendReconciler {
	readonly settings: ReconcileSettings;
	private readonly lookout: Lookout;

	constructor(
		private readonly lookup: SendLookup,
		settings: Partial<ReconcileSettings> = {},
		/** The execution's cancel signal: ends every wait and look. */
		private readonly signal?: AbortSignal,
		private readonly clock: ReconcileClock = { now: Date.now, sleep },
	) {
		this.settings = { ...DEFAULT_RECONCILE_SETTINGS, ...settings };
		this.lookout = new Lookout(lookup, this.settings);
	}

	async send(request: ReconciledSend): Promise<ReconciledReceipt> {
		const identity = this.lookup.identity;
		const earlier = earlierAttempt();
		if (earlier && !earlier.looked) {
			earlier.looked = true;
			const found = await this.lookForEarlier(request, earlier.since, earlier.kind === 'scan');
			if (found) return found;
		}
		// The earliest a message of this send can carry: the first request's departure, down to the second.
		let since: number | undefined;
		let attempts = 0;
		let looks = 0;
		for (;;) {
			attempts++;
			const attemptStart = this.clock.now();
			let dispatchedAt: number | undefined;
			const outcome = await request.send({ dispatched: (at) => (dispatchedAt ??= at) }).then(
				(receipt) => ({ receipt }),
				(error: unknown) => ({ error }),
			);
			since ??= Math.floor((dispatchedAt ?? attemptStart) / 1000) * 1000;
			if ('receipt' in outcome) {
				answeredSends.add(identity, outcome.receipt.id);
				earlier?.claimed?.add(outcome.receipt.id);
				if (request.asBot && request.target.kind === 'dm') answeredSends.rememberBotDm(identity, outcome.receipt.channelId);
				return attempts > 1 ? { ...outcome.receipt, attempts } : { ...outcome.receipt };
			}
			// Only an unknown outcome is worth a look; anything else (a cancellation too) is the item's answer.
			const failure = outcome.error;
			if (!(failure instanceof PumbleApiError) || failure.outcome !== 'unknown' || isCancelled(failure)) throw failure;
			const failedAt = this.clock.now();

			let result: Awaited<ReturnType<Lookout['look']>> | undefined;
			for (;;) {
				looks++;
				try {
					await this.clock.sleep(this.settings.settleMs * looks, this.signal);
					result = await this.lookWithRetries(request, since);
				} catch (error) {
					if (isCancelled(error)) throw cancelledWhileChecking(request, failure, attempts);
					throw couldNotCheck(request, failure, error, attempts);
				}
				// Found, unreadable or ambiguous: decided. Nothing found: decided once the landing time has passed.
				const open = result.kind === 'none' || result.kind === 'undecided';
				if (!open || this.clock.now() - failedAt >= this.settings.landingMs) break;
				const rest = this.settings.landingMs - (this.clock.now() - failedAt) - this.settings.settleMs * (looks + 1);
				if (rest > 0) {
					const waited = await this.clock.sleep(rest, this.signal).then(
						() => true,
						(error: unknown) => error,
					);
					if (waited !== true) {
						if (isCancelled(waited)) throw cancelledWhileChecking(request, failure, attempts);
						throw waited;
					}
				}
			}
			switch (result.kind) {
				case 'found':
					answeredSends.add(identity, result.message.id);
					return {
						id: result.message.id,
						channelId: result.message.channelId ?? result.channelId,
						reconciled: true,
						...(attempts > 1 ? { attempts } : {}),
					};
				case 'ambiguous':
					throw ambiguous(request, failure, result.count, attempts);
				case 'unreadable':
				case 'undecided':
					throw couldNotRead(request, failure, result.why, attempts);
				case 'none':
					if (attempts > this.settings.maxResends) throw notFound(request, failure, attempts, this.settings.landingMs);
			}
		}
	}

	/** An earlier execution's attempt whose answer never came: its message, or undefined when it is not there. */
	private async lookForEarlier(request: ReconciledSend, startedAt: number, scan: boolean): Promise<ReconciledReceipt | undefined> {
		const failure = earlierFailure(request.operation);
		let result: Awaited<ReturnType<Lookout['look']>>;
		try {
			// a scan looks for messages of earlier executions, which this process may have sent: only this run's claims count
			const claimed = scan ? (id: string) => earlierAttempt()?.claimed?.has(id) === true : undefined;
			result = await this.lookWithRetries(request, Math.floor(startedAt / 1000) * 1000, claimed);
		} catch (error) {
			if (isCancelled(error)) throw cancelledWhileChecking(request, failure, 1);
			throw couldNotCheck(request, failure, error, 1);
		}
		switch (result.kind) {
			case 'found':
				answeredSends.add(this.lookup.identity, result.message.id);
				earlierAttempt()?.claimed?.add(result.message.id);
				return { id: result.message.id, channelId: result.message.channelId ?? result.channelId, reconciled: true, alreadySent: true };
			case 'ambiguous': {
				if (!scan) throw ambiguous(request, failure, result.count, 1);
				// asked to skip what is there: each identical item claims one of them, the oldest first
				const oldest = [...result.messages].sort((a, b) => a.timestampMilli - b.timestampMilli)[0];
				answeredSends.add(this.lookup.identity, oldest.id);
				earlierAttempt()?.claimed?.add(oldest.id);
				return { id: oldest.id, channelId: oldest.channelId ?? '', reconciled: true, alreadySent: true };
			}
			case 'unreadable':
			case 'undecided':
				if (scan) return undefined; // nothing readable to skip: send
				throw couldNotRead(request, failure, result.why, 1);
			case 'none':
				return undefined;
		}
	}

	private async lookWithRetries(request: ReconciledSend, since: number, claimed?: (id: string) => boolean): ReturnType<Lookout['look']> {
		let lastError: unknown;
		for (let tryNumber = 1; tryNumber <= this.settings.lookTries; tryNumber++) {
			try {
				return await this.lookout.look(request, since, claimed);
			} catch (error) {
				lastError = error;
				if (isCancelled(error)) break;
				// Only failures that may pass are worth another look; a refusal (403, bad input) will not.
				if (error instanceof PumbleApiError && error.outcome === 'rejected' && error.status !== undefined && error.status < 500) break;
				if (!(error instanceof PumbleApiError)) break;
				if (tryNumber < this.settings.lookTries) await this.clock.sleep(this.settings.settleMs * tryNumber, this.signal);
			}
		}
		throw lastError;
	}
}
