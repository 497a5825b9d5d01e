/**
 * Reading a channel's top-level stream (listMessages): forward from the cursor (AFTER), newest first
 * down to a watermark (no usable cursor), and the newest window (thread roots). Every page is sorted by
 * timestamp and ID before use, whichever order Pumble answers in; the AFTER cursor is the newest item read.
 */
import { PumbleApiError } from '../errors';
import { collectByCursor } from '../api/pagination';
import type { Message, MessagePage } from '../types';
import { Budget } from './budget';
import { MAX_PAGES_BACK, MAX_PAGES_PER_POLL, PAGE_SIZE } from './config';
import { newestFirst, newestOf, olderFirst } from './order';
import { handled, type ChannelState } from './state';

export type PageFn = (cursor?: string, strategy?: 'BEFORE' | 'AFTER', limit?: number) => Promise<MessagePage>;

/**
 * What a read of the channel stream found: the unhandled messages, oldest first, and the newest message
 * listed (handled now, whether new or not): the next AFTER cursor, since everything unhandled comes after it.
 */
export interface Read {
	fresh: Message[];
	top?: Message;
}

/** A page's messages, newest first, whatever order they came in. */
export function sortedNewestFirst(page: MessagePage): Message[] {
	return [...(page.messages ?? [])].sort(newestFirst);
}

/**
 * The newest top-level messages, newest first: at least `count` of them (whole pages). With a
 * `watermark`, also until it is reached (a message older than `ts`, or the cursor message), and with a
 * `floor` (the oldest root watched at the previous poll) until that is passed too — so every root
 * watched last time is looked at once more even after a burst pushed it down — within `maxPages`.
 */
export async function newestPages(
	page: PageFn,
	budget: Budget,
	options: { count: number; limit?: number; watermark?: ChannelState; floor?: ChannelState['floor']; maxPages?: number },
): Promise<{ messages: Message[]; reached: boolean; exhausted: boolean }> {
	const { count, watermark, floor } = options;
	const limit = options.limit ?? PAGE_SIZE;
	const maxPages = options.maxPages ?? Math.ceil(count / limit);
	const messages: Message[] = [];
	const seen = new Set<string>();
	let cursor: string | undefined;
	let reached = !watermark;
	let passed = !floor;
	const floorSeen = new Set<string>();
	let exhausted = false;
	for (let pages = 0; pages < maxPages; pages++) {
		budget.check();
		const answer = await page(cursor, cursor ? 'BEFORE' : undefined, limit);
		const items = sortedNewestFirst(answer);
		for (const m of items) {
			if (seen.has(m.id)) continue;
			seen.add(m.id);
			messages.push(m);
			if (watermark && (m.timestampMilli < watermark.ts || m.id === watermark.last)) reached = true;
			if (floor && !passed) {
				if (floor.ids.includes(m.id)) floorSeen.add(m.id);
				if (m.timestampMilli < floor.ts || floorSeen.size === floor.ids.length) passed = true;
			}
		}
		const oldest = items[items.length - 1];
		if (answer.hasMoreBefore === false || items.length < limit || !oldest || oldest.id === cursor) {
			exhausted = true;
			break;
		}
		cursor = oldest.id;
		if (messages.length >= count && reached && passed) break;
	}
	return { messages, reached: reached || exhausted, exhausted };
}

/**
 * New messages after the cursor, oldest first, paging forward (AFTER) from the newest item of each
 * page. At most MAX_PAGES_PER_POLL pages: the rest follows on the next poll. When the budget is spent
 * after the first page, stops there: what was read is complete up to its newest message.
 * Falls back to a newest-first read when the cursor message is gone.
 */
export async function forward(page: PageFn, channelId: string, from: ChannelState, notes: string[], budget: Budget): Promise<Read> {
	let pages = 0;
	let lastFull = false;
	let outOfTime = false;
	let top: Message | undefined;
	let fresh: Message[];
	try {
		fresh = await collectByCursor<Message>({
			pageSize: PAGE_SIZE,
			maxPages: MAX_PAGES_PER_POLL,
			fetchPage: async (cursor, size) => {
				if (pages > 0 && budget.spent()) {
					outOfTime = true;
					return { items: [], hasMore: false };
				}
				if (pages === 0) budget.check();
				pages++;
				const answer = await page(cursor ?? from.last, 'AFTER', size);
				const items = [...(answer.messages ?? [])].sort(olderFirst);
				const newest = newestOf(items);
				if (newest && (!top || olderFirst(newest, top) > 0)) top = newest;
				const more = answer.hasMoreAfter === true || (answer.hasMoreAfter == null && items.length >= size);
				lastFull = more;
				return { items, hasMore: more ? undefined : false };
			},
			judge: (m) => (m.id === from.last || handled(m, from) ? 'skip' : 'keep'),
		});
	} catch (error) {
		// The cursor message may have been deleted (Pumble answers 403 "not found" for it). If the
		// channel itself still reads, find the new messages by timestamp instead.
		if (pages === 1 && error instanceof PumbleApiError && error.status === 403) {
			const check = await page(undefined, undefined, PAGE_SIZE); // throws when the channel is the problem
			const items = sortedNewestFirst(check);
			notes.push(`channel ${channelId}: the last seen message is gone; continuing by timestamp`);
			return backward(page, channelId, from, notes, budget, { messages: items, exhausted: check.hasMoreBefore === false || items.length < PAGE_SIZE });
		}
		// The core knows no n8n: the trigger node turns this PumbleApiError into a NodeApiError.
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		throw error;
	}
	if (outOfTime) notes.push(`channel ${channelId}: the poll's time budget ran out; the rest follows on the next poll`);
	else if (pages >= MAX_PAGES_PER_POLL && lastFull) {
		notes.push(`channel ${channelId}: more than ${MAX_PAGES_PER_POLL * PAGE_SIZE} new messages; the rest follows on the next poll`);
	}
	return { fresh, top };
}

/**
 * New messages newest first down to the watermark (no usable cursor), returned oldest first. At most
 * MAX_PAGES_BACK pages: older new messages are skipped (and said so in the notes).
 */
export async function backward(
	page: PageFn,
	channelId: string,
	from: ChannelState,
	notes: string[],
	budget: Budget,
	first?: { messages: Message[]; exhausted: boolean },
): Promise<Read> {
	let top: Message | undefined;
	let pages = 0;
	let lastFull = false;
	let reached = false;
	const collected = await collectByCursor<Message>({
		pageSize: PAGE_SIZE,
		maxPages: MAX_PAGES_BACK,
		fetchPage: async (cursor) => {
			pages++;
			let items: Message[];
			let exhausted: boolean;
			if (!cursor && first) {
				items = first.messages;
				exhausted = first.exhausted;
			} else {
				budget.check();
				const answer = await page(cursor, cursor ? 'BEFORE' : undefined, PAGE_SIZE);
				items = sortedNewestFirst(answer);
				exhausted = answer.hasMoreBefore === false || items.length < PAGE_SIZE;
			}
			top ??= items[0];
			lastFull = !exhausted;
			return { items, hasMore: exhausted ? false : undefined };
		},
		judge: (m) => {
			if (m.timestampMilli < from.ts) {
				reached = true;
				return 'stop';
			}
			return handled(m, from) ? 'skip' : 'keep';
		},
	});
	if (!reached && pages >= MAX_PAGES_BACK && lastFull) {
		notes.push(`channel ${channelId}: more than ${MAX_PAGES_BACK * PAGE_SIZE} messages since the last poll without a cursor; older ones were skipped`);
	}
	return { fresh: collected.reverse(), top };
}
