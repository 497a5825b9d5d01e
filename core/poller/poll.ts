/**
 * One poll, host-agnostic: state in, new messages and the next state out. No n8n here; the trigger node
 * stores the state in the workflow's static data and emits the messages.
 *
 * Each new message is emitted once, in order (by timestamp and ID, across channels), as long as the
 * state is kept between polls — with one stated exception: a channel that receives more than
 * MAX_PAGES_BACK × 100 messages between two polls while it has no cursor to read forward from loses
 * the older ones (said in `notes`), as do threads with more new replies than that.
 *
 * Reaction Added / Message Edited see changes on the newest `watchWindow` messages of each channel
 * (marks.ts), each once, under the same state rules.
 *
 * Cost of a quiet poll: one listMessages per channel — AFTER the cursor (channel stream only), or the
 * newest page (with the thread stream, which needs the roots' threadRootInfo anyway). Plus one
 * listChannels per poll when watching all channels; channels given by name are looked up in the cached
 * channel list (a listChannels when the cache is older than 30 s, one more when a name is not in it).
 * Bursts add a request per 100 messages, changed threads one request each; users, groups and the key's
 * user are read only when new messages must be judged, and cached for 10 minutes.
 *
 * One channel failing (gone, 403, out of retries) keeps its previous state and is returned in
 * `problems`; every other channel advances. A channel not read completely before the deadline keeps its
 * previous state too (`deferred`) and is read on the next poll. A cancelled poll rejects and advances nothing.
 */
import { runInLanes } from '../lanes/runner';
import { isCancelled, throwIfCancelled } from '../time';
import type { Message } from '../types';
import { Budget, OutOfTime } from './budget';
import { readChannel, type ChannelRead } from './channel';
import { memberChannels, createdAt, resolveChannels } from './channels';
import { CHANNEL_CONCURRENCY, NEW_CHANNEL_MARGIN_MS, watchesMarks, watchesThreads, type PollConfig } from './config';
import { failed, keepFailing, type ChannelProblem } from './failures';
import { emojiMatcher, select, selectChanges, textMatcher } from './filters';
import type { MarkChange } from './marks';
import { olderFirst } from './order';
import type { PollSource } from './source';
import { isState, type ChannelState, type Start, type TriggerState } from './state';

/** Reaction Added's item: the reaction, who added it, and the message as Pumble lists it now. */
export interface ReactionAdded {
	reaction: string;
	user: string;
	messageId: string;
	channelId: string;
	message: Message;
}

/** One thing to emit, whatever the event: its item, and a key that names this occurrence (for a host's deduplication). */
export interface PollEvent {
	json: Message | ReactionAdded;
	key: string;
}

export interface PollResult {
	/** New matching messages, oldest first (the message events; empty for Reaction Added / Message Edited). */
	messages: Message[];
	/**
	 * What to emit, oldest first: the new messages (key: the message ID); for Reaction Added, one item per
	 * reaction; for Message Edited, the message as edited (key: the message, the read, and a hash of its content).
	 */
	events: PollEvent[];
	state: TriggerState;
	/** Channels that failed in this poll (their state is unchanged apart from `failure`). */
	problems: ChannelProblem[];
	/** Channels that failed before and were read again in this poll. */
	recovered: string[];
	/** Channels left for the next poll because the deadline came first (their state is unchanged). */
	deferred: string[];
	/** True when there was no state: channels were baselined ("from now") and nothing is emitted. */
	firstRun: boolean;
	/** Work cut short (page caps, gaps, the deadline), for the log. */
	notes: string[];
}

export interface PollOptions {
	/** Local epoch ms (injected by tests). */
	now?: number;
	/** Channels read at once. */
	concurrency?: number;
	/** No request starts at or after this time (on `clock`); undefined = no deadline. */
	deadline?: number;
	/** The clock the deadline is read on (default Date.now; injected by tests). */
	clock?: () => number;
	/** Cancels the poll: it rejects with a CancelledError and no further request starts. */
	signal?: AbortSignal;
}

type Outcome = { read: ChannelRead } | { error: unknown } | { deferred: true };

export async function poll(source: PollSource, config: PollConfig, previous: TriggerState | undefined, options: PollOptions = {}): Promise<PollResult> {
	throwIfCancelled(options.signal);
	textMatcher(config.textFilter, config.fields?.textFilter); // an unusable pattern is refused before anything is read
	emojiMatcher(config.reactions, config.fields?.reactions); // and so is an emoji that is not one
	const now = options.now ?? Date.now();
	const budget = new Budget(options.deadline, options.clock, options.signal);
	const prior = isState(previous) ? previous : undefined;
	const firstRun = prior === undefined;
	const state: TriggerState = { v: 1, channels: {} };
	const threads = watchesThreads(config);

	// Which channels, and how each unknown one starts.
	const targets: Array<{ id: string; start: Start }> = [];
	const problems: ChannelProblem[] = [];
	if (config.channels === 'all') {
		state.listedAt = now;
		for (const entry of await memberChannels(source)) {
			const known = prior?.channels[entry.channel.id];
			let start: Start = 'baseline';
			if (!known && !firstRun && prior?.listedAt !== undefined) {
				// Appeared since the last listing. Created since then (a new DM, a new channel one was added
				// to): read it from its first message, so a DM's opening message is not lost. An older channel
				// one joined starts from now, like a channel added to the selection.
				const created = createdAt(entry);
				if (created !== undefined && created > prior.listedAt - NEW_CHANNEL_MARGIN_MS) start = { since: created - 1 };
			}
			if (!targets.some((t) => t.id === entry.channel.id)) targets.push({ id: entry.channel.id, start });
		}
	} else {
		const resolved = await resolveChannels(source, config.channels);
		for (const { ref, error } of resolved.unresolved) problems.push(failed(ref, prior?.channels[ref], error, now));
		for (const id of resolved.ids) targets.push({ id, start: 'baseline' });
	}
	for (const problem of problems) state.channels[problem.channel] = keepFailing(prior?.channels[problem.channel], 'baseline', problem.failure);
	// Channels the previous poll had no time for go first.
	targets.sort((a, b) => Number(!!prior?.channels[b.id]?.deferred) - Number(!!prior?.channels[a.id]?.deferred));

	const channelNotes = targets.map(() => [] as string[]);
	const results = await runInLanes<Outcome>({
		count: targets.length,
		concurrency: options.concurrency ?? CHANNEL_CONCURRENCY,
		laneOf: () => undefined,
		work: async (index) => {
			const { id, start } = targets[index];
			try {
				if (budget.spent()) return { deferred: true };
				return { read: await readChannel(source, config, threads, id, prior?.channels[id], start, budget, channelNotes[index]) };
			} catch (error) {
				// A cancellation ends the whole poll (the client's own error, reported by the trigger node).
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
				if (isCancelled(error) || options.signal?.aborted) throw error;
				if (error instanceof OutOfTime) return { deferred: true };
				return { error };
			}
		},
		// Only a cancellation throws: start nothing more.
		onError: () => false,
	});
	for (const result of results) if (result && !result.ok) throw result.error;

	const notes: string[] = [];
	const candidates: Message[][] = [];
	const changes: MarkChange[] = [];
	const recovered: string[] = [];
	const deferred: string[] = [];
	results.forEach((result, index) => {
		const { id, start } = targets[index];
		const before = prior?.channels[id];
		notes.push(...channelNotes[index]);
		const outcome = (result as { ok: true; value: Outcome }).value;
		if ('deferred' in outcome) {
			deferred.push(id);
			notes.push(`channel ${id}: the poll's time budget ran out before it was read; it is read on the next poll`);
			state.channels[id] = { ...(before ?? placeholder(start, now)), deferred: true };
		} else if ('error' in outcome) {
			const problem = failed(id, before, outcome.error, now);
			problems.push(problem);
			state.channels[id] = keepFailing(before, start, problem.failure);
		} else {
			if (before?.failure) recovered.push(id);
			state.channels[id] = outcome.read.state;
			candidates.push(outcome.read.candidates);
			changes.push(...(outcome.read.changes ?? []));
		}
	});

	if (watchesMarks(config)) {
		// Channels merged by their messages' time; within a message, reactions in Pumble's order (a stable sort).
		const selected = firstRun ? [] : await selectChanges(source, config, changes.sort((a, b) => olderFirst(a.message, b.message)));
		return { messages: [], events: selected.map(toEvent), state, problems, recovered, deferred, firstRun, notes };
	}
	const messages = firstRun ? [] : await select(source, config, candidates);
	return { messages, events: messages.map((m) => ({ json: m, key: m.id })), state, problems, recovered, deferred, firstRun, notes };
}

export function toEvent(change: MarkChange): PollEvent {
	const { message, reaction, key } = change;
	if (!reaction) return { json: message, key: `edit:${key}` };
	return { json: { reaction: reaction.code, user: reaction.user, messageId: message.id, channelId: message.channelId, message }, key: `reaction:${key}` };
}

/**
 * A channel not read yet keeps how it was meant to start: from its first message after `since`, or — a
 * baseline — from now (local clock), so what arrives until it is first read is not skipped.
 */
function placeholder(start: Start, now: number): ChannelState {
	return { ts: start === 'baseline' ? now : start.since, ids: [], unread: true };
}
