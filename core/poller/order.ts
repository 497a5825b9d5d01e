/**
 * Message order. Timestamps have second precision; within a second the message IDs decide (Pumble's
 * IDs are ObjectIds, which grow within a second). Pages are sorted here, never trusted to arrive in
 * one order: `listMessages` with `strategy=AFTER` is not documented to answer newest first.
 */
import type { Message } from '../types';

export function olderFirst(a: Message, b: Message): number {
	return a.timestampMilli - b.timestampMilli || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function newestFirst(a: Message, b: Message): number {
	return -olderFirst(a, b);
}

/** The newest of `messages` by timestamp and ID; undefined for none. */
export function newestOf(messages: Message[]): Message | undefined {
	let best: Message | undefined;
	for (const m of messages) if (!best || olderFirst(m, best) > 0) best = m;
	return best;
}

/**
 * Merges lists that are each in Pumble's order (oldest first) into one, by timestamp and ID — but a
 * list's own order is never changed.
 */
export function mergeInOrder(lists: Message[][]): Message[] {
	const heads = lists.map(() => 0);
	const merged: Message[] = [];
	for (;;) {
		let best = -1;
		for (let i = 0; i < lists.length; i++) {
			const candidate = lists[i][heads[i]];
			if (!candidate) continue;
			const current = best >= 0 ? lists[best][heads[best]] : undefined;
			if (!current || olderFirst(candidate, current) < 0) best = i;
		}
		if (best < 0) return merged;
		merged.push(lists[best][heads[best]++]);
	}
}
