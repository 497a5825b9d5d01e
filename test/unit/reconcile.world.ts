/**
 * The reconciler's unit tests' world: a tiny workspace with a clock, and an API stand-in whose sends follow a
 * script of outcomes.
 */
import { PumbleApiError } from '../../core/errors';
import { SendReconciler, type ReconciledSend, type SendLookup } from '../../core/reconcile';
import { CancelledError } from '../../core/time';
import type { ChannelEntry, Message, MessageReceipt } from '../../core/types';

export const ME = 'aaaaaaaaaaaaaaaaaaaaaa01';
export const BOT = 'aaaaaaaaaaaaaaaaaaaaaab0';
export const OTHER = 'aaaaaaaaaaaaaaaaaaaaaa02';
export const THIRD = 'aaaaaaaaaaaaaaaaaaaaaa03';
export const CHANNEL = 'cccccccccccccccccccccc01';
export const ROOT = 'dddddddddddddddddddddd01';

export type Outcome = 'ok' | 'lost-after-posting' | 'not-processed' | 'rejected' | 'refused' | 'lands-late' | 'cancelled-in-flight';

/** A tiny workspace with a clock, and an API stand-in whose sends follow a script of outcomes. */
export function world(
	options: { identity?: string; outcomes?: Outcome[]; failLooks?: number; startMs?: number; landingMs?: number; lateMs?: number; signal?: AbortSignal } = {},
) {
	let now = options.startMs ?? Date.UTC(2026, 0, 1, 12, 0, 0, 500);
	let idCounter = 0;
	const messages: Array<Message & { threadRootId?: string }> = [];
	const channels: ChannelEntry[] = [
		{ channel: { id: CHANNEL, name: 'general', channelType: 'PUBLIC' }, users: [ME, OTHER] },
	];
	const outcomes = [...(options.outcomes ?? [])];
	const sleeps: number[] = [];
	const reads: string[] = [];
	let sends = 0;
	let failLooks = options.failLooks ?? 0;
	const identity = options.identity ?? `reconcile-${Math.random()}`;
	/** Writes Pumble carries out later (the `lands-late` outcome): posted when the clock passes `at`. */
	const late: Array<{ at: number; post: () => void }> = [];
	const tick = (ms: number) => {
		now += ms;
		for (const entry of late.filter((e) => e.at <= now)) {
			late.splice(late.indexOf(entry), 1);
			entry.post();
		}
	};

	const post = (author: string, channelId: string, text: string, extra: { threadRootId?: string; at?: number } = {}): Message => {
		idCounter++;
		const at = extra.at ?? now;
		const message = {
			id: `eeeeeeeeeeeeeeeeeeee${idCounter.toString(16).padStart(4, '0')}`,
			channelId,
			author,
			text,
			timestamp: new Date(Math.floor(at / 1000) * 1000).toISOString(),
			timestampMilli: Math.floor(at / 1000) * 1000,
			...(extra.threadRootId ? { threadRootId: extra.threadRootId } : {}),
		};
		messages.push(message);
		return message;
	};

	const read = (what: string) => {
		reads.push(what);
		if (failLooks > 0) {
			failLooks--;
			throw new PumbleApiError({ operation: what, apiMessage: 'Pumble did not answer in time (ECONNABORTED)', hint: '', outcome: 'rejected', networkFailure: 'timeout' });
		}
	};

	const newestFirst = (list: Message[], cursor: string | undefined, limit: number) => {
		const sorted = [...list].reverse(); // insertion order = time order
		const start = cursor ? sorted.findIndex((m) => m.id === cursor) : 0; // inclusive cursor
		return sorted.slice(start, start + limit + (cursor ? 1 : 0));
	};

	const api: SendLookup = {
		identity,
		async threadRepliesPage(q: { rootMessageId: string; cursor?: string; limit?: number }) {
			read('fetchThreadReplies');
			return newestFirst(messages.filter((m) => m.threadRootId === q.rootMessageId), q.cursor, q.limit ?? 100);
		},
		async myInfo() {
			read('myInfo');
			return { id: ME };
		},
		async listUsers() {
			read('listUsers');
			return [{ id: ME }, { id: OTHER }, { id: BOT, isAddonBot: true }];
		},
		async listChannels() {
			read('listChannels');
			return channels;
		},
		async listMessagesPage(input: { channel: { id: string }; cursor?: string; limit?: number }) {
			read('listMessages');
			const inChannel = messages.filter((m) => m.channelId === input.channel.id && !m.threadRootId);
			return { messages: newestFirst(inChannel, input.cursor, input.limit ?? 100) };
		},
	};

	/** A send that posts (or not) according to the next scripted outcome. */
	const sendTo = (
		target: ReconciledSend['target'],
		text: string,
		asBot = false,
		where?: () => { channelId: string; threadRootId?: string; author?: string; stored?: Partial<Message> },
	): ReconciledSend => ({
		operation: 'sendMessage',
		target,
		text,
		asBot,
		async send(hooks): Promise<MessageReceipt> {
			sends++;
			const outcome = outcomes.shift() ?? 'ok';
			hooks?.dispatched(now);
			now += 150;
			const destination = where ? where() : { channelId: CHANNEL, threadRootId: target.kind === 'channel' ? target.threadRootId : undefined };
			const store = () => {
				const message = post(destination.author ?? (asBot ? BOT : ME), destination.channelId, text, { threadRootId: destination.threadRootId });
				Object.assign(message, destination.stored ?? {});
				return message;
			};
			if (outcome === 'ok' || outcome === 'lost-after-posting') {
				const message = store();
				if (outcome === 'ok') return { id: message.id, channelId: destination.channelId };
			}
			if (outcome === 'lands-late') late.push({ at: now + (options.lateMs ?? 2_000), post: store });
			if (outcome === 'cancelled-in-flight') {
				throw new PumbleApiError({ operation: 'sendMessage', apiMessage: 'cancelled', hint: 'x', outcome: 'unknown', networkFailure: 'cancelled', cancelled: true });
			}
			const unknown = outcome === 'lost-after-posting' || outcome === 'not-processed' || outcome === 'lands-late';
			throw new PumbleApiError({
				operation: 'sendMessage',
				apiMessage: outcome === 'rejected' ? 'Could not find channel' : 'The connection to Pumble was interrupted (ECONNRESET)',
				hint: 'x',
				outcome: unknown ? 'unknown' : outcome === 'refused' ? 'notProcessed' : 'rejected',
				...(outcome === 'rejected' ? { status: 403 } : { networkFailure: 'reset' as const }),
			});
		},
	});

	const clock = {
		now: () => now,
		sleep: async (ms: number, signal?: AbortSignal) => {
			if (signal?.aborted) throw new CancelledError();
			sleeps.push(ms);
			tick(ms);
		},
	};
	const reconciler = new SendReconciler(api, { settleMs: 10, lookPageSize: 5, landingMs: options.landingMs ?? 10 }, options.signal, clock);

	return {
		api,
		reconciler,
		messages,
		channels,
		sleeps,
		reads,
		post,
		sendTo,
		identity,
		get sends() {
			return sends;
		},
		clock,
		/** Runs `fn` when the clock passes `inMs` from now. */
		later(inMs: number, fn: () => void) {
			late.push({ at: now + inMs, post: fn });
		},
		advance(ms: number) {
			tick(ms);
		},
		withText: (text: string) => messages.filter((m) => m.text === text),
	};
}

export const toChannel = { kind: 'channel' as const, channelId: CHANNEL };
