/**
 * Reactions and edits, as far as an API key can see them. The add-on has no events: a message listed by
 * listMessages carries `reactions` (one `{ user, code }` per user and emoji, without a time) and `edited`
 * (a flag; no edit time is documented or recorded). So a Reaction Added or Message Edited poll re-reads
 * each channel's newest `watchWindow` listed messages and compares them with what it remembered:
 * - a reaction (user and emoji) that was not on the message at the last read was added since;
 * - a message whose content (text, blocks, attachments, files, and an edit time should Pumble send one)
 *   changed since the last read, or that turned `edited`, was edited.
 * What is remembered stays small and bounded by the window: per watched message with reactions, a short
 * hash per reaction; per watched message marked as edited, a short hash of its content (of every watched
 * message, should Pumble send no `edited` flag at all). A message newer than the previous window's oldest
 * (the floor) without an entry had no reaction (no edit) at the last read; a message new since the last
 * poll had none before it existed. A message with no history (the first poll, one that moved into the
 * window because newer ones were deleted) is remembered without an event.
 * Not seen: changes to messages older than the window, to thread replies (listMessages lists none), a
 * reaction removed and added back between two polls, reactions removed, and edits of the deleted.
 */
import { createHash } from 'crypto';

import type { Message, Reaction } from '../types';
import type { MarkEvent } from './config';
import { olderFirst } from './order';
import { handled, type ChannelState } from './state';

/** One reaction added, or one edit seen, on a message. */
export interface MarkChange {
	message: Message;
	/** Reaction Added: the reaction. */
	reaction?: Reaction;
	/** Stable for a poll that is repeated from the same state; new for every later occurrence. */
	key: string;
}

/** Edit times some Pumble answers might carry (none is documented or recorded): part of the content when present. */
const EDIT_TIME_FIELDS = ['editedAt', 'editedTimestamp', 'editedTimestampMilli', 'editTimestampMilli', 'updatedAt', 'updatedTimestampMilli'];

const short = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 8);

export function reactionHash(reaction: Reaction): string {
	return short(`${reaction.user}\u0000${reaction.code}`);
}

/** The message's content as one short hash: what an edit changes. */
export function contentHash(message: Message): string {
	const files = (message.files ?? []).map((file) => (file && typeof file === 'object' && 'id' in file ? (file as { id: unknown }).id : file));
	const times = EDIT_TIME_FIELDS.map((field) => message[field] ?? null);
	return short(JSON.stringify([message.text ?? '', message.blocks ?? null, message.attachments ?? [], files, message.edited ?? null, times]));
}

type Remembered = Pick<ChannelState, 'reacted' | 'edits' | 'floor' | 'gen'>;

/**
 * Compares the listed messages (newest first, each once) with what `before` remembered. `from` is the
 * watermark of the last read (messages after it are new since then); undefined for a first read, which
 * remembers without events. Returns the changes, oldest message first (a message's reactions in Pumble's
 * order), and what to remember: the entries of the newest `keep` listed messages and the window's floor.
 */
export function compareMarks(
	event: MarkEvent,
	listedNewestFirst: Message[],
	before: ChannelState | undefined,
	from: { ts: number; ids: string[] } | undefined,
	keep: number,
): { state: Remembered; changes: MarkChange[] } {
	const window = listedNewestFirst.slice(0, keep);
	const inWindow = new Set(window.map((m) => m.id));
	const previous = event === 'reactionAdded' ? before?.reacted : before?.edits;
	const floor = previous ? before?.floor : undefined; // a floor from another event's state says nothing here
	const wasWatched = (m: Message) => !!floor && (m.timestampMilli > floor.ts || (m.timestampMilli === floor.ts && floor.ids.includes(m.id)));
	const isNew = (m: Message) => !!from && !handled(m, from);
	const gen = before?.gen ?? 0;
	const reacted: Record<string, string[]> = {};
	const edits: Record<string, string> = {};
	const changes: MarkChange[] = [];

	for (const m of [...listedNewestFirst].sort(olderFirst)) {
		if (m.deleted) continue;
		const remembered = previous?.[m.id];
		// Compared with nothing: no history of this message (remembered now, no event).
		const known = remembered !== undefined || isNew(m) || wasWatched(m);
		if (event === 'reactionAdded') {
			const had = new Set((remembered as string[] | undefined) ?? []);
			const now: string[] = [];
			for (const reaction of m.reactions ?? []) {
				const hash = reactionHash(reaction);
				if (now.includes(hash)) continue;
				now.push(hash);
				if (known && !had.has(hash)) changes.push({ message: m, reaction: { user: reaction.user, code: reaction.code }, key: `${m.id}:${gen}:${hash}` });
			}
			if (now.length > 0 && inWindow.has(m.id)) reacted[m.id] = now.sort();
		} else {
			// Without an `edited` flag, every message's content is remembered, and a change of it is the only sign.
			if (m.edited !== true && typeof m.edited === 'boolean') continue;
			const now = contentHash(m);
			const edited = remembered !== undefined ? remembered !== now : known && m.edited === true;
			if (edited) changes.push({ message: m, key: `${m.id}:${gen}:${now}` });
			if (inWindow.has(m.id)) edits[m.id] = now;
		}
	}

	const state: Remembered = event === 'reactionAdded' ? { reacted } : { edits };
	const oldest = window[window.length - 1];
	if (oldest) state.floor = { ts: oldest.timestampMilli, ids: window.filter((m) => m.timestampMilli === oldest.timestampMilli).map((m) => m.id) };
	else if (floor) state.floor = floor;
	const kept = event === 'reactionAdded' ? reacted : edits;
	state.gen = changes.length > 0 || !sameEntries(previous ?? {}, kept) ? gen + 1 : gen;
	return { state, changes };
}

function sameEntries(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
	const keys = Object.keys(a);
	if (keys.length !== Object.keys(b).length) return false;
	return keys.every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]));
}
