/** What the Pumble Trigger watches: its events, its configuration, and the limits of one poll. */

/** The trigger's events, with the labels the node shows. The one list: the node and the core both read it. */
export const TRIGGER_EVENTS = [
	{ value: 'newMessage', name: 'New Message', description: 'A new message in a watched channel or direct message' },
	{ value: 'newReply', name: 'New Thread Reply', description: 'A new reply in a thread of a watched channel' },
	{ value: 'mention', name: 'New Mention', description: "A new message that mentions the API key's user, or a user group they belong to" },
	{ value: 'reactionAdded', name: 'Reaction Added', description: "A reaction added to one of a watched channel's recent messages" },
	{ value: 'messageEdited', name: 'Message Edited', description: "One of a watched channel's recent messages was edited" },
] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number]['value'];

/** The events seen on messages already listed (their reactions and edit marks), not on new messages. */
export type MarkEvent = Extract<TriggerEvent, 'reactionAdded' | 'messageEdited'>;

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
	/** reactionAdded / messageEdited: the newest listed messages per channel re-read each poll (default 100: one page). */
	watchWindow?: number;
	/** reactionAdded: only these emoji (`:+1:`, `+1` or 👍); empty or absent: every reaction. */
	reactions?: string[];
	/** The host's names of these fields where they differ (n8n: `options.textFilter`), for error messages. */
	fields?: Readonly<Partial<Record<'textFilter' | 'reactions', string>>>;
}

export { PAGE_SIZE } from '../constants';
export const DEFAULT_THREAD_WINDOW = 100;
export const MAX_THREAD_WINDOW = 1000;
/** Reaction Added / Message Edited: the newest messages per channel re-read each poll (one page), and at most. */
export const DEFAULT_WATCH_WINDOW = DEFAULT_THREAD_WINDOW;
export const MAX_WATCH_WINDOW = MAX_THREAD_WINDOW;
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

export function watchesMarks(config: PollConfig): config is PollConfig & { event: MarkEvent } {
	return config.event === 'reactionAdded' || config.event === 'messageEdited';
}

export function watchesThreads(config: PollConfig): boolean {
	if (config.event === 'newReply') return true;
	if (watchesMarks(config)) return false;
	return config.includeReplies ?? config.event === 'mention';
}

export function threadWindowOf(config: PollConfig): number {
	return windowOf(config.threadWindow);
}

/** How many of each channel's newest listed messages a reactionAdded / messageEdited poll re-reads. */
export function watchWindowOf(config: PollConfig): number {
	return windowOf(config.watchWindow);
}

function windowOf(value: number | undefined): number {
	const n = Math.floor(Number(value ?? DEFAULT_THREAD_WINDOW));
	return Number.isFinite(n) ? Math.min(MAX_THREAD_WINDOW, Math.max(1, n)) : DEFAULT_THREAD_WINDOW;
}
