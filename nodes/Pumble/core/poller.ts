/**
 * The Pumble Trigger's poll, host-agnostic: state in, new messages and the next state out. No n8n here;
 * the trigger node stores the state in the workflow's static data and emits the messages.
 *
 * Exactly once, in order. Pumble's timestamps have second precision, so "newest timestamp seen" alone
 * cannot tell a message that arrived later in the same second from one already emitted. Each watched
 * channel therefore keeps
 *   - `ts`: the newest timestamp handled, `ids`: the IDs handled at exactly that timestamp, and
 *   - `last`: the ID of the newest handled message — the cursor for `listMessages?strategy=AFTER`.
 * A message is new unless `timestamp < ts`, or `timestamp == ts` and its ID is in `ids`. "Handled" means
 * read and judged: filtered-out messages (own, bots, text filter, no mention) advance the state too.
 *
 * Streams. The channel stream is the channel's top-level list (listMessages: root messages and replies
 * also sent to the channel). The thread stream is the replies: Pumble lists no replies in listMessages,
 * but each root carries `threadRootInfo` (`repliesCount`, `lastReplyTimestampMilli`); a poll compares it
 * with what it remembered per root and fetches only the threads that changed. Roots are watched while
 * they are among the channel's newest `threadWindow` listed messages; after a burst the poll reads down
 * past the previous window's oldest root (`floor`), so a root pushed out between two polls is checked
 * once more before it is forgotten.
 *
 * Cost of a quiet poll: one listMessages per channel — AFTER the cursor (channel stream only), or the
 * newest page (with the thread stream, which needs the roots' threadRootInfo anyway). Plus one
 * listChannels per poll when watching all channels. Bursts add a request per 100 messages, changed
 * threads one request each; users, groups and the key's user are read only when new messages must be
 * judged, and cached for 10 minutes.
 *
 * One channel failing (gone, 403, out of retries) keeps its previous state untouched and is returned in
 * `problems`; every other channel advances. A channel's new state is committed only together with its
 * messages, so a failed channel is re-read from where it was on the next poll. `dueReports` says when to
 * tell the user (at once, then hourly); `withholding` gives the state to keep when the report is shown
 * instead of emitting that poll's messages.
 */
import type { PumbleApi } from './api';
import { ENDPOINTS } from './endpoints';
import { PumbleApiError } from './errors';
import type { ChannelEntry, Message, MessagePage, User, UserGroup } from './types';

// ------------------------------------------------------------------------------------------ config

export const TRIGGER_EVENTS = ['newMessage', 'newReply', 'mention'] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export interface PollConfig {
	event: TriggerEvent;
	/** Channel IDs (or names of public/private channels) to watch, or every channel the user is a member of. */
	channels: string[] | 'all';
	/** Messages written by the key's own user. Default false: a workflow that posts must not trigger itself. */
	includeOwn?: boolean;
	/** Messages written by bots (the Pumble bot, API add-on bots, apps). Default false. */
	includeBots?: boolean;
	/** Case-insensitive substring, or `/regex/flags`. */
	textFilter?: string;
	/** newMessage / mention: also new thread replies. Default: false for newMessage, true for mention. */
	includeReplies?: boolean;
	/** Top-level messages per channel whose threads are watched for replies (default 100: one page). */
	threadWindow?: number;
}

export const PAGE_SIZE = 100;
export const DEFAULT_THREAD_WINDOW = 100;
export const MAX_THREAD_WINDOW = 1000;
/** Per channel and poll, at most this many pages of new messages; the rest follows on the next poll. */
export const MAX_PAGES_PER_POLL = 20;
/** Newest-first scans (no cursor to go forward from) stop after this many pages. */
export const MAX_PAGES_BACK = 50;
/**
 * "All channels": a channel that appears and was created less than this before the previous listing
 * (local clock against Pumble's: the margin absorbs clock skew) is new and read from its first message.
 */
export const NEW_CHANNEL_MARGIN_MS = 10 * 60_000;
/** A failing channel is reported when it starts failing, then at most this often. */
export const REPORT_EVERY_MS = 60 * 60_000;

const ID = /^[0-9a-f]{24}$/i;

// ------------------------------------------------------------------------------------------ state

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
	/** When it was last reported to the user (thrown as an execution error). */
	reportedAt?: number;
}

export interface ChannelState {
	ts: number;
	ids: string[];
	/** The AFTER cursor; absent while the channel was empty (or the cursor is unknown). */
	last?: string;
	/** Watched threads with replies, by root ID (thread stream only). */
	threads?: Record<string, ThreadState>;
	/** Oldest root of the watched window: roots newer than this without a thread entry had no replies. */
	floor?: { ts: number; ids: string[] };
	failure?: ChannelFailure;
	/** Never read successfully yet: when it first reads, start at `ts` (0 = from its newest message). */
	unread?: true;
}

export interface TriggerState {
	v: 1;
	channels: Record<string, ChannelState>;
	/** "All channels": local epoch ms of the last channel listing (to tell new channels from joined ones). */
	listedAt?: number;
}

// ------------------------------------------------------------------------------------------ source

/** What the poller needs from Pumble. `pollSourceFor(api)` provides it over the core's PumbleApi. */
export interface PollSource {
	listMessagesPage(input: { channelId: string; cursor?: string; strategy?: 'BEFORE' | 'AFTER'; limit: number }): Promise<MessagePage>;
	/** Replies of a thread, newest first; an inclusive cursor pages to older replies. */
	threadRepliesPage(input: { channelId: string; rootId: string; cursor?: string; limit: number }): Promise<Message[]>;
	listChannels(): Promise<ChannelEntry[]>;
	myInfo(): Promise<User>;
	/** `fresh`: bypass any cache (an author was not in the cached list). */
	listUsers(options: { fresh: boolean }): Promise<User[]>;
	listUserGroups(): Promise<UserGroup[]>;
}

const WORKSPACE_TTL_MS = 10 * 60_000;
const workspaceCache = new Map<string, { at: number; value: Promise<unknown> }>();

function cached<T>(key: string, fresh: boolean, load: () => Promise<T>, now = Date.now()): Promise<T> {
	const hit = workspaceCache.get(key);
	if (!fresh && hit && now - hit.at < WORKSPACE_TTL_MS) return hit.value as Promise<T>;
	const value = load();
	workspaceCache.set(key, { at: now, value });
	value.catch(() => workspaceCache.delete(key));
	return value;
}

/** The poller's view of Pumble through the core (shared limiter, retries, one error type). */
export function pollSourceFor(api: PumbleApi): PollSource {
	const identity = api.client.identity;
	return {
		listMessagesPage: ({ channelId, cursor, strategy, limit }) =>
			api.listMessagesPage({ channel: { id: channelId }, cursor, strategy, limit }),
		threadRepliesPage: async ({ channelId, rootId, cursor, limit }) => {
			const answer = await api.client.call<Message[] | { messages?: Message[] }>(ENDPOINTS.fetchThreadReplies, {
				query: { channelId, rootMessageId: rootId, ...(cursor ? { cursor } : {}), limit },
			});
			return Array.isArray(answer) ? answer : (answer?.messages ?? []);
		},
		listChannels: () => api.listChannels(),
		myInfo: () => api.myInfo(),
		listUsers: ({ fresh }) => cached(`${identity}:users`, fresh, () => api.listUsers()),
		listUserGroups: () => cached(`${identity}:groups`, false, () => api.listUserGroups()),
	};
}

// ------------------------------------------------------------------------------------------ result

export interface ChannelProblem {
	/** The channel ID (or the name that could not be resolved). */
	channel: string;
	failure: ChannelFailure;
	error: unknown;
}

export interface PollResult {
	/** New matching messages, oldest first. */
	messages: Message[];
	state: TriggerState;
	/** Channels that failed in this poll (their state is unchanged apart from `failure`). */
	problems: ChannelProblem[];
	/** Channels that failed before and were read again in this poll. */
	recovered: string[];
	/** True when there was no state: channels were baselined ("from now") and nothing is emitted. */
	firstRun: boolean;
	/** Requests' worth of work cut short (page caps, gaps), for the log. */
	notes: string[];
}

interface ChannelOutcome {
	channel: string;
	state?: ChannelState;
	candidates: Message[];
	error?: unknown;
	notes: string[];
}

// ------------------------------------------------------------------------------------------ poll

export interface PollOptions {
	/** Local epoch ms (injected by tests). */
	now?: number;
	/** Channels read at once. */
	concurrency?: number;
}

export async function poll(source: PollSource, config: PollConfig, previous: TriggerState | undefined, options: PollOptions = {}): Promise<PollResult> {
	const now = options.now ?? Date.now();
	const prior = isState(previous) ? previous : undefined;
	const firstRun = prior === undefined;
	const state: TriggerState = { v: 1, channels: {} };
	const notes: string[] = [];
	const threads = watchesThreads(config);

	// Which channels, and how each unknown one starts.
	const targets: Array<{ id: string; start: 'baseline' | { since: number } }> = [];
	const problems: ChannelProblem[] = [];
	if (config.channels === 'all') {
		const [entries, me] = await Promise.all([source.listChannels(), source.myInfo()]);
		state.listedAt = now;
		for (const entry of entries) {
			if (!isMember(entry, me.id) || entry.channel.isArchived) continue;
			const known = prior?.channels[entry.channel.id];
			let start: 'baseline' | { since: number } = 'baseline';
			if (!known && !firstRun && prior?.listedAt !== undefined) {
				// Appeared since the last listing. Created since then (a new DM, a new channel one was added
				// to): read it from its first message, so a DM's opening message is not lost. An older channel
				// one joined starts from now, like a channel added to the selection.
				const created = createdAt(entry);
				if (created !== undefined && created > prior.listedAt - NEW_CHANNEL_MARGIN_MS) start = { since: created - 1 };
			}
			targets.push({ id: entry.channel.id, start });
		}
	} else {
		const wanted = [...new Set(config.channels.map((c) => c.trim()).filter(Boolean))];
		const names = wanted.filter((c) => !ID.test(c));
		let byName = new Map<string, string>();
		if (names.length > 0) {
			try {
				byName = new Map(
					(await source.listChannels())
						.filter((e) => e.channel.name && (e.channel.channelType === 'PUBLIC' || e.channel.channelType === 'PRIVATE'))
						.map((e) => [String(e.channel.name).toLowerCase(), e.channel.id]),
				);
			} catch (error) {
				for (const name of names) problems.push(failed(name, prior?.channels[name], error, now));
			}
		}
		for (const ref of wanted) {
			if (ID.test(ref)) targets.push({ id: ref.toLowerCase(), start: 'baseline' });
			else if (byName.has(ref.replace(/^#/, '').toLowerCase())) targets.push({ id: byName.get(ref.replace(/^#/, '').toLowerCase())!, start: 'baseline' });
			else if (!problems.some((p) => p.channel === ref)) {
				const error = new PumbleApiError({
					operation: 'listChannels',
					apiMessage: `No channel named "${ref}" is visible to this API key`,
					hint: 'Pick the channel from the list, or check the name. Private channels are visible only to their members.',
					outcome: 'rejected',
				});
				problems.push(failed(ref, prior?.channels[ref], error, now));
			}
		}
	}
	for (const problem of problems) state.channels[problem.channel] = keepFailing(prior?.channels[problem.channel], 'baseline', problem.failure);

	const unique = [...new Map(targets.map((t) => [t.id, t])).values()];
	const outcomes = await mapLimited(unique, options.concurrency ?? 5, (target) =>
		pollChannel(source, config, threads, target.id, prior?.channels[target.id], target.start),
	);

	const candidates: Message[][] = [];
	const recovered: string[] = [];
	outcomes.forEach((outcome, position) => {
		notes.push(...outcome.notes);
		const before = prior?.channels[outcome.channel];
		if (outcome.error !== undefined || !outcome.state) {
			const problem = failed(outcome.channel, before, outcome.error, now);
			problems.push(problem);
			state.channels[outcome.channel] = keepFailing(before, unique[position].start, problem.failure);
			return;
		}
		if (before?.failure) recovered.push(outcome.channel);
		state.channels[outcome.channel] = outcome.state;
		candidates.push(outcome.candidates);
	});

	const messages = firstRun ? [] : await select(source, config, candidates);
	return { messages, state, problems, recovered, firstRun, notes };
}

/** Failures due for a report: new ones, and ones not reported for `REPORT_EVERY_MS`. */
export function dueReports(result: PollResult, now = Date.now()): ChannelProblem[] {
	return result.problems.filter((p) => p.failure.reportedAt === undefined || now - p.failure.reportedAt >= REPORT_EVERY_MS);
}

/** Marks the given problems as reported in the state (call when the report was shown to the user). */
export function markReported(state: TriggerState, problems: ChannelProblem[], now = Date.now()): void {
	for (const problem of problems) {
		const channel = state.channels[problem.channel];
		if (channel?.failure) channel.failure.reportedAt = now;
	}
}

/**
 * The state to keep when this poll's messages are not emitted (a failure report is thrown instead): the
 * channels that had messages keep their previous state, so the next poll reads and emits them again.
 */
export function withholding(previous: TriggerState | undefined, result: PollResult): TriggerState {
	const state: TriggerState = { ...result.state, channels: { ...result.state.channels } };
	const oldest = new Map<string, number>();
	for (const m of result.messages) oldest.set(m.channelId, Math.min(oldest.get(m.channelId) ?? Infinity, m.timestampMilli));
	for (const [channelId, ts] of oldest) {
		const before = previous?.channels[channelId];
		// A channel first read in this poll (from its creation) starts over from just before its first message.
		state.channels[channelId] = before ? structuredClone(before) : { ts: ts - 1, ids: [], unread: true };
	}
	return state;
}

function failed(channel: string, before: ChannelState | undefined, error: unknown, now: number): ChannelProblem {
	const previous = before?.failure;
	const failure: ChannelFailure = {
		message: describeError(error),
		...(error instanceof PumbleApiError && error.status !== undefined ? { status: error.status } : {}),
		since: previous?.since ?? now,
		count: (previous?.count ?? 0) + 1,
		...(previous?.reportedAt !== undefined ? { reportedAt: previous.reportedAt } : {}),
	};
	return { channel, failure, error };
}

/**
 * A failing channel keeps its previous state untouched. One never read successfully gets a placeholder
 * that remembers how it was meant to start, so a recovery neither replays its history nor skips ahead.
 */
function keepFailing(before: ChannelState | undefined, start: 'baseline' | { since: number }, failure: ChannelFailure): ChannelState {
	if (before && !before.unread) return { ...before, failure };
	return { ts: before?.unread ? before.ts : start === 'baseline' ? 0 : start.since, ids: [], unread: true, failure };
}

function describeError(error: unknown): string {
	if (error instanceof PumbleApiError) return error.message;
	return error instanceof Error ? error.message : String(error);
}

function isState(value: unknown): value is TriggerState {
	return !!value && typeof value === 'object' && (value as TriggerState).v === 1 && typeof (value as TriggerState).channels === 'object';
}

function createdAt(entry: ChannelEntry): number | undefined {
	const { timestampMilli, timestamp } = entry.channel as { timestampMilli?: unknown; timestamp?: unknown };
	if (typeof timestampMilli === 'number' && timestampMilli > 0) return timestampMilli;
	const parsed = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
	return Number.isNaN(parsed) ? undefined : parsed;
}

function isMember(entry: ChannelEntry, me: string): boolean {
	const flag = entry.channel.isMember;
	if (typeof flag === 'boolean') return flag;
	return Array.isArray(entry.users) && entry.users.includes(me);
}

export function watchesThreads(config: PollConfig): boolean {
	if (config.event === 'newReply') return true;
	return config.includeReplies ?? config.event === 'mention';
}

function threadWindowOf(config: PollConfig): number {
	const n = Math.floor(Number(config.threadWindow ?? DEFAULT_THREAD_WINDOW));
	return Number.isFinite(n) ? Math.min(MAX_THREAD_WINDOW, Math.max(1, n)) : DEFAULT_THREAD_WINDOW;
}

// ------------------------------------------------------------------------------------------ one channel

const isReply = (m: Message) => !!m.threadReplyInfo?.rootId;

/** Handled before: older than the watermark, or at it and remembered. */
function handled(m: Message, st: { ts: number; ids: string[] }): boolean {
	return m.timestampMilli < st.ts || (m.timestampMilli === st.ts && st.ids.includes(m.id));
}

async function pollChannel(
	source: PollSource,
	config: PollConfig,
	threads: boolean,
	channelId: string,
	known: ChannelState | undefined,
	start: 'baseline' | { since: number },
): Promise<ChannelOutcome> {
	const notes: string[] = [];
	// A placeholder for a channel that was never read successfully: start it as planned back then.
	let before = known;
	if (before?.unread) {
		start = before.ts > 0 ? { since: before.ts } : 'baseline';
		before = undefined;
	}
	try {
		const page = (cursor?: string, strategy?: 'BEFORE' | 'AFTER', limit = PAGE_SIZE) =>
			source.listMessagesPage({ channelId, cursor, strategy, limit });

		// Unknown channel, baselined: start from its newest message.
		if (!before && start === 'baseline') {
			const window = await newestPages(page, threads ? { count: threadWindowOf(config) } : { count: 1, limit: 20 });
			const state = baselineFrom(window.messages);
			if (threads) Object.assign(state, watchThreads(window.messages, undefined, new Set(), threadWindowOf(config)).state);
			return { channel: channelId, state, candidates: [], notes };
		}
		const from: ChannelState = before
			? { ts: before.ts, ids: [...before.ids], ...(before.last ? { last: before.last } : {}) }
			: { ts: (start as { since: number }).since, ids: [] };

		// ---- channel stream: the new top-level messages, oldest first
		let read: Read;
		let window: Message[] = [];
		if (threads) {
			const scan = await newestPages(page, { count: threadWindowOf(config), watermark: from, floor: before?.floor, maxPages: MAX_PAGES_BACK });
			window = scan.messages;
			if (scan.reached) read = { fresh: window.filter((m) => !handled(m, from)).reverse(), top: window[0] };
			else if (from.last) read = await forward(page, channelId, from, notes);
			else read = await backward(page, channelId, from, notes, scan);
		} else if (from.last) {
			read = await forward(page, channelId, from, notes);
		} else {
			read = await backward(page, channelId, from, notes);
		}
		const fresh = read.fresh;
		const state = advance(from, fresh, read.top);

		const candidates = fresh.filter((m) => !m.deleted);
		if (!threads) return { channel: channelId, state, candidates, notes };

		// ---- thread stream: replies of the watched roots whose threadRootInfo changed
		const freshIds = new Set(fresh.map((m) => m.id));
		const listed = [...new Map([...window, ...fresh].map((m) => [m.id, m])).values()].sort(
			(a, b) => b.timestampMilli - a.timestampMilli || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
		);
		const watched = watchThreads(listed, before, freshIds, threadWindowOf(config));
		const replies: Message[][] = [];
		// A reply also sent to the channel is in the channel stream when that stream is emitted.
		const emittedInChannel = config.event !== 'newReply';
		for (const root of watched.changed) {
			const remembered = freshIds.has(root.id) || watched.unseen.has(root.id) ? undefined : before?.threads?.[root.id];
			const outcome = await newReplies(source, channelId, root, remembered);
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
		return { channel: channelId, state, candidates: mergeInOrder([config.event === 'newReply' ? [] : candidates, ...replies]), notes };
	} catch (error) {
		return { channel: channelId, candidates: [], error, notes };
	}
}

type PageFn = (cursor?: string, strategy?: 'BEFORE' | 'AFTER', limit?: number) => Promise<MessagePage>;

/**
 * What a read of the channel stream found: the unhandled messages, oldest first, and the newest message
 * listed (handled now, whether new or not): the next AFTER cursor, since everything unhandled comes after it.
 */
interface Read {
	fresh: Message[];
	top?: Message;
}

/**
 * The newest top-level messages, newest first: at least `count` of them (whole pages). With a
 * `watermark`, also until it is reached (a message older than `ts`, or the cursor message), and with a
 * `floor` (the oldest root watched at the previous poll) until that is passed too — so every root
 * watched last time is looked at once more even after a burst pushed it down — within `maxPages`.
 */
async function newestPages(
	page: PageFn,
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
		const answer = await page(cursor, cursor ? 'BEFORE' : undefined, limit);
		const items = answer.messages ?? [];
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

/** New messages after the cursor, oldest first, paging forward (AFTER). Falls back when the cursor is gone. */
async function forward(page: PageFn, channelId: string, from: ChannelState, notes: string[]): Promise<Read> {
	let cursor = from.last!;
	const fresh: Message[] = [];
	const seen = new Set<string>();
	let top: Message | undefined;
	for (let pages = 0; ; pages++) {
		let answer: MessagePage;
		try {
			answer = await page(cursor, 'AFTER', PAGE_SIZE);
		} catch (error) {
			// The cursor message may have been deleted (Pumble answers 403 "not found" for it). If the
			// channel itself still reads, find the new messages by timestamp instead.
			if (pages === 0 && error instanceof PumbleApiError && error.status === 403) {
				const check = await page(undefined, undefined, PAGE_SIZE); // throws when the channel is the problem
				const items = check.messages ?? [];
				notes.push(`channel ${channelId}: the last seen message is gone; continuing by timestamp`);
				return backward(page, channelId, from, notes, { messages: items, exhausted: check.hasMoreBefore === false || items.length < PAGE_SIZE });
			}
			// The core knows no n8n: the trigger node turns this PumbleApiError into a NodeApiError.
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
			throw error;
		}
		const items = answer.messages ?? [];
		for (const m of [...items].reverse()) {
			if (m.id === cursor || seen.has(m.id) || handled(m, from)) continue;
			seen.add(m.id);
			fresh.push(m);
		}
		const newest = items[0];
		if (newest) top = newest;
		const more = answer.hasMoreAfter === true || (answer.hasMoreAfter == null && items.length >= PAGE_SIZE);
		if (!more || !newest || newest.id === cursor) break;
		if (pages + 1 >= MAX_PAGES_PER_POLL) {
			notes.push(`channel ${channelId}: more than ${MAX_PAGES_PER_POLL * PAGE_SIZE} new messages; the rest follows on the next poll`);
			break;
		}
		cursor = newest.id;
	}
	return { fresh, top };
}

/** New messages newest first down to the watermark (no usable cursor), returned oldest first. */
async function backward(
	page: PageFn,
	channelId: string,
	from: ChannelState,
	notes: string[],
	first?: { messages: Message[]; exhausted: boolean },
): Promise<Read> {
	const collected: Message[] = [];
	const seen = new Set<string>();
	let cursor: string | undefined;
	let items = first?.messages;
	let exhausted = first?.exhausted ?? false;
	let top: Message | undefined;
	for (let pages = 0; ; pages++) {
		if (!items) {
			const answer = await page(cursor, cursor ? 'BEFORE' : undefined, PAGE_SIZE);
			items = answer.messages ?? [];
			exhausted = answer.hasMoreBefore === false || items.length < PAGE_SIZE;
		}
		top ??= items[0];
		let reached = false;
		for (const m of items) {
			if (seen.has(m.id)) continue;
			seen.add(m.id);
			if (m.timestampMilli < from.ts) {
				reached = true;
				break;
			}
			if (!handled(m, from)) collected.push(m);
		}
		const oldest = items[items.length - 1];
		if (reached || exhausted || !oldest || oldest.id === cursor) break;
		if (pages + 1 >= MAX_PAGES_BACK) {
			notes.push(`channel ${channelId}: more than ${MAX_PAGES_BACK * PAGE_SIZE} messages since the last poll without a cursor; older ones were skipped`);
			break;
		}
		cursor = oldest.id;
		items = undefined;
	}
	return { fresh: collected.reverse(), top };
}

function baselineFrom(newestFirst: Message[]): ChannelState {
	const newest = newestFirst[0];
	if (!newest) return { ts: 0, ids: [] };
	return { ts: newest.timestampMilli, ids: newestFirst.filter((m) => m.timestampMilli === newest.timestampMilli).map((m) => m.id), last: newest.id };
}

/** The state after handling `fresh` (oldest first); `top` is the next AFTER cursor. */
function advance(from: ChannelState, fresh: Message[], top: Message | undefined): ChannelState {
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

/**
 * Compares the listed messages' roots (newest first) with the remembered threads: which threads
 * changed, and the new thread state. Every root listed is checked; the state keeps the roots among the
 * newest `keep` listed messages (the window) and the window's oldest root as the floor. `fresh` roots
 * are new in this poll: all their replies are new. A root above the old floor without a thread entry
 * had no replies then.
 */
function watchThreads(
	listedNewestFirst: Message[],
	before: ChannelState | undefined,
	fresh: Set<string>,
	keep: number,
): { state: Pick<ChannelState, 'threads' | 'floor'>; changed: Message[]; unseen: Set<string>; keep: Set<string> } {
	const inWindow = new Set(listedNewestFirst.slice(0, keep).map((m) => m.id));
	const roots = listedNewestFirst.filter((m) => !isReply(m));
	const threads: Record<string, ThreadState> = {};
	const changed: Message[] = [];
	const unseen = new Set<string>();
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
	return { state, changed, unseen, keep: inWindow };
}

/** The new replies of one thread (oldest first) and its next state; 'gone' when the root disappeared. */
async function newReplies(
	source: PollSource,
	channelId: string,
	root: Message,
	known: ThreadState | undefined,
): Promise<{ fresh: Message[]; state: ThreadState; notes: string[] } | 'gone'> {
	const notes: string[] = [];
	const newestFirst: Message[] = [];
	const seen = new Set<string>();
	let cursor: string | undefined;
	try {
		for (let pages = 0; ; pages++) {
			const items = await source.threadRepliesPage({ channelId, rootId: root.id, cursor, limit: PAGE_SIZE });
			let reached = false;
			for (const r of items) {
				if (seen.has(r.id)) continue;
				seen.add(r.id);
				if (known && r.timestampMilli < known.ts) {
					reached = true;
					break;
				}
				newestFirst.push(r);
			}
			const oldest = items[items.length - 1];
			if (reached || items.length < PAGE_SIZE || !oldest || oldest.id === cursor) break;
			if (pages + 1 >= MAX_PAGES_BACK) {
				notes.push(`thread ${root.id}: more than ${MAX_PAGES_BACK * PAGE_SIZE} new replies; older ones were skipped`);
				break;
			}
			cursor = oldest.id;
		}
	} catch (error) {
		// The root was deleted since it was listed: nothing to read there any more.
		if (error instanceof PumbleApiError && error.status === 403 && error.isNotFound) return 'gone';
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		throw error;
	}
	const count = Number(root.threadRootInfo?.repliesCount ?? newestFirst.length);
	let fresh: Message[];
	if (!known) {
		fresh = newestFirst;
	} else if (known.ids) {
		fresh = newestFirst.filter((r) => !handled(r, { ts: known.ts, ids: known.ids! }));
	} else {
		// Only a baseline (count and newest timestamp) is known: replies after that second are new, and
		// of those in that very second, the newest ones the count grew by.
		const after = newestFirst.filter((r) => r.timestampMilli > known.ts);
		const atSecond = newestFirst.filter((r) => r.timestampMilli === known.ts);
		const extra = Math.max(0, Math.min(atSecond.length, count - known.n - after.length));
		fresh = [...after, ...atSecond.slice(0, extra)];
	}
	fresh = fresh.reverse();
	const newestTs = Math.max(known?.ts ?? 0, ...newestFirst.map((r) => r.timestampMilli));
	const ids = newestFirst.filter((r) => r.timestampMilli === newestTs).map((r) => r.id);
	if (known?.ids && newestTs === known.ts) for (const id of known.ids) if (!ids.includes(id)) ids.push(id);
	return { fresh, state: { n: count, ts: newestTs, ids }, notes };
}

/**
 * Merges lists that are each in Pumble's order (oldest first) into one, by timestamp. Timestamps have
 * second precision; within a second the message IDs decide (Pumble's IDs are ObjectIds, which grow
 * within a second) — but a list's own order is never changed.
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
			if (!current || candidate.timestampMilli < current.timestampMilli || (candidate.timestampMilli === current.timestampMilli && candidate.id < current.id)) {
				best = i;
			}
		}
		if (best < 0) return merged;
		merged.push(lists[best][heads[best]++]);
	}
}

// ------------------------------------------------------------------------------------------ filters

interface Judge {
	me?: string;
	bots: Set<string>;
	groups: string[];
}

async function judgeFor(source: PollSource, config: PollConfig, messages: Message[]): Promise<Judge> {
	const needMe = !config.includeOwn || config.event === 'mention';
	const me = needMe ? (await source.myInfo()).id : undefined;
	let bots = new Set<string>();
	if (!config.includeBots) {
		let users = await source.listUsers({ fresh: false });
		const known = new Set(users.map((u) => u.id));
		if (messages.some((m) => m.author && !known.has(m.author))) users = await source.listUsers({ fresh: true });
		bots = new Set(users.filter((u) => u.isAddonBot || u.isPumbleBot).map((u) => u.id));
	}
	let groups: string[] = [];
	if (config.event === 'mention' && me) {
		groups = (await source.listUserGroups()).filter((g) => !g.disabled && (g.workspaceUserIds ?? []).includes(me)).map((g) => g.id);
	}
	return { me, bots, groups };
}

export function textMatcher(filter: string | undefined): ((text: string) => boolean) | undefined {
	const wanted = filter?.trim();
	if (!wanted) return undefined;
	const regex = /^\/(.+)\/([a-z]*)$/s.exec(wanted);
	if (regex) {
		try {
			const pattern = new RegExp(regex[1], regex[2]);
			return (text) => pattern.test(text);
		} catch {
			/* not a valid regular expression: use it as plain text */
		}
	}
	const needle = wanted.toLowerCase();
	return (text) => text.toLowerCase().includes(needle);
}

/** Whether the message mentions the user (`<<@id>>`) or one of the groups (`<<&id>>`), in text or blocks. */
export function mentions(message: Message, userId: string, groupIds: string[]): boolean {
	const text = message.text ?? '';
	if (text.includes(`<<@${userId}>>`)) return true;
	if (groupIds.some((g) => text.includes(`<<&${g}>>`))) return true;
	const walk = (node: unknown): boolean => {
		if (Array.isArray(node)) return node.some(walk);
		if (!node || typeof node !== 'object') return false;
		const element = node as Record<string, unknown>;
		if (element.type === 'user' && element.user_id === userId) return true;
		if (element.type === 'usergroup' && groupIds.includes(String(element.usergroup_id))) return true;
		return Object.values(element).some((value) => typeof value === 'object' && walk(value));
	};
	return walk(message.blocks);
}

function matcher(config: PollConfig, judge: Judge): (m: Message) => boolean {
	const text = textMatcher(config.textFilter);
	return (m) => {
		if (m.deleted) return false;
		if (!config.includeOwn && judge.me && m.author === judge.me) return false;
		if (!config.includeBots && (judge.bots.has(m.author) || !!m.authorAppId)) return false;
		if (text && !text(m.text ?? '')) return false;
		if (config.event === 'mention' && !(judge.me && mentions(m, judge.me, judge.groups))) return false;
		return true;
	};
}

async function select(source: PollSource, config: PollConfig, perChannel: Message[][]): Promise<Message[]> {
	const candidates = mergeInOrder(perChannel);
	if (candidates.length === 0) return [];
	const keep = matcher(config, await judgeFor(source, config, candidates));
	return candidates.filter(keep);
}

// ------------------------------------------------------------------------------------------ sample

/** How many recently active threads per channel a manual run looks into for a sample reply. */
const SAMPLE_THREADS = 5;

/**
 * For a manual run: the newest message that the trigger would emit (ignoring whether it is new), so the
 * user can map fields. Reads the newest page of each channel, and the most recently active threads.
 * Touches no state. Undefined when nothing matches.
 */
export async function sample(source: PollSource, config: PollConfig): Promise<{ message?: Message; problems: ChannelProblem[] }> {
	const now = Date.now();
	let ids: string[];
	const problems: ChannelProblem[] = [];
	if (config.channels === 'all') {
		const [entries, me] = await Promise.all([source.listChannels(), source.myInfo()]);
		ids = entries.filter((e) => isMember(e, me.id) && !e.channel.isArchived).map((e) => e.channel.id);
	} else {
		const refs = config.channels.map((c) => c.trim()).filter(Boolean);
		const names = refs.filter((c) => !ID.test(c));
		const byName = new Map<string, string>();
		if (names.length) {
			for (const e of await source.listChannels()) if (e.channel.name) byName.set(String(e.channel.name).toLowerCase(), e.channel.id);
		}
		ids = [];
		for (const ref of refs) {
			const id = ID.test(ref) ? ref : byName.get(ref.replace(/^#/, '').toLowerCase());
			if (id) ids.push(id);
			else problems.push(failed(ref, undefined, new Error(`No channel named "${ref}" is visible to this API key`), now));
		}
	}
	const threads = watchesThreads(config);
	const found: Message[] = [];
	await mapLimited([...new Set(ids)], 5, async (channelId) => {
		try {
			const page = await source.listMessagesPage({ channelId, limit: PAGE_SIZE });
			const messages = page.messages ?? [];
			if (config.event !== 'newReply') found.push(...messages);
			if (threads) {
				const active = messages
					.filter((m) => !isReply(m) && Number(m.threadRootInfo?.repliesCount ?? 0) > 0)
					.sort((a, b) => Number(b.threadRootInfo?.lastReplyTimestampMilli ?? 0) - Number(a.threadRootInfo?.lastReplyTimestampMilli ?? 0))
					.slice(0, SAMPLE_THREADS);
				for (const root of active) found.push(...(await source.threadRepliesPage({ channelId, rootId: root.id, limit: 20 })));
			}
		} catch (error) {
			problems.push(failed(channelId, undefined, error, now));
		}
	});
	if (found.length === 0) return { problems };
	const judge = await judgeFor(source, config, found);
	const keep = matcher(config, judge);
	// The newest: by timestamp, then (same second) by ID, as everywhere else.
	const matching = mergeInOrder([found.filter(keep).sort((a, b) => a.timestampMilli - b.timestampMilli || (a.id < b.id ? -1 : 1))]);
	return { message: matching[matching.length - 1], problems };
}

// ------------------------------------------------------------------------------------------ helpers

async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
	return results;
}

const running = new Set<string>();

/**
 * Runs `work` unless another run with the same key is still in progress in this process; then resolves
 * `undefined` at once. n8n does not overlap the polls of one workflow, but a slow poll must never run
 * concurrently with the next one on the same state.
 */
export async function exclusive<T>(key: string, work: () => Promise<T>): Promise<T | undefined> {
	if (running.has(key)) return undefined;
	running.add(key);
	try {
		return await work();
	} finally {
		running.delete(key);
	}
}
