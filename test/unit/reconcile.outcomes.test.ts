/**
 * The reconciler's decisions (core/reconcile/), against an in-memory stand-in for the API (no HTTP, no
 * limiter): when a send's outcome is unknown it looks before deciding, claims only a message that can be this
 * send's, and never sends without a look having found nothing. Here: a send that works, what happens when the
 * outcome is unknown, what a look may claim as the message, and where a look reads.
 */
import { PumbleApiError } from '../../core/errors';
import { findDirectChannel, SendReconciler } from '../../core/reconcile';
import type { ChannelEntry } from '../../core/types';
import { ME, BOT, OTHER, THIRD, CHANNEL, ROOT, world, toChannel } from './reconcile.world';

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
