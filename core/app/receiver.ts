/**
 * One request from Pumble, judged the same way in every host (n8n's App Trigger, Node-RED's pumble-app-events,
 * the benchmark): too large → 413; unsigned, forged, stale or malformed → 401 and nothing starts; signed but not
 * wanted (another event type, another channel, an ignored user) or a redelivery → 200 and nothing starts;
 * otherwise 200 at once and the host starts its flow with `event.item`.
 *
 * The answer is given at once in every case: Pumble waits at most 3 s for slash commands, shortcuts and block
 * interactions (CAKE-com/pumble-node-sdk docs/triggers-reference.md, `ack`). Its body follows the SDK:
 * `ok` for events, and `{ message }` for the others (AddonHttpListener.ts `handleMessage` and `ackFunction`),
 * where `message` is the ephemeral text a slash command may answer with (see docs/pumble-app.md for the
 * readings of how that text reaches the user).
 */
import { MAX_BODY_BYTES } from './constants';
import { MalformedEvent, isInteractive, normalizeEvent, parseEnvelope } from './events';
import type { AppEvent, AppEventName } from './events';
import { RedeliveryMemory, deliveryKey } from './redelivery';
import { verifySignature } from './signature';
import type { HeaderBag } from './signature';

export interface ReceiverOptions {
	signingSecret: string;
	/** Event names that start the flow; empty means every one. */
	events: readonly AppEventName[];
	/** Channels to keep; empty means every channel. An event without a channel (a user joined…) is kept. */
	channelIds?: readonly string[];
	/** Users whose events are dropped (the app's own bot, to keep a flow from triggering itself). */
	ignoreUserIds?: readonly string[];
	/** Ephemeral text answered to a slash command (empty: none). */
	slashCommandReply?: string;
	memory: RedeliveryMemory;
	now?: number;
}

export type Rejection = 'tooLarge' | 'unsigned' | 'forged' | 'stale' | 'malformed';
export type Skip = 'redelivery' | 'notSelected' | 'otherChannel' | 'ignoredUser' | 'unsupported';

export interface Answer {
	status: number;
	/** `ok` as text, or a JSON object. */
	body: string | Record<string, unknown>;
}

export type Verdict =
	| { start: true; event: AppEvent; key: string; answer: Answer }
	| { start: false; reason: Rejection | Skip; message: string; answer: Answer; event?: AppEvent };

const OK: Answer = { status: 200, body: 'ok' };

function ack(event: AppEvent | undefined, reply: string | undefined): Answer {
	if (!event || !isInteractive(event.event)) return OK;
	return { status: 200, body: event.event === 'SLASH_COMMAND' && reply ? { message: reply } : {} };
}

function reject(reason: Rejection, message: string): Verdict {
	return { start: false, reason, message, answer: { status: reason === 'tooLarge' ? 413 : 401, body: { message } } };
}

/** IDs as a host's text field gives them (comma- or space-separated), for `channelIds` and `ignoreUserIds`. */
export function idList(value: unknown): string[] {
	return String(value ?? '')
		.split(/[\s,]+/)
		.map((id) => id.trim())
		.filter(Boolean);
}

export function receive(rawBody: string | Buffer | undefined, headers: HeaderBag, options: ReceiverOptions): Verdict {
	if (rawBody === undefined) return reject('malformed', 'The request has no body to verify');
	if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) return reject('tooLarge', 'The request body is larger than 1 MiB');
	const check = verifySignature(headers, rawBody, { signingSecret: options.signingSecret, now: options.now });
	if (!check.ok) {
		const reason: Rejection =
			check.failure === 'missing' ? 'unsigned' : check.failure === 'stale' ? 'stale' : check.failure === 'badTimestamp' ? 'malformed' : 'forged';
		return reject(reason, check.message);
	}
	let event: AppEvent | undefined;
	try {
		event = normalizeEvent(parseEnvelope(rawBody));
	} catch (error) {
		if (error instanceof MalformedEvent) return reject('malformed', `Malformed request: ${error.message}`);
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- not ours to word: a bug, surfaced as is
		throw error;
	}
	const answer = ack(event, options.slashCommandReply);
	const skip = (reason: Skip, message: string): Verdict => ({ start: false, reason, message, answer, event });
	if (!event) return skip('unsupported', 'A request this trigger does not handle');
	if (options.events.length > 0 && !options.events.includes(event.event)) return skip('notSelected', `${event.event} is not selected`);
	const channels = options.channelIds ?? [];
	if (channels.length > 0 && event.channelId !== undefined && !channels.includes(event.channelId)) {
		return skip('otherChannel', `Channel ${event.channelId} is not watched`);
	}
	if (event.userId !== undefined && (options.ignoreUserIds ?? []).includes(event.userId)) {
		return skip('ignoredUser', `User ${event.userId} is ignored`);
	}
	const key = deliveryKey(rawBody);
	if (!options.memory.firstTime(key)) return skip('redelivery', 'Already received: a redelivery starts nothing');
	return { start: true, event, key, answer };
}
