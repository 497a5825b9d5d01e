/**
 * Reaction Added and Message Edited (core/poller/marks.ts) against an in-memory Pumble: each reaction and
 * each edit once, from the newest messages each poll re-reads, with a small bounded state.
 */
import { sample, type PollResult, type ReactionAdded } from '../../core/poller';
import { PumbleInputError } from '../../core/errors';
import type { Message } from '../../core/types';
import { BOB, BOT, CAROL, ME } from './poller.fake';
import { GENERAL, RANDOM, setup } from './poller.setup';

/** `emoji by user on text` for each reaction event. */
const reactions = (result: PollResult) =>
	result.events.map((e) => {
		const item = e.json as ReactionAdded;
		return `${item.reaction} by ${item.user === BOB ? 'bob' : item.user === CAROL ? 'carol' : item.user === ME ? 'me' : 'bot'} on ${item.message.text}`;
	});
const edits = (result: PollResult) => result.events.map((e) => (e.json as Message).text);

describe('Reaction Added', () => {
	it('emits each reaction added since the last poll once, with who reacted and the message; a quiet poll costs one listMessages per channel', async () => {
		const t = setup({ event: 'reactionAdded' });
		const old = t.pumble.post(GENERAL, BOB, 'old');
		t.pumble.react(old.id, CAROL, ':eyes:');
		expect(reactions(await t.run())).toEqual([]); // activation: reactions already there are not events
		t.pumble.react(old.id, CAROL, ':+1:');
		t.pumble.react(old.id, BOB, ':+1:');
		const first = await t.run();
		expect(reactions(first)).toEqual([':+1: by carol on old', ':+1: by bob on old']);
		expect(first.events[0].json).toMatchObject({ reaction: ':+1:', user: CAROL, messageId: old.id, channelId: GENERAL, message: { id: old.id, text: 'old' } });
		// seen again in the next poll: not emitted again; the quiet poll reads one page per channel
		t.pumble.calls = [];
		expect(reactions(await t.run())).toEqual([]);
		expect(t.pumble.calls.map((c) => [c.op, c.channelId, c.cursor, c.limit])).toEqual([
			['listMessages', GENERAL, undefined, 100],
			['listMessages', RANDOM, undefined, 100],
		]);
	});

	it('a new message is compared with nothing: its reactions are all new; reactions come oldest message first, across channels', async () => {
		const t = setup({ event: 'reactionAdded' });
		await t.run();
		t.pumble.tick(1000);
		const a = t.pumble.post(RANDOM, BOB, 'a');
		t.pumble.tick(1000);
		const b = t.pumble.post(GENERAL, BOB, 'b');
		t.pumble.react(b.id, CAROL, ':tada:');
		t.pumble.react(a.id, CAROL, ':wave:');
		expect(reactions(await t.run())).toEqual([':wave: by carol on a', ':tada: by carol on b']);
	});

	it('a reaction removed and added back after a poll saw it gone is a new event with a new key; removed and re-added between two polls is not seen', async () => {
		const t = setup({ event: 'reactionAdded' });
		const m = t.pumble.post(GENERAL, BOB, 'm');
		await t.run();
		t.pumble.react(m.id, CAROL, ':+1:');
		const first = await t.run();
		t.pumble.unreact(m.id, CAROL, ':+1:');
		expect(reactions(await t.run())).toEqual([]);
		t.pumble.react(m.id, CAROL, ':+1:');
		const again = await t.run();
		expect(reactions(again)).toEqual([':+1: by carol on m']);
		expect(again.events[0].key).not.toBe(first.events[0].key);
		t.pumble.unreact(m.id, CAROL, ':+1:');
		t.pumble.react(m.id, CAROL, ':+1:');
		expect(reactions(await t.run())).toEqual([]);
	});

	it('a poll repeated from the same state (a restart before the state was saved) gives the same events with the same keys', async () => {
		const t = setup({ event: 'reactionAdded' });
		const m = t.pumble.post(GENERAL, BOB, 'm');
		await t.run();
		const saved = structuredClone(t.state);
		t.pumble.react(m.id, CAROL, ':+1:');
		const first = await t.run();
		t.state = saved;
		const repeated = await t.run();
		expect(repeated.events).toEqual(first.events);
		expect(reactions(await t.run())).toEqual([]);
	});

	it('leaves out my own reactions and bots\' unless asked, and keeps only the chosen emoji', async () => {
		const t = setup({ event: 'reactionAdded', reactions: ['👍', 'white_check_mark'] });
		const m = t.pumble.post(GENERAL, BOB, 'm');
		await t.run();
		t.pumble.react(m.id, ME, ':+1:');
		t.pumble.react(m.id, BOT, ':+1:');
		t.pumble.react(m.id, CAROL, ':eyes:');
		t.pumble.react(m.id, CAROL, ':white_check_mark:');
		t.pumble.react(m.id, BOB, ':+1:');
		expect(reactions(await t.run())).toEqual([':white_check_mark: by carol on m', ':+1: by bob on m']);

		const u = setup({ event: 'reactionAdded', includeOwn: true, includeBots: true });
		const n = u.pumble.post(GENERAL, BOB, 'n');
		await u.run();
		u.pumble.react(n.id, ME, ':+1:');
		u.pumble.react(n.id, BOT, ':+1:');
		expect(reactions(await u.run())).toEqual([':+1: by me on n', ':+1: by bot on n']);
	});

	it('refuses an emoji filter entry that is not an emoji, naming it, before reading anything', async () => {
		const t = setup({ event: 'reactionAdded', reactions: ['ok', 'not an emoji'] });
		await expect(t.run()).rejects.toThrow(PumbleInputError);
		await expect(t.run()).rejects.toThrow(/not an emoji/);
		expect(t.pumble.calls).toEqual([]);
	});

	it('watches the newest Messages to Watch: a reaction on an older message is not seen, and the state keeps only the window', async () => {
		const t = setup({ event: 'reactionAdded', channels: [GENERAL], watchWindow: 3 });
		const messages = ['m1', 'm2', 'm3', 'm4', 'm5'].map((text) => {
			t.pumble.tick(1000);
			return t.pumble.post(GENERAL, BOB, text);
		});
		for (const m of messages) t.pumble.react(m.id, CAROL, ':eyes:');
		await t.run();
		expect(Object.keys(t.state!.channels[GENERAL].reacted!).sort()).toEqual(messages.slice(2).map((m) => m.id).sort());
		t.pumble.react(messages[0].id, CAROL, ':+1:'); // below the window
		t.pumble.react(messages[2].id, CAROL, ':+1:'); // the window's oldest
		expect(reactions(await t.run())).toEqual([':+1: by carol on m3']);
	});

	it('after a burst pushed watched messages out of the window, each is compared once more', async () => {
		const t = setup({ event: 'reactionAdded', channels: [GENERAL], watchWindow: 3 });
		const watched = t.pumble.post(GENERAL, BOB, 'watched');
		await t.run();
		t.pumble.tick(1000);
		for (let i = 0; i < 150; i++) t.pumble.post(GENERAL, BOB, `burst ${i}`);
		t.pumble.react(watched.id, CAROL, ':+1:');
		expect(reactions(await t.run())).toEqual([':+1: by carol on watched']);
		expect(Object.keys(t.state!.channels[GENERAL].reacted ?? {})).toEqual([]);
	});

	it('the manual sample is the newest message\'s last matching reaction', async () => {
		const t = setup({ event: 'reactionAdded' });
		const a = t.pumble.post(GENERAL, BOB, 'a');
		t.pumble.tick(1000);
		const b = t.pumble.post(RANDOM, BOB, 'b');
		t.pumble.react(a.id, CAROL, ':+1:');
		t.pumble.react(b.id, CAROL, ':eyes:');
		t.pumble.react(b.id, ME, ':tada:');
		const found = await sample(t.pumble, { event: 'reactionAdded', channels: [GENERAL, RANDOM] });
		expect(found.event?.json).toMatchObject({ reaction: ':eyes:', user: CAROL, messageId: b.id });
	});
});

describe('Message Edited', () => {
	it('emits an edited message once per edit, as edited; an edit back to an earlier text is a new edit with a new key', async () => {
		const t = setup({ event: 'messageEdited' });
		const m = t.pumble.post(GENERAL, BOB, 'draft');
		await t.run();
		expect(edits(await t.run())).toEqual([]);
		t.pumble.edit(m.id, 'final');
		const first = await t.run();
		expect(edits(first)).toEqual(['final']);
		expect(first.events[0].json).toMatchObject({ id: m.id, channelId: GENERAL, edited: true });
		expect(edits(await t.run())).toEqual([]);
		t.pumble.edit(m.id, 'final, really');
		expect(edits(await t.run())).toEqual(['final, really']);
		t.pumble.edit(m.id, 'final');
		const back = await t.run();
		expect(edits(back)).toEqual(['final']);
		expect(back.events[0].key).not.toBe(first.events[0].key);
	});

	it('a message edited before activation is not an event; one posted and edited since the last poll is', async () => {
		const t = setup({ event: 'messageEdited' });
		const old = t.pumble.post(GENERAL, BOB, 'old');
		t.pumble.edit(old.id, 'old, edited');
		await t.run();
		expect(edits(await t.run())).toEqual([]);
		t.pumble.tick(1000);
		const fresh = t.pumble.post(GENERAL, BOB, 'typo');
		t.pumble.edit(fresh.id, 'fixed');
		expect(edits(await t.run())).toEqual(['fixed']);
	});

	it('remembers only messages marked as edited', async () => {
		const t = setup({ event: 'messageEdited', channels: [GENERAL] });
		const a = t.pumble.post(GENERAL, BOB, 'a');
		t.pumble.post(GENERAL, BOB, 'b');
		t.pumble.edit(a.id, 'a2');
		await t.run();
		expect(Object.keys(t.state!.channels[GENERAL].edits!)).toEqual([a.id]);
	});

	it('without an edited flag (should Pumble send none), a change of the content is the sign of an edit', async () => {
		const t = setup({ event: 'messageEdited', channels: [GENERAL] });
		t.pumble.editedFlag = 'absent';
		const a = t.pumble.post(GENERAL, BOB, 'a');
		await t.run();
		t.pumble.edit(a.id, 'a2');
		expect(edits(await t.run())).toEqual(['a2']);
		expect(edits(await t.run())).toEqual([]);
	});

	it('an edit time, should Pumble send one, makes an edit to the same text an edit', async () => {
		const t = setup({ event: 'messageEdited', channels: [GENERAL] });
		const a = t.pumble.post(GENERAL, BOB, 'a');
		t.pumble.edit(a.id, 'a');
		const listed = t.pumble.listMessagesPage.bind(t.pumble);
		let editedAt = 1;
		t.pumble.listMessagesPage = async (input) => {
			const page = await listed(input);
			return { ...page, messages: page.messages.map((m) => ({ ...m, editedAt })) };
		};
		await t.run();
		editedAt = 2;
		expect(edits(await t.run())).toEqual(['a']);
	});

	it('leaves out my own edits and bots\' unless asked, and applies Text Contains to the edited text', async () => {
		const t = setup({ event: 'messageEdited', textFilter: 'urgent' });
		const mine = t.pumble.post(GENERAL, ME, 'mine');
		const bots = t.pumble.post(GENERAL, BOT, 'bots');
		const bobs = t.pumble.post(GENERAL, BOB, 'bobs');
		const calm = t.pumble.post(GENERAL, CAROL, 'calm');
		await t.run();
		t.pumble.edit(mine.id, 'urgent mine');
		t.pumble.edit(bots.id, 'urgent bots');
		t.pumble.edit(bobs.id, 'urgent bobs');
		t.pumble.edit(calm.id, 'still calm');
		expect(edits(await t.run())).toEqual(['urgent bobs']);
	});
});
