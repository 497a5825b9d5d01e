/**
 * One channel's read in one poll: its new top-level messages and, when threads are watched, the new
 * replies of its changed threads — or, for Reaction Added / Message Edited, the reactions and edits seen
 * on its newest messages (marks.ts); with the channel's next state. Nothing is committed here: the poll
 * keeps the previous state of a channel whose read failed or ran out of time.
 */
import type { Message } from '../types';
import { Budget } from './budget';
import { MAX_PAGES_BACK, PAGE_SIZE, threadWindowOf, watchesMarks, watchWindowOf, type MarkEvent, type PollConfig } from './config';
import { compareMarks, type MarkChange } from './marks';
import { mergeInOrder, newestFirst } from './order';
import { backward, forward, newestPages, type PageFn, type Read } from './pages';
import type { PollSource } from './source';
import { advance, baselineFrom, handled, type ChannelState, type Start } from './state';
import { newReplies, watchThreads } from './threads';

export interface ChannelRead {
	state: ChannelState;
	/** New messages, oldest first, before the filters (deleted ones already left out). */
	candidates: Message[];
	/** Reaction Added / Message Edited: the changes seen, oldest message first, before the filters. */
	changes?: MarkChange[];
}

export async function readChannel(
	source: PollSource,
	config: PollConfig,
	threads: boolean,
	channelId: string,
	known: ChannelState | undefined,
	start: Start,
	budget: Budget,
	notes: string[],
): Promise<ChannelRead> {
	// A placeholder for a channel that was never read successfully: start it as planned back then.
	let before = known;
	if (before?.unread) {
		start = before.ts > 0 ? { since: before.ts } : 'baseline';
		before = undefined;
	}
	const page: PageFn = (cursor, strategy, limit = PAGE_SIZE) => source.listMessagesPage({ channelId, cursor, strategy, limit });
	if (watchesMarks(config)) return readMarks(page, config.event, watchWindowOf(config), before, start, budget);

	// Unknown channel, baselined: start from its newest message.
	if (!before && start === 'baseline') {
		const window = await newestPages(page, budget, threads ? { count: threadWindowOf(config) } : { count: 1, limit: 20 });
		const state = baselineFrom(window.messages);
		if (threads) Object.assign(state, watchThreads(window.messages, undefined, new Set(), threadWindowOf(config)).state);
		return { state, candidates: [] };
	}
	const from: ChannelState = before
		? { ts: before.ts, ids: [...before.ids], ...(before.last ? { last: before.last } : {}) }
		: { ts: (start as { since: number }).since, ids: [] };

	// ---- channel stream: the new top-level messages, oldest first
	let read: Read;
	let window: Message[] = [];
	if (threads) {
		const scan = await newestPages(page, budget, { count: threadWindowOf(config), watermark: from, floor: before?.floor, maxPages: MAX_PAGES_BACK });
		window = scan.messages;
		if (scan.reached) read = { fresh: window.filter((m) => !handled(m, from)).reverse(), top: window[0] };
		else if (from.last) read = await forward(page, channelId, from, notes, budget);
		else read = await backward(page, channelId, from, notes, budget, scan);
	} else if (from.last) {
		read = await forward(page, channelId, from, notes, budget);
	} else {
		read = await backward(page, channelId, from, notes, budget);
	}
	const fresh = read.fresh;
	const state = advance(from, fresh, read.top);

	const candidates = fresh.filter((m) => !m.deleted);
	if (!threads) return { state, candidates };

	// ---- thread stream: replies of the watched roots whose threadRootInfo changed
	const freshIds = new Set(fresh.map((m) => m.id));
	const listed = [...new Map([...window, ...fresh].map((m) => [m.id, m])).values()].sort(newestFirst);
	const watched = watchThreads(listed, before, freshIds, threadWindowOf(config), before ? undefined : from.ts);
	const replies: Message[][] = [];
	// A reply also sent to the channel is in the channel stream when that stream is emitted.
	const emittedInChannel = config.event !== 'newReply';
	for (const root of watched.changed) {
		const remembered = freshIds.has(root.id) || watched.unseen.has(root.id) ? undefined : (watched.from.get(root.id) ?? before?.threads?.[root.id]);
		const outcome = await newReplies(source, budget, channelId, root, remembered);
		if (outcome === 'gone') {
			delete watched.state.threads![root.id];
			continue;
		}
		if (watched.keep.has(root.id)) watched.state.threads![root.id] = outcome.state;
		else delete watched.state.threads![root.id];
		notes.push(...outcome.notes);
		replies.push(outcome.fresh.filter((r) => !r.deleted && !(emittedInChannel && (r.threadReplyInfo?.replySentToChannel || freshIds.has(r.id)))));
	}
	Object.assign(state, watched.state);
	return { state, candidates: mergeInOrder([config.event === 'newReply' ? [] : candidates, ...replies]) };
}

/**
 * Reaction Added / Message Edited: the channel's newest `keep` messages (and, after a burst, down past the
 * previous window's oldest, so each message watched last time is compared once more), compared with
 * what was remembered. The watermark advances as for new messages, so a message posted since the last
 * read is told from one that had no history.
 */
async function readMarks(page: PageFn, event: MarkEvent, keep: number, before: ChannelState | undefined, start: Start, budget: Budget): Promise<ChannelRead> {
	if (!before && start === 'baseline') {
		const window = await newestPages(page, budget, { count: keep });
		return { state: { ...baselineFrom(window.messages), ...compareMarks(event, window.messages, undefined, undefined, keep).state }, candidates: [], changes: [] };
	}
	const from: ChannelState = before ? { ts: before.ts, ids: [...before.ids], ...(before.last ? { last: before.last } : {}) } : { ts: (start as { since: number }).since, ids: [] };
	const floor = before && (event === 'reactionAdded' ? before.reacted : before.edits) ? before.floor : undefined;
	const scan = await newestPages(page, budget, { count: keep, floor, maxPages: MAX_PAGES_BACK });
	const state = advance(from, scan.messages.filter((m) => !handled(m, from)).reverse(), scan.messages[0]);
	const compared = compareMarks(event, scan.messages, before, from, keep);
	return { state: { ...state, ...compared.state }, candidates: [], changes: compared.changes };
}
