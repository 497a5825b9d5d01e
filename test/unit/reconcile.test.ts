/**
 * The reconciler's decisions, against an in-memory stand-in for the API (no HTTP, no limiter): when a
 * send's outcome is unknown it looks before deciding, claims only a message that can be this send's,
 * and never sends without a look having found nothing.
 */
import { PumbleApiError } from '../../core/errors';
import { answeredSends, AnsweredSends, findDirectChannel, SendReconciler, type ReconciledSend, type SendLookup } from '../../core/reconcile';
import { CancelledError } from '../../core/time';
import type { ChannelEntry, Message, MessageReceipt } from '../../core/types';

const ME = 'aaaaaaaaaaaaaaaaaaaaaa01';
const BOT = 'aaaaaaaaaaaaaaaaaaaaaab0';
const OTHER = 'aaaaaaaaaaaaaaaaaaaaaa02';
const THIRD = 'aaaaaaaaaaaaaaaaaaaaaa03';
const CHANNEL = 'cccccccccccccccccccccc01';
const ROOT = 'dddddddddddddddddddddd01';

type Outcome = 'ok' | 'lost-after-posting' | 'not-processed' | 'rejected' | 'refused' | 'lands-late' | 'cancelled-in-flight';

/** A tiny workspace with a clock, and an API stand-in whose sends follow a script of outcomes. */
function world(
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

const toChannel = { kind: 'channel' as const, channelId: CHANNEL };

describe('a send that works', () => {
	it('returns the receipt, reads nothing', async () => {
		const w = world();
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'hello'));
		expect(receipt).toEqual({ id: w.messages[0].id, channelId: CHANNEL });
		expect(w.reads).toEqual([]);
		expect(w.sleeps).toEqual([]);
	});
});

describe('when the outcome is unknown', () => {
	it('the message got posted: it is found and claimed, not sent again', async () => {
		const w = world({ outcomes: ['lost-after-posting'] });
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'posted, answer lost'));
		expect(w.sends).toBe(1);
		expect(w.withText('posted, answer lost')).toHaveLength(1);
		expect(receipt).toEqual({ id: w.messages[0].id, channelId: CHANNEL, reconciled: true });
		expect(w.sleeps).toEqual([10]); // settled once before looking
	});

	it('the message did not arrive: sent once more, after the look; exactly one message', async () => {
		const w = world({ outcomes: ['not-processed', 'ok'] });
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'lost before processing'));
		expect(w.sends).toBe(2);
		expect(w.withText('lost before processing')).toHaveLength(1);
		expect(receipt).toEqual({ id: w.withText('lost before processing')[0].id, channelId: CHANNEL, attempts: 2 });
		expect(w.reads).toContain('listMessages');
	});

	it('every further send is preceded by a look that found nothing; the last miss is reported as not sent', async () => {
		const w = world({ outcomes: Array(10).fill('not-processed') });
		const reconciler = new SendReconciler(w.api, { settleMs: 10, maxResends: 2, landingMs: 10 }, undefined, w.clock);
		const error = await reconciler.send(w.sendTo(toChannel, 'never arrives')).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PumbleApiError);
		// A look that finds nothing is not proof: Pumble could still post an attempt late. Say what is known.
		expect((error as PumbleApiError).outcome).toBe('unknown');
		expect((error as PumbleApiError).message).toMatch(/not in channel cccccccccccccccccccccc01 after 3 attempts/);
		expect((error as PumbleApiError).hint).toMatch(/looked for in Pumble.*not found.*look in channel cccccccccccccccccccccc01 before running this item again/);
		expect((error as PumbleApiError).hint).not.toMatch(/Nothing was posted|safe to run/);
		expect(w.sends).toBe(3);
		expect(w.reads.filter((r) => r === 'listMessages')).toHaveLength(3);
	});

	it('a later attempt that lands is found by the next look (searched from the first attempt on)', async () => {
		const w = world({ outcomes: ['not-processed', 'lost-after-posting'] });
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'second time lucky'));
		expect(w.sends).toBe(2);
		expect(receipt).toEqual(expect.objectContaining({ reconciled: true, attempts: 2 }));
		expect(w.withText('second time lucky')).toHaveLength(1);
	});

	it('waits longer before each further look', async () => {
		const w = world({ outcomes: ['not-processed', 'not-processed', 'ok'] });
		await w.reconciler.send(w.sendTo(toChannel, 'patience'));
		expect(w.sleeps).toEqual([10, 20]);
	});
});

describe('what a look may claim', () => {
	it('not a message by someone else with the same text', async () => {
		const w = world({ outcomes: ['not-processed', 'ok'] });
		w.post(OTHER, CHANNEL, 'same words');
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'same words'));
		expect(receipt.reconciled).toBeUndefined();
		expect(w.withText('same words').map((m) => m.author)).toEqual([OTHER, ME]);
	});

	it('not my message with the same text from before the attempt began (earlier second)', async () => {
		const w = world({ outcomes: ['not-processed', 'ok'] });
		w.post(ME, CHANNEL, 'again', { at: Date.UTC(2026, 0, 1, 11, 59, 59, 900) });
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'again'));
		expect(receipt.reconciled).toBeUndefined();
		expect(w.withText('again')).toHaveLength(2);
	});

	it('my message from earlier in the same second counts (timestamps are whole seconds), unless this process already answered it', async () => {
		// Posted at 12:00:00.100 by another tool: its timestamp, 12:00:00, equals the attempt start truncated.
		const w = world({ outcomes: ['not-processed'] });
		const early = w.post(ME, CHANNEL, 'same second', { at: Date.UTC(2026, 0, 1, 12, 0, 0, 100) });
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'same second'));
		expect(receipt).toEqual({ id: early.id, channelId: CHANNEL, reconciled: true });

		// Item 1 sent "twin" and got its answer; item 2's identical "twin" is lost before processing.
		const w2 = world({ outcomes: ['ok', 'not-processed', 'ok'] });
		const first = await w2.reconciler.send(w2.sendTo(toChannel, 'twin'));
		const second = await w2.reconciler.send(w2.sendTo(toChannel, 'twin'));
		expect(second.id).not.toBe(first.id);
		expect(second.reconciled).toBeUndefined();
		expect(w2.withText('twin')).toHaveLength(2);
	});

	it('a message found once is not claimed by a second lost send of the same text', async () => {
		const w = world({ outcomes: ['lost-after-posting', 'lost-after-posting'] });
		const first = await w.reconciler.send(w.sendTo(toChannel, 'echo'));
		const second = await w.reconciler.send(w.sendTo(toChannel, 'echo'));
		expect(first.reconciled).toBe(true);
		expect(second.reconciled).toBe(true);
		expect(second.id).not.toBe(first.id);
	});

	it('line ends and surrounding blanks do not matter', async () => {
		const w = world({ outcomes: ['lost-after-posting'] });
		const message = await w.reconciler.send(w.sendTo(toChannel, 'two\r\nlines '));
		expect(message.reconciled).toBe(true);
	});

	it('"Send as Bot": a message by an add-on bot, not by the key\'s user', async () => {
		const w = world({ outcomes: ['lost-after-posting'] });
		w.post(ME, CHANNEL, 'as bot');
		w.advance(0);
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'as bot', true));
		expect(receipt.reconciled).toBe(true);
		expect(w.messages.find((m) => m.id === receipt.id)?.author).toBe(BOT);
	});

	it('pages back through a busy channel until messages are older than the attempt', async () => {
		const w = world({ outcomes: ['lost-after-posting'] });
		const send = w.sendTo(toChannel, 'needle');
		const reconciled = w.reconciler.send({
			...send,
			send: async (hooks) => {
				const result = send.send(hooks);
				// 12 messages by others arrive after ours, before the look (page size 5)
				for (let i = 0; i < 12; i++) w.post(OTHER, CHANNEL, `noise ${i}`);
				return result;
			},
		});
		const receipt = await reconciled;
		expect(receipt.reconciled).toBe(true);
		expect(w.reads.filter((r) => r === 'listMessages').length).toBeGreaterThanOrEqual(3);
	});
});

describe('where a look reads', () => {
	it('a reply: the thread, not the channel', async () => {
		const w = world({ outcomes: ['lost-after-posting'] });
		const receipt = await w.reconciler.send(w.sendTo({ kind: 'channel', channelId: CHANNEL, threadRootId: ROOT }, 'in the thread'));
		expect(receipt.reconciled).toBe(true);
		expect(w.reads).toContain('fetchThreadReplies');
		expect(w.reads).not.toContain('listMessages');
	});

	it('a DM: the DIRECT conversation with exactly those people', async () => {
		const DM = 'cccccccccccccccccccccc02';
		const GROUP = 'cccccccccccccccccccccc03';
		const w = world({ outcomes: ['lost-after-posting'] });
		w.channels.push(
			{ channel: { id: GROUP, name: '', channelType: 'DIRECT' }, users: [ME, OTHER, THIRD] },
			{ channel: { id: DM, name: '', channelType: 'DIRECT' }, users: [OTHER, ME] },
		);
		w.post(ME, GROUP, 'psst'); // the same text in the group conversation does not count
		const receipt = await w.reconciler.send(w.sendTo({ kind: 'dm', userIds: [OTHER] }, 'psst', false, () => ({ channelId: DM })));
		expect(receipt).toEqual(expect.objectContaining({ channelId: DM, reconciled: true }));
	});

	it('a DM whose conversation does not exist yet was not posted: sent once more', async () => {
		const w = world({ outcomes: ['not-processed', 'ok'] });
		const receipt = await w.reconciler.send(w.sendTo({ kind: 'dm', userIds: [OTHER, THIRD] }, 'hi all', false, () => ({ channelId: 'cccccccccccccccccccccc09' })));
		expect(w.sends).toBe(2);
		expect(receipt.attempts).toBe(2);
	});

	it('findDirectChannel matches the member set exactly, in any order, the caller included', () => {
		const entries: ChannelEntry[] = [
			{ channel: { id: 'a', channelType: 'DIRECT' }, users: [ME, OTHER, THIRD] },
			{ channel: { id: 'b', channelType: 'PUBLIC' }, users: [ME, OTHER] },
			{ channel: { id: 'c', channelType: 'DIRECT' }, users: [OTHER, ME] },
		];
		expect(findDirectChannel(entries, new Set([ME, OTHER]))).toBe('c');
		expect(findDirectChannel(entries, new Set([THIRD, ME, OTHER]))).toBe('a');
		expect(findDirectChannel(entries, new Set([ME, THIRD]))).toBeUndefined();
	});
});

describe('text that Pumble stores differently', () => {
	it('runs of blanks and line ends collapsed by Pumble still match', async () => {
		const w = world({ outcomes: ['lost-after-posting'] });
		const receipt = await w.reconciler.send(
			w.sendTo(toChannel, 'deploy  done\r\n\r\n  next:\tqa', false, () => ({ channelId: CHANNEL, stored: { text: 'deploy done\nnext: qa' } })),
		);
		expect(receipt.reconciled).toBe(true);
		expect(w.sends).toBe(1);
	});

	it('a message kept as blocks with an empty "text" matches on the text inside its blocks', async () => {
		const w = world({ outcomes: ['lost-after-posting'] });
		const blocks = [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'release ' }, { type: 'text', text: '1.2' }] }] }];
		const receipt = await w.reconciler.send({
			...w.sendTo(toChannel, 'release 1.2', false, () => ({ channelId: CHANNEL, stored: { text: '', blocks } })),
			blocks,
		});
		expect(receipt.reconciled).toBe(true);
		expect(w.sends).toBe(1);
	});

	it('different words do not match, however they are spaced', async () => {
		const w = world({ outcomes: ['lost-after-posting', 'ok'] });
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'release 1.2', false, () => ({ channelId: CHANNEL, stored: { text: 'release 1.3' } })));
		expect(receipt.reconciled).toBeUndefined();
		expect(w.sends).toBe(2);
	});
});

describe('a write that lands after the look', () => {
	it('nothing is resent before the landing time has passed; the late message is found and claimed', async () => {
		const w = world({ outcomes: ['lands-late'], landingMs: 5_000, lateMs: 2_000 });
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'late but there'));
		expect(w.sends).toBe(1);
		expect(receipt).toEqual(expect.objectContaining({ reconciled: true }));
		expect(w.withText('late but there')).toHaveLength(1);
		// The first look (after 10 ms) found nothing; the deciding look began at least 5 s after the failure.
		expect(w.reads.filter((r) => r === 'listMessages')).toHaveLength(2);
		expect(w.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5_000);
	});

	it('a resend happens only after a look at or beyond the landing time found nothing', async () => {
		const w = world({ outcomes: ['not-processed', 'ok'], landingMs: 3_000 });
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'really lost'));
		expect(receipt.attempts).toBe(2);
		expect(w.withText('really lost')).toHaveLength(1);
		expect(w.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3_000);
	});
});

describe('another item\'s or worker\'s identical message', () => {
	it('is not claimed when it was posted while this send waited in the queue (the window starts at departure)', async () => {
		const w = world({ outcomes: ['lost-after-posting'] });
		const send = w.sendTo(toChannel, 'twin text');
		const receipt = await w.reconciler.send({
			...send,
			send: async (hooks) => {
				// Queued for 3 s; meanwhile another worker's identical message (same key user) arrives.
				w.post(ME, CHANNEL, 'twin text');
				w.advance(3_000);
				return send.send(hooks);
			},
		});
		expect(receipt.reconciled).toBe(true);
		expect(receipt.id).toBe(w.withText('twin text')[1].id);
	});

	it('two candidates in the window: neither is claimed, nothing is resent, the error says why', async () => {
		const w = world({ outcomes: ['lost-after-posting'] });
		const send = w.sendTo(toChannel, 'double');
		const error = (await w.reconciler
			.send({
				...send,
				send: async (hooks) => {
					const result = send.send(hooks);
					w.post(ME, CHANNEL, 'double'); // another worker's, unanswered here
					return result;
				},
			})
			.catch((e: unknown) => e)) as PumbleApiError;
		expect(error).toBeInstanceOf(PumbleApiError);
		expect(error.outcome).toBe('unknown');
		expect(error.message).toMatch(/2 messages with the same text and author/);
		expect(w.sends).toBe(1);
	});
});

describe('"Send as Bot" in a DM: whichever way Pumble posts it', () => {
	const DM = 'cccccccccccccccccccccc02';
	const BOT_DM = 'cccccccccccccccccccccc04';
	const toOther = { kind: 'dm' as const, userIds: [OTHER] };

	function dmWorld(outcomes: Outcome[]) {
		const w = world({ outcomes });
		w.channels.push({ channel: { id: DM, name: '', channelType: 'DIRECT' }, users: [ME, OTHER] });
		return w;
	}

	it('botInUserDm: by the bot, in the user\'s DM — found and claimed', async () => {
		const w = dmWorld(['ok', 'lost-after-posting']);
		const where = () => ({ channelId: DM, author: BOT });
		await w.reconciler.send(w.sendTo(toOther, 'first', true, where)); // an answered bot DM shows where they go
		const receipt = await w.reconciler.send(w.sendTo(toOther, 'as bot dm', true, where));
		expect(receipt).toEqual(expect.objectContaining({ channelId: DM, reconciled: true }));
		expect(w.sends).toBe(2);
	});

	it('botInUserDm with no answered bot DM yet: an earlier bot message in the DM is evidence enough', async () => {
		const w = dmWorld(['not-processed', 'ok']);
		w.post(BOT, DM, 'an older bot DM', { at: Date.UTC(2026, 0, 1, 11, 0, 0) });
		const receipt = await w.reconciler.send(w.sendTo(toOther, 'then resent', true, () => ({ channelId: DM, author: BOT })));
		expect(receipt.attempts).toBe(2);
		expect(w.withText('then resent')).toHaveLength(1);
	});

	it('asUser: Pumble posts it as the user in the user\'s DM — found and claimed', async () => {
		const w = dmWorld(['ok', 'lost-after-posting']);
		const where = () => ({ channelId: DM, author: ME });
		await w.reconciler.send(w.sendTo(toOther, 'first', true, where));
		const receipt = await w.reconciler.send(w.sendTo(toOther, 'as user after all', true, where));
		expect(receipt).toEqual(expect.objectContaining({ channelId: DM, reconciled: true }));
		expect(w.sends).toBe(2);
	});

	it('botOwnDm, readable: by the bot in its own DM with the recipient — found there', async () => {
		const w = dmWorld(['ok', 'lost-after-posting']);
		w.channels.push({ channel: { id: BOT_DM, name: '', channelType: 'DIRECT' }, users: [BOT, OTHER] });
		const where = () => ({ channelId: BOT_DM, author: BOT });
		await w.reconciler.send(w.sendTo(toOther, 'first', true, where));
		const receipt = await w.reconciler.send(w.sendTo(toOther, 'in the bot\'s own dm', true, where));
		expect(receipt).toEqual(expect.objectContaining({ channelId: BOT_DM, reconciled: true }));
	});

	it('botOwnDm, not readable by the key: outcome unknown, said so, never resent', async () => {
		const w = dmWorld(['ok', 'lost-after-posting']);
		const where = () => ({ channelId: BOT_DM, author: BOT }); // not in the key's channel list
		await w.reconciler.send(w.sendTo(toOther, 'first', true, where));
		const error = (await w.reconciler.send(w.sendTo(toOther, 'unseen', true, where)).catch((e: unknown) => e)) as PumbleApiError;
		expect(error).toBeInstanceOf(PumbleApiError);
		expect(error.outcome).toBe('unknown');
		expect(error.message).toMatch(/cannot be checked/);
		expect(error.hint).toMatch(/not sent again/);
		expect(w.sends).toBe(2);
		expect(w.withText('unseen')).toHaveLength(1);
	});

	it('no evidence at first, then another item\'s bot DM is answered before the deciding look: not found there, so resent once', async () => {
		const w = world({ outcomes: ['not-processed', 'ok'], landingMs: 3_000 });
		w.channels.push({ channel: { id: DM, name: '', channelType: 'DIRECT' }, users: [ME, OTHER] });
		w.later(1_000, () => answeredSends.rememberBotDm(w.identity, DM));
		const receipt = await w.reconciler.send(w.sendTo(toOther, 'decided later', true, () => ({ channelId: DM, author: BOT })));
		expect(receipt.attempts).toBe(2);
		expect(w.withText('decided later')).toHaveLength(1);
	});

	it('no evidence yet of where bot DMs go: a look that finds nothing proves nothing, so nothing is resent', async () => {
		const w = dmWorld(['not-processed']);
		const error = (await w.reconciler.send(w.sendTo(toOther, 'where did it go', true, () => ({ channelId: BOT_DM, author: BOT }))).catch((e: unknown) => e)) as PumbleApiError;
		expect(error.outcome).toBe('unknown');
		expect(w.sends).toBe(1);
	});
});

describe('cancellation', () => {
	it('a send cancelled in flight is reported as it is: no look, no resend', async () => {
		const w = world({ outcomes: ['cancelled-in-flight'] });
		const error = (await w.reconciler.send(w.sendTo(toChannel, 'stop')).catch((e: unknown) => e)) as PumbleApiError;
		expect(error).toMatchObject({ outcome: 'unknown', cancelled: true });
		expect(w.reads).toEqual([]);
		expect(w.sends).toBe(1);
	});

	it('cancelled during the settle wait: no look, no resend, outcome unknown and cancelled', async () => {
		const controller = new AbortController();
		const w = world({ outcomes: ['not-processed'], signal: controller.signal });
		const send = w.sendTo(toChannel, 'stopped while settling');
		const error = (await w.reconciler
			.send({
				...send,
				send: async (hooks) => {
					try {
						return await send.send(hooks);
					} finally {
						controller.abort();
					}
				},
			})
			.catch((e: unknown) => e)) as PumbleApiError;
		expect(error).toBeInstanceOf(PumbleApiError);
		expect(error).toMatchObject({ outcome: 'unknown', cancelled: true });
		expect(error.message).toMatch(/cancelled before it could be checked/);
		expect(w.reads).toEqual([]);
		expect(w.sends).toBe(1);
	});

	it('a real cancellable wait: the settle delay ends when the signal fires', async () => {
		const controller = new AbortController();
		const w = world({ outcomes: ['not-processed'] });
		const reconciler = new SendReconciler(w.api, { settleMs: 60_000, landingMs: 60_000 }, controller.signal);
		const pending = reconciler.send(w.sendTo(toChannel, 'long settle')).catch((e: unknown) => e);
		setImmediate(() => controller.abort());
		const error = (await pending) as PumbleApiError;
		expect(error).toMatchObject({ outcome: 'unknown', cancelled: true });
		expect(w.reads).toEqual([]);
	});
});

describe('what is not reconciled', () => {
	it('a refusal (403): thrown as is, no look', async () => {
		const w = world({ outcomes: ['rejected'] });
		await expect(w.reconciler.send(w.sendTo(toChannel, 'x'))).rejects.toMatchObject({ outcome: 'rejected', status: 403 });
		expect(w.reads).toEqual([]);
		expect(w.sends).toBe(1);
	});

	it('certainly not processed (refused connection, 429 after all retries): thrown as is, no look', async () => {
		const w = world({ outcomes: ['refused'] });
		await expect(w.reconciler.send(w.sendTo(toChannel, 'x'))).rejects.toMatchObject({ outcome: 'notProcessed' });
		expect(w.reads).toEqual([]);
	});

	it('a look that keeps failing: outcome unknown, said clearly, nothing sent again', async () => {
		const w = world({ outcomes: ['lost-after-posting'], failLooks: 100 });
		const error = (await w.reconciler.send(w.sendTo(toChannel, 'unsure')).catch((e: unknown) => e)) as PumbleApiError;
		expect(error).toBeInstanceOf(PumbleApiError);
		expect(error.outcome).toBe('unknown');
		expect(error.message).toMatch(/checking whether the message arrived failed too/);
		expect(error.hint).toMatch(/may or may not have been posted\. Look in channel cccccccccccccccccccccc01 before running this item again/);
		expect(w.sends).toBe(1);
		expect(w.reads.length).toBe(3); // three looks, each failing at its first read
	});

	it('a look that fails once is repeated', async () => {
		const w = world({ outcomes: ['lost-after-posting'], failLooks: 1 });
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'second look'));
		expect(receipt.reconciled).toBe(true);
		expect(w.sends).toBe(1);
	});
});

describe('the record of answered sends', () => {
	it('is bounded per key', async () => {
		const identity = `bounded-${Math.random()}`;
		for (let i = 0; i < 25_000; i++) answeredSends.add(identity, `id-${i}`);
		expect(answeredSends.size(identity)).toBe(20_000);
		expect(answeredSends.has(identity, 'id-0')).toBe(false);
		expect(answeredSends.has(identity, 'id-24999')).toBe(true);
	});

	it('forgets after ten minutes', () => {
		const identity = `aging-${Math.random()}`;
		const t0 = Date.now();
		answeredSends.add(identity, 'old', t0);
		answeredSends.add(identity, 'new', t0 + 11 * 60_000);
		expect(answeredSends.has(identity, 'old')).toBe(false);
		expect(answeredSends.has(identity, 'new')).toBe(true);
	});

	it('forgets keys: 1,000 credentials\' records are gone once they age out', () => {
		const record = new AnsweredSends(60_000, 100);
		const t0 = Date.now();
		for (let k = 0; k < 1_000; k++) for (let i = 0; i < 10; i++) record.add(`key-${k}`, `id-${k}-${i}`, t0);
		expect(record.identities).toBe(1_000);
		record.sweep(t0 + 61_000);
		expect(record.identities).toBe(0);
		expect(record.has('key-1', 'id-1-1', t0 + 61_000)).toBe(false);
	});

	it('holds at most maxIdentities keys (least recently used dropped first)', () => {
		const record = new AnsweredSends(60_000, 10, 50);
		for (let k = 0; k < 200; k++) record.add(`key-${k}`, 'id');
		expect(record.identities).toBe(50);
		expect(record.has('key-199', 'id')).toBe(true);
		expect(record.has('key-0', 'id')).toBe(false);
	});

	it('is per key: another key\'s answered send may be claimed', () => {
		answeredSends.add('key-a', 'shared-id');
		expect(answeredSends.has('key-b', 'shared-id')).toBe(false);
	});
});
