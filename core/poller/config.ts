/** What the Pumble Trigger watches: its events, its configuration, and the limits of one poll. */

/** The trigger's events, with the labels the node shows. The one list: the node and the core both read it. */
export const TRIGGER_EVENTS = [
	{ value: 'newMessage', name: 'New Message', description: 'A new message in a watched channel or direct message' },
	{ value: 'newReply', name: 'New Thread Reply', description: 'A new reply in a thread of a watched channel' },
	{ value: 'mention', name: 'New Mention', description: "A new message that mentions the API key's user, or a user group they belong to" },
] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number]['value'];

export function isTriggerEvent(value: unknown): value is TriggerEvent {
	return TRIGGER_EVENTS.some((event) => event.value === value);
}

export interface PollConfig {
	event: TriggerEvent;
	/** Channel IDs (or channel names) to watch, or every channel the user is a member of. */
	channels: string[] | 'all';
	/** Messages written by the key's own user. Default false: a workflow that posts must not trigger itself. */
	includeOwn?: boolean;
	/** Messages written by bots (the Pumble bot, API add-on bots, apps). Default false. */
	includeBots?: boolean;
	/** Case-insensitive substring, or `/regex/flags` (matched in linear time, see filters.ts). */
	textFilter?: string;
	/** newMessage / mention: also new thread replies. Default: false for newMessage, true for mention. */
	includeReplies?: boolean;
	/** Top-level messages per channel whose threads are watched for replies (default 100: one page). */
	threadWindow?: number;
}

export { PAGE_SIZE } from '../constants';
export const DEFAULT_THREAD_WINDOW = 100;
export const MAX_THREAD_WINDOW = 1000;
/** Per channel and poll, at most this many pages of new messages; the rest follows on the next poll. */
export const MAX_PAGES_PER_POLL = 20;
/** Newest-first scans (no cursor to go forward from) stop after this many pages: older messages are skipped. */
export const MAX_PAGES_BACK = 50;
/**
 * "All channels": a channel that appears and was created less than this before the previous listing
 * (local clock against Pumble's: the margin absorbs clock skew) is new and read from its first message.
 */
export const NEW_CHANNEL_MARGIN_MS = 10 * 60_000;
/** A failing channel is reported when it starts failing, then at most this often. */
export const REPORT_EVERY_MS = 60 * 60_000;
/** Channels read at once. */
export const CHANNEL_CONCURRENCY = 5;

export function watchesThreads(config: PollConfig): boolean {
	if (config.event === 'newReply') return true;
	return config.includeReplies ?? config.event === 'mention';
}

export function threadWindowOf(config: PollConfig): number {
	const n = Math.floor(Number(config.threadWindow ?? DEFAULT_THREAD_WINDOW));
	return Number.isFinite(n) ? Math.min(MAX_THREAD_WINDOW, Math.max(1, n)) : DEFAULT_THREAD_WINDOW;
}
