/**
 * The poll's memory, kept by the host between polls (n8n: the workflow's static data).
 *
 * Pumble's timestamps have second precision, so "newest timestamp seen" alone cannot tell a message
 * that arrived later in the same second from one already emitted. Each watched channel therefore keeps
 *   - `ts`: the newest timestamp handled, `ids`: the IDs handled at exactly that timestamp, and
 *   - `last`: the ID of the newest handled message — the cursor for `listMessages?strategy=AFTER`.
 * A message is new unless `timestamp < ts`, or `timestamp == ts` and its ID is in `ids`. "Handled" means
 * read and judged: filtered-out messages (own, bots, text filter, no mention) advance the state too.
 */
import type { Message } from '../types';

export interface ThreadState {
	/** repliesCount when last looked at. */
	n: number;
	/** Newest reply timestamp handled. */
	ts: number;
	/** Reply IDs handled at `ts`; absent for a thread only baselined from its root's threadRootInfo. */
	ids?: string[];
}

export interface ChannelFailure {
	message: string;
	status?: number;
	/** Epoch ms of the first failing poll of this streak. */
	since: number;
	count: number;
	/** When it was last reported to the user. */
	reportedAt?: number;
}

export interface ChannelState {
	ts: number;
	ids: string[];
	/** The AFTER cursor; absent while the channel was empty (or the cursor is unknown). */
	last?: string;
	/** Watched threads with replies, by root ID (thread stream only). */
	threads?: Record<string, ThreadState>;
	/**
	 * Oldest root of the watched window: roots newer than this without a thread entry had no replies. For
	 * Reaction Added / Message Edited, the window's oldest message: one newer without a `marks` entry had none.
	 */
	floor?: { ts: number; ids: string[] };
	/** Reaction Added: the reactions of each watched message that has any, one short hash per user and emoji (marks.ts). */
	reacted?: Record<string, string[]>;
	/** Message Edited: a short hash of the content of each watched message marked as edited (marks.ts). */
	edits?: Record<string, string>;
	/** Reaction Added / Message Edited: counts the reads that changed what is remembered (in each event's deduplication key). */
	gen?: number;
	failure?: ChannelFailure;
	/** Never read successfully yet: when it first reads, start at `ts` (0 = from its newest message). */
	unread?: true;
	/** The previous poll's time budget ran out before this channel was read: it is read first. */
	deferred?: true;
}

export interface TriggerState {
	v: 1;
	channels: Record<string, ChannelState>;
	/** "All channels": local epoch ms of the last channel listing (to tell new channels from joined ones). */
	listedAt?: number;
}

/** How a channel without state starts: from its newest message, or from a time (a new channel: its first message). */
export type Start = 'baseline' | { since: number };

export function isState(value: unknown): value is TriggerState {
	return !!value && typeof value === 'object' && (value as TriggerState).v === 1 && typeof (value as TriggerState).channels === 'object';
}

/** Handled before: older than the watermark, or at it and remembered. */
export function handled(m: Message, st: { ts: number; ids: string[] }): boolean {
	return m.timestampMilli < st.ts || (m.timestampMilli === st.ts && st.ids.includes(m.id));
}

/** The state of a channel first seen now: its newest message (newest first list) is the place. */
export function baselineFrom(newestFirst: Message[]): ChannelState {
	const newest = newestFirst[0];
	if (!newest) return { ts: 0, ids: [] };
	return { ts: newest.timestampMilli, ids: newestFirst.filter((m) => m.timestampMilli === newest.timestampMilli).map((m) => m.id), last: newest.id };
}

/** The state after handling `fresh` (oldest first); `top` is the next AFTER cursor. */
export function advance(from: ChannelState, fresh: Message[], top: Message | undefined): ChannelState {
	const next: ChannelState = { ts: from.ts, ids: [...from.ids], ...(from.last ? { last: from.last } : {}) };
	for (const m of fresh) {
		if (m.timestampMilli > next.ts) {
			next.ts = m.timestampMilli;
			next.ids = [m.id];
		} else if (m.timestampMilli === next.ts && !next.ids.includes(m.id)) {
			next.ids.push(m.id);
		}
	}
	if (top) next.last = top.id;
	return next;
}
