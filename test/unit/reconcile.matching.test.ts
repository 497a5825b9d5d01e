/**
 * Reconciliation: telling the message sent from others — text Pumble stores differently, a write that lands
 * after the look, another item's or worker's identical message, "Send as Bot" in a DM either way Pumble posts it.
 */
import { PumbleApiError } from '../../core/errors';
import { answeredSends } from '../../core/reconcile';
import { ME, BOT, OTHER, CHANNEL, Outcome, world, toChannel } from './reconcile.world';

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
