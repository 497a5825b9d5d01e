/**
 * Reconcile, don't guess. A send, reply or direct message whose request failed with an unknown outcome
 * (the connection broke after sending, the answer timed out, was cut off or unreadable, a 5xx came back)
 * may or may not have been posted. Sending it again blindly could post it twice; giving up could lose it.
 * So before deciding, look:
 *
 * 1. wait a moment (`settleMs`), so a request Pumble is still processing has landed;
 * 2. read the newest messages of the conversation the send went to — the channel, the thread for a
 *    reply, the direct conversation for a DM (found among `listChannels`' DIRECT entries with exactly
 *    those people) — for a message
 *      - by the key's user (or, with "Send as Bot", by an add-on bot),
 *      - with the same text,
 *      - posted at or after the first attempt began, truncated down to the second (Pumble's timestamps
 *        have whole-second precision),
 *      - and not already the answer of another send of this process (two items may send the same text);
 * 3. found → that message is the result (`reconciled: true`); not found → send once more. If that send
 *    fails the same way, look again before any further send, at most `maxResends` times in all.
 *
 * A look that itself fails leaves the outcome unknown: the error says so, and nothing is sent again.
 * Writes other than these four are not reconciled: their unknown outcome is reported (see client.ts).
 */
import type { PumbleApi } from './api';
import { ENDPOINTS } from './endpoints';
import { PumbleApiError } from './errors';
import type { ChannelEntry, ChannelRef, Message, MessageReceipt } from './types';

export interface ReconcileSettings {
	/** Wait before a look, times the look's number (1 s, 2 s, …): gives a slow write time to land. */
	settleMs: number;
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
}

/** Where a send goes, as far as looking for it is concerned. */
export type SendTarget =
	| { kind: 'channel'; channel: ChannelRef; threadRootId?: string }
	| { kind: 'dmUser'; userId: string }
	| { kind: 'dmGroup'; userIds: string[] };

export interface ReconciledSend {
	/** The operation name, for errors (`sendMessage`, `sendReply`, `dmUser`, `dmGroup`). */
	operation: string;
	target: SendTarget;
	text: string;
	asBot: boolean;
	/** Sends once; throws PumbleApiError on failure. */
	send(): Promise<MessageReceipt>;
}

// ---------------------------------------------------------------- answered sends of this process

/**
 * Message IDs this process already reported as the result of a send, per API key identity, kept for a
 * while. A look never claims one of them: if item 1 posted "Hello" and item 2's identical "Hello" was
 * lost in the same second, item 1's message is not item 2's. Bounded in size and age.
 */
class AnsweredSends {
	private readonly byIdentity = new Map<string, Map<string, number>>();

	constructor(
		private readonly retentionMs: number,
		private readonly maxPerIdentity: number,
	) {}

	add(identity: string, id: string, now = Date.now()): void {
		let ids = this.byIdentity.get(identity);
		if (!ids) this.byIdentity.set(identity, (ids = new Map()));
		ids.delete(id);
		ids.set(id, now);
		// Oldest first (insertion order): drop what is too old or too many.
		for (const [oldId, at] of ids) {
			if (ids.size <= this.maxPerIdentity && at > now - this.retentionMs) break;
			ids.delete(oldId);
		}
	}

	has(identity: string, id: string): boolean {
		return this.byIdentity.get(identity)?.has(id) ?? false;
	}

	size(identity: string): number {
		return this.byIdentity.get(identity)?.size ?? 0;
	}
}

/** Ten minutes covers any attempt (timeouts, retries and looks finish well within it). */
export const answeredSends = new AnsweredSends(10 * 60_000, 20_000);

// ---------------------------------------------------------------- the reconciler

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SendReconciler {
	readonly settings: ReconcileSettings;

	constructor(
		private readonly api: PumbleApi,
		settings: Partial<ReconcileSettings> = {},
		private readonly clock: { now(): number; sleep(ms: number): Promise<void> } = { now: Date.now, sleep: defaultSleep },
	) {
		this.settings = { ...DEFAULT_RECONCILE_SETTINGS, ...settings };
	}

	private get identity(): string {
		return this.api.client.identity;
	}

	async send(request: ReconciledSend): Promise<ReconciledReceipt> {
		// Pumble's timestamps are whole seconds: a message posted by this attempt carries a timestamp at or
		// after the attempt's start truncated down to the second.
		const since = Math.floor(this.clock.now() / 1000) * 1000;
		let attempts = 0;
		let looks = 0;
		for (;;) {
			attempts++;
			const outcome = await request.send().then(
				(receipt) => ({ receipt }),
				(error: unknown) => ({ error }),
			);
			if ('receipt' in outcome) {
				answeredSends.add(this.identity, outcome.receipt.id);
				return attempts > 1 ? { ...outcome.receipt, attempts } : { ...outcome.receipt };
			}
			// Only an unknown outcome is worth a look; anything else is the item's answer.
			if (!(outcome.error instanceof PumbleApiError) || outcome.error.outcome !== 'unknown') throw outcome.error;
			const failure = outcome.error;

			looks++;
			await this.clock.sleep(this.settings.settleMs * looks);
			let found: Message | undefined;
			let channelId: string | undefined;
			try {
				({ found, channelId } = await this.lookWithRetries(request, since));
			} catch (lookError) {
				throw couldNotCheck(request, failure, lookError, attempts);
			}
			if (found) {
				answeredSends.add(this.identity, found.id);
				return {
					id: found.id,
					channelId: found.channelId ?? channelId ?? '',
					reconciled: true,
					...(attempts > 1 ? { attempts } : {}),
				};
			}
			if (attempts > this.settings.maxResends) throw notSent(request, failure, attempts);
		}
	}

	private async lookWithRetries(request: ReconciledSend, since: number): Promise<{ found?: Message; channelId?: string }> {
		let lastError: unknown;
		for (let tryNumber = 1; tryNumber <= this.settings.lookTries; tryNumber++) {
			try {
				return await this.look(request, since);
			} catch (error) {
				lastError = error;
				// Only failures that may pass are worth another look; a refusal (403, bad input) will not.
				if (error instanceof PumbleApiError && error.outcome === 'rejected' && error.status !== undefined && error.status < 500) break;
				if (!(error instanceof PumbleApiError)) break;
				if (tryNumber < this.settings.lookTries) await this.clock.sleep(this.settings.settleMs * tryNumber);
			}
		}
		throw lastError;
	}

	/** One look: the conversation, then its newest messages back to `since`. */
	async look(request: ReconciledSend, since: number): Promise<{ found?: Message; channelId?: string }> {
		const authors = await this.authorsOf(request.asBot);
		const { target } = request;
		let channelId: string | undefined;
		if (target.kind === 'channel') {
			channelId = await this.channelIdOf(target.channel);
		} else {
			const me = (await this.api.myInfo()).id;
			const people = new Set([me, ...(target.kind === 'dmUser' ? [target.userId] : target.userIds)]);
			channelId = findDirectChannel(await this.api.listChannels(), people);
			// No such conversation: the DM was not posted (Pumble opens the conversation with the first message).
			if (!channelId) return {};
		}
		const threadRootId = target.kind === 'channel' ? target.threadRootId : undefined;
		const found = await this.findMessage({ channelId, threadRootId, authors, text: request.text, since });
		return { found, channelId };
	}

	/** The user the key acts as, or — with "Send as Bot" — the add-on bots (the API does not say which is the key's). */
	private async authorsOf(asBot: boolean): Promise<Set<string>> {
		if (!asBot) return new Set([(await this.api.myInfo()).id]);
		const bots = (await this.api.listUsers({ cached: true })).filter((user) => user.isAddonBot === true).map((user) => user.id);
		return new Set(bots);
	}

	private async channelIdOf(channel: ChannelRef): Promise<string> {
		if ('id' in channel) return channel.id;
		try {
			return await this.api.channelId(channel);
		} catch {
			// The cached list may predate the channel: ask once more, fresh.
			await this.api.listChannels();
			return await this.api.channelId(channel);
		}
	}

	private async findMessage(where: {
		channelId: string;
		threadRootId?: string;
		authors: Set<string>;
		text: string;
		since: number;
	}): Promise<Message | undefined> {
		const { channelId, threadRootId, authors, text, since } = where;
		const wanted = comparable(text);
		const matches: Message[] = [];
		const seen = new Set<string>();
		let cursor: string | undefined;
		for (let page = 0; page < this.settings.lookMaxPages; page++) {
			const messages = threadRootId
				? await this.threadPage(channelId, threadRootId, cursor)
				: ((await this.api.listMessagesPage({ channel: { id: channelId }, cursor, limit: this.settings.lookPageSize })).messages ?? []);
			let added = 0;
			let reachedOlder = false;
			for (const message of messages) {
				if (seen.has(message.id)) continue;
				seen.add(message.id);
				added++;
				if (message.timestampMilli < since) {
					reachedOlder = true;
					continue;
				}
				if (authors.has(message.author) && comparable(message.text ?? '') === wanted && !answeredSends.has(this.identity, message.id)) {
					matches.push(message);
				}
			}
			const last = messages[messages.length - 1];
			if (reachedOlder || added === 0 || !last || messages.length < this.settings.lookPageSize) break;
			cursor = last.id;
		}
		// The earliest match is the one this send produced (a later one would be someone else's).
		matches.sort((a, b) => a.timestampMilli - b.timestampMilli);
		return matches[0];
	}

	private async threadPage(channelId: string, rootMessageId: string, cursor: string | undefined): Promise<Message[]> {
		const answer = await this.api.client.call<Message[] | { messages?: Message[] }>(ENDPOINTS.fetchThreadReplies, {
			query: { channelId, rootMessageId, ...(cursor ? { cursor } : {}), limit: this.settings.lookPageSize },
		});
		return Array.isArray(answer) ? answer : (answer?.messages ?? []);
	}
}

/** The DIRECT conversation whose members are exactly `people`. */
export function findDirectChannel(entries: ChannelEntry[], people: Set<string>): string | undefined {
	const entry = entries.find(
		(candidate) =>
			candidate.channel.channelType === 'DIRECT' &&
			new Set(candidate.users).size === people.size &&
			candidate.users.every((user) => people.has(user)),
	);
	return entry?.channel.id;
}

/** Text as compared: Pumble may normalise line ends and surrounding blanks. */
function comparable(text: string): string {
	return text.replace(/\r\n?/g, '\n').trim();
}

function where(target: SendTarget): string {
	switch (target.kind) {
		case 'channel':
			return target.threadRootId ? `the thread of message ${target.threadRootId}` : `channel ${'id' in target.channel ? target.channel.id : `"${target.channel.name}"`}`;
		case 'dmUser':
			return `the direct conversation with user ${target.userId}`;
		case 'dmGroup':
			return `the group conversation with ${target.userIds.join(', ')}`;
	}
}

function couldNotCheck(request: ReconciledSend, failure: PumbleApiError, lookError: unknown, attempts: number): PumbleApiError {
	const why = lookError instanceof Error ? lookError.message : String(lookError);
	return new PumbleApiError({
		operation: request.operation,
		status: failure.status,
		networkFailure: failure.networkFailure,
		apiMessage: `${failure.apiMessage}; checking whether the message arrived failed too (${why})`,
		hint: `The message may or may not have been posted${attempts > 1 ? ` (${attempts} attempts)` : ''}. Look in ${where(request.target)} before running this item again, so it is not posted twice.`,
		outcome: 'unknown',
	});
}

function notSent(request: ReconciledSend, failure: PumbleApiError, attempts: number): PumbleApiError {
	return new PumbleApiError({
		operation: request.operation,
		status: failure.status,
		networkFailure: failure.networkFailure,
		apiMessage: `${failure.apiMessage}; the message is not in ${where(request.target)} after ${attempts} attempts`,
		hint: 'Nothing was posted: each failed attempt was checked in Pumble. It is safe to run this item again once Pumble answers normally.',
		outcome: 'notProcessed',
	});
}
