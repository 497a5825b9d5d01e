/**
 * For a manual run ("Fetch Test Event"): the newest message that the trigger would emit, ignoring
 * whether it is new, so the user can map fields. Reads the newest page of each channel and the most
 * recently active threads. Touches no state. Channels resolve by the same rule as a poll (channels.ts).
 * Reaction Added: the last reaction of the newest message with a matching one; Message Edited: the
 * newest message marked as edited.
 */
import { runInLanes } from '../lanes/runner';
import type { Message } from '../types';
import { memberChannels, resolveChannels } from './channels';
import { CHANNEL_CONCURRENCY, PAGE_SIZE, watchesMarks, watchesThreads, type PollConfig } from './config';
import { failed, type ChannelProblem } from './failures';
import { emojiMatcher, select, selectChanges, textMatcher } from './filters';
import type { MarkChange } from './marks';
import { toEvent, type PollEvent } from './poll';
import { olderFirst } from './order';
import { sortedNewestFirst } from './pages';
import type { PollSource } from './source';
import { isReply } from './threads';

/** How many recently active threads per channel a manual run looks into for a sample reply. */
const SAMPLE_THREADS = 5;

export async function sample(source: PollSource, config: PollConfig): Promise<{ message?: Message; event?: PollEvent; problems: ChannelProblem[] }> {
	textMatcher(config.textFilter, config.fields?.textFilter);
	emojiMatcher(config.reactions, config.fields?.reactions);
	const now = Date.now();
	const problems: ChannelProblem[] = [];
	let ids: string[];
	if (config.channels === 'all') {
		ids = [...new Set((await memberChannels(source)).map((entry) => entry.channel.id))];
	} else {
		const resolved = await resolveChannels(source, config.channels);
		for (const { ref, error } of resolved.unresolved) problems.push(failed(ref, undefined, error, now));
		ids = resolved.ids;
	}
	const threads = watchesThreads(config);
	const found: Message[] = [];
	await runInLanes({
		count: ids.length,
		concurrency: CHANNEL_CONCURRENCY,
		laneOf: () => undefined,
		work: async (index) => {
			const channelId = ids[index];
			try {
				const messages = sortedNewestFirst(await source.listMessagesPage({ channelId, limit: PAGE_SIZE }));
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
		},
	});
	found.sort(olderFirst);
	if (watchesMarks(config)) {
		const seen: MarkChange[] = found.flatMap((message) =>
			config.event === 'reactionAdded'
				? (message.reactions ?? []).map((reaction) => ({ message, reaction, key: 'sample' }))
				: message.edited === true
					? [{ message, key: 'sample' }]
					: [],
		);
		const last = (await selectChanges(source, config, seen)).pop();
		return { ...(last ? { message: last.message, event: toEvent(last) } : {}), problems };
	}
	// The newest match: by timestamp, then (same second) by ID, as everywhere else.
	const matching = await select(source, config, [found]);
	const message = matching[matching.length - 1];
	return { ...(message ? { message, event: { json: message, key: message.id } } : {}), problems };
}
