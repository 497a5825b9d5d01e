/**
 * The thread stream. Pumble lists no replies in listMessages, but each root carries `threadRootInfo`
 * (`repliesCount`, `lastReplyTimestampMilli`); a poll compares it with what it remembered per root and
 * fetches only the threads that changed. Roots are watched while they are among the channel's newest
 * `threadWindow` listed messages; after a burst the poll reads down past the previous window's oldest
 * root (`floor`), so a root pushed out between two polls is checked once more before it is forgotten.
 */
import { PumbleApiError } from '../errors';
import { collectByCursor } from '../api/pagination';
import type { Message } from '../types';
import { Budget } from './budget';
import { MAX_PAGES_BACK, PAGE_SIZE } from './config';
import { newestFirst } from './order';
import type { PollSource } from './source';
import { handled, type ChannelState, type ThreadState } from './state';

export const isReply = (m: Message) => !!m.threadReplyInfo?.rootId;

/**
 * Compares the listed messages' roots (newest first) with the remembered threads: which threads
 * changed, and the new thread state. Every root listed is checked; the state keeps the roots among the
 * newest `keep` listed messages (the window) and the window's oldest root as the floor. `fresh` roots
 * are new in this poll: all their replies are new. A root above the old floor without a thread entry
 * had no replies then. A channel read for the first time from a time (`since`: a channel the poll had
 * no time for, a new channel) takes the replies from that time in threads it has no history of (`from`).
 */
export function watchThreads(
	listedNewestFirst: Message[],
	before: ChannelState | undefined,
	fresh: Set<string>,
	keep: number,
	since?: number,
): { state: Pick<ChannelState, 'threads' | 'floor'>; changed: Message[]; unseen: Set<string>; from: Map<string, ThreadState>; keep: Set<string> } {
	const inWindow = new Set(listedNewestFirst.slice(0, keep).map((m) => m.id));
	const roots = listedNewestFirst.filter((m) => !isReply(m));
	const threads: Record<string, ThreadState> = {};
	const changed: Message[] = [];
	const unseen = new Set<string>();
	const from = new Map<string, ThreadState>();
	const floor = before?.floor;
	const wasWatched = (m: Message) =>
		!!floor && (m.timestampMilli > floor.ts || (m.timestampMilli === floor.ts && floor.ids.includes(m.id)));
	for (const root of roots) {
		const info = root.threadRootInfo;
		const count = Number(info?.repliesCount ?? 0);
		const lastReply = Number(info?.lastReplyTimestampMilli ?? 0);
		const known = before?.threads?.[root.id];
		const remember = (entry: ThreadState) => {
			// Roots below the window are checked this once and then forgotten.
			if (inWindow.has(root.id)) threads[root.id] = entry;
		};
		if (known) {
			remember(known);
			if (count !== known.n || lastReply > known.ts) {
				changed.push(root);
				threads[root.id] = known;
			}
			continue;
		}
		if (count <= 0) continue;
		if (fresh.has(root.id) || wasWatched(root)) {
			// New root, or a watched root that had no replies: every reply is new.
			unseen.add(root.id);
			changed.push(root);
			threads[root.id] = { n: 0, ts: 0, ids: [] };
		} else if (since !== undefined && lastReply >= since) {
			// No history, but the channel is read from `since`: the replies from then on are new.
			from.set(root.id, { n: 0, ts: since, ids: [] });
			changed.push(root);
			threads[root.id] = from.get(root.id)!;
		} else {
			// Entered the window without history (first poll, a wider window): remember, emit nothing.
			remember({ n: count, ts: lastReply });
		}
	}
	const windowRoots = roots.filter((m) => inWindow.has(m.id));
	const oldest = windowRoots[windowRoots.length - 1];
	const state: Pick<ChannelState, 'threads' | 'floor'> = { threads };
	if (oldest) {
		state.floor = { ts: oldest.timestampMilli, ids: windowRoots.filter((m) => m.timestampMilli === oldest.timestampMilli).map((m) => m.id) };
	} else if (floor) {
		state.floor = floor;
	}
	return { state, changed, unseen, from, keep: inWindow };
}

/** The new replies of one thread (oldest first) and its next state; 'gone' when the root disappeared. */
export async function newReplies(
	source: PollSource,
	budget: Budget,
	channelId: string,
	root: Message,
	known: ThreadState | undefined,
): Promise<{ fresh: Message[]; state: ThreadState; notes: string[] } | 'gone'> {
	const notes: string[] = [];
	let pages = 0;
	let lastFull = false;
	let reached = false;
	let newestFirstReplies: Message[];
	try {
		newestFirstReplies = await collectByCursor<Message>({
			pageSize: PAGE_SIZE,
			maxPages: MAX_PAGES_BACK,
			fetchPage: async (cursor, size) => {
				budget.check();
				pages++;
				const items = (await source.threadRepliesPage({ channelId, rootId: root.id, cursor, limit: size })).sort(newestFirst);
				lastFull = items.length >= size;
				return { items };
			},
			judge: (r) => {
				if (known && r.timestampMilli < known.ts) {
					reached = true;
					return 'stop';
				}
				return 'keep';
			},
		});
	} catch (error) {
		// The root was deleted since it was listed: nothing to read there any more.
		if (error instanceof PumbleApiError && error.status === 403 && error.isNotFound) return 'gone';
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		throw error;
	}
	if (!reached && pages >= MAX_PAGES_BACK && lastFull) {
		notes.push(`thread ${root.id}: more than ${MAX_PAGES_BACK * PAGE_SIZE} new replies; older ones were skipped`);
	}
	const count = Number(root.threadRootInfo?.repliesCount ?? newestFirstReplies.length);
	let fresh: Message[];
	if (!known) {
		fresh = newestFirstReplies;
	} else if (known.ids) {
		fresh = newestFirstReplies.filter((r) => !handled(r, { ts: known.ts, ids: known.ids! }));
	} else {
		// Only a baseline (count and newest timestamp) is known: replies after that second are new, and
		// of those in that very second, the newest ones the count grew by.
		const after = newestFirstReplies.filter((r) => r.timestampMilli > known.ts);
		const atSecond = newestFirstReplies.filter((r) => r.timestampMilli === known.ts);
		const extra = Math.max(0, Math.min(atSecond.length, count - known.n - after.length));
		fresh = [...after, ...atSecond.slice(0, extra)];
	}
	fresh = fresh.reverse();
	const newestTs = Math.max(known?.ts ?? 0, ...newestFirstReplies.map((r) => r.timestampMilli));
	const ids = newestFirstReplies.filter((r) => r.timestampMilli === newestTs).map((r) => r.id);
	if (known?.ids && newestTs === known.ts) for (const id of known.ids) if (!ids.includes(id)) ids.push(id);
	return { fresh, state: { n: count, ts: newestTs, ids }, notes };
}
