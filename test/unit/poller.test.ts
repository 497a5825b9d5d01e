/**
 * The poller (core/poller/) against an in-memory Pumble: exactly once, in order, cheap, and a failing
 * channel never blocks or loses the others.
 */
import {
	dueReports,
	exclusive,
	markReported,
	mentions,
	MAX_PAGES_PER_POLL,
	poll,
	REPORT_EVERY_MS,
	sample,
	textMatcher,
	type PollConfig,
	type PollResult,
	type TriggerState,
} from '../../core/poller';
import { PumbleApiError } from '../../core/errors';
import { BOB, BOT, CAROL, FakePumble, ME, OTHERS, TEAM } from './poller.fake';

const GENERAL = 'dddddddddddddddddddd0001';
const RANDOM = 'dddddddddddddddddddd0002';
const DM = 'dddddddddddddddddddd0003';
const SECRET = 'dddddddddddddddddddd0004';

function setup(config: Partial<PollConfig> = {}) {
	const pumble = new FakePumble();
	pumble.addChannel(GENERAL, { name: 'general' });
	pumble.addChannel(RANDOM, { name: 'random' });
	pumble.addChannel(DM, { type: 'DIRECT', members: [ME, BOB] });
	pumble.addChannel(SECRET, { type: 'PRIVATE', name: 'secret', members: [ME, BOB] });
	const cfg: PollConfig = { event: 'newMessage', channels: [GENERAL, RANDOM], ...config };
	let state: TriggerState | undefined;
	const emitted: string[] = [];
	const run = async (override: Partial<PollConfig> = {}): Promise<PollResult> => {
		const result = await poll(pumble, { ...cfg, ...override }, state, { now: pumble.now });
		state = result.state;
		emitted.push(...result.messages.map((m) => m.text));
		return result;
	};
	return {
		pumble,
		run,
		emitted,
		get state() {
			return state;
		},
		set state(value: TriggerState | undefined) {
			state = value;
		},
		/** Emitted texts of one poll. */
		texts: (result: PollResult) => result.messages.map((m) => m.text),
	};
}

describe('first activation', () => {
	it('starts from now: emits nothing, one small listMessages per channel, remembers the newest message', async () => {
		const t = setup();
		t.pumble.post(GENERAL, BOB, 'old 1');
		t.pumble.tick(1000);
		const old = t.pumble.post(GENERAL, BOB, 'old 2');
		const result = await t.run();
		expect(result.firstRun).toBe(true);
		expect(result.messages).toEqual([]);
		expect(t.pumble.calls).toEqual([
			{ op: 'listMessages', channelId: GENERAL, cursor: undefined, strategy: undefined, limit: 20 },
			{ op: 'listMessages', channelId: RANDOM, cursor: undefined, strategy: undefined, limit: 20 },
		]);
		expect(t.state?.channels[GENERAL]).toEqual({ ts: old.timestampMilli, ids: [old.id], last: old.id });
		expect(t.state?.channels[RANDOM]).toEqual({ ts: 0, ids: [] });
	});

	it('remembers every message of the newest second, so a later one in that second is still new', async () => {
		const t = setup();
		t.pumble.post(GENERAL, BOB, 'a');
		t.pumble.post(GENERAL, BOB, 'b');
		await t.run();
		expect(t.state?.channels[GENERAL].ids).toHaveLength(2);
		t.pumble.post(GENERAL, BOB, 'c'); // same second as a and b
		expect(t.texts(await t.run())).toEqual(['c']);
	});
});

describe('new messages', () => {
	it('emits messages that arrived between polls once, oldest first, across channels in time order', async () => {
		const t = setup();
		t.pumble.post(GENERAL, BOB, 'before');
		await t.run();
		t.pumble.tick(1000);
		t.pumble.post(RANDOM, BOB, 'r1');
		t.pumble.tick(1000);
		t.pumble.post(GENERAL, CAROL, 'g1');
		t.pumble.tick(1000);
		// same second in two channels: Pumble's IDs (ObjectIds grow within a second) break the tie
		t.pumble.post(RANDOM, CAROL, 'r2');
		t.pumble.post(GENERAL, BOB, 'g2');
		expect(t.texts(await t.run())).toEqual(['r1', 'g1', 'r2', 'g2']);
		expect(t.texts(await t.run())).toEqual([]);
		expect(t.emitted).toEqual(['r1', 'g1', 'r2', 'g2']);
	});

	it('a quiet poll costs exactly one listMessages AFTER the last seen message per channel', async () => {
		const t = setup();
		t.pumble.post(GENERAL, BOB, 'x');
		t.pumble.post(RANDOM, BOB, 'y');
		await t.run();
		t.pumble.calls = [];
		await t.run();
		expect(t.pumble.calls).toEqual([
			{ op: 'listMessages', channelId: GENERAL, cursor: t.state!.channels[GENERAL].last, strategy: 'AFTER', limit: 100 },
			{ op: 'listMessages', channelId: RANDOM, cursor: t.state!.channels[RANDOM].last, strategy: 'AFTER', limit: 100 },
		]);
	});

	it('several messages in the same second, spread over several polls, each once', async () => {
		const t = setup();
		t.pumble.post(GENERAL, BOB, 'base');
		await t.run();
		t.pumble.tick(1000);
		t.pumble.post(GENERAL, BOB, 's1');
		t.pumble.post(GENERAL, CAROL, 's2');
		expect(t.texts(await t.run())).toEqual(['s1', 's2']);
		t.pumble.post(GENERAL, BOB, 's3'); // still the same second
		t.pumble.post(GENERAL, BOB, 's4');
		expect(t.texts(await t.run())).toEqual(['s3', 's4']);
		expect(t.state?.channels[GENERAL].ids).toHaveLength(4);
		t.pumble.tick(1000);
		t.pumble.post(GENERAL, BOB, 'next second');
		expect(t.texts(await t.run())).toEqual(['next second']);
		expect(t.state?.channels[GENERAL].ids).toHaveLength(1);
	});

	it('more than a page between two polls: pages forward, all in order', async () => {
		const t = setup({ channels: [GENERAL] });
		t.pumble.post(GENERAL, BOB, 'base');
		await t.run();
		const posted: string[] = [];
		for (let i = 0; i < 250; i++) {
			if (i % 7 === 0) t.pumble.tick(1000);
			posted.push(`m${i}`);
			t.pumble.post(GENERAL, i % 2 ? BOB : CAROL, `m${i}`);
		}
		t.pumble.calls = [];
		expect(t.texts(await t.run())).toEqual(posted);
		expect(t.pumble.calls.filter((c) => c.op === 'listMessages').map((c) => c.strategy)).toEqual(['AFTER', 'AFTER', 'AFTER']);
	});

	it('caps a poll at a number of pages per channel and continues on the next poll without loss', async () => {
		const t = setup({ channels: [GENERAL] });
		t.pumble.post(GENERAL, BOB, 'base');
		await t.run();
		const total = MAX_PAGES_PER_POLL * 100 + 150;
		for (let i = 0; i < total; i++) {
			if (i % 50 === 0) t.pumble.tick(1000);
			t.pumble.post(GENERAL, BOB, `m${i}`);
		}
		const first = await t.run();
		expect(first.messages).toHaveLength(MAX_PAGES_PER_POLL * 100);
		expect(first.notes.join()).toMatch(/the rest follows on the next poll/);
		const second = await t.run();
		expect(second.messages).toHaveLength(150);
		expect(t.emitted).toEqual(Array.from({ length: total }, (_, i) => `m${i}`));
	});

	it('works with an exclusive cursor and with null has-more flags', async () => {
		for (const variant of ['exclusive', 'nullFlags'] as const) {
			const t = setup({ channels: [GENERAL] });
			if (variant === 'exclusive') t.pumble.cursorInclusive = false;
			else t.pumble.nullFlags = true;
			t.pumble.post(GENERAL, BOB, 'base');
			await t.run();
			const posted = Array.from({ length: 230 }, (_, i) => `m${i}`);
			for (const text of posted) t.pumble.post(GENERAL, BOB, text);
			expect(t.texts(await t.run())).toEqual(posted);
			expect(t.texts(await t.run())).toEqual([]);
		}
	});

	it('finds its way when the last seen message was deleted (by timestamp, no duplicate, no loss)', async () => {
		const t = setup({ channels: [GENERAL] });
		t.pumble.post(GENERAL, BOB, 'a');
		await t.run();
		t.pumble.tick(1000);
		t.pumble.post(GENERAL, BOB, 'b');
		const c = t.pumble.post(GENERAL, BOB, 'c');
		expect(t.texts(await t.run())).toEqual(['b', 'c']);
		t.pumble.remove(c.id);
		t.pumble.post(GENERAL, BOB, 'd'); // same second as b and c
		t.pumble.tick(1000);
		t.pumble.post(GENERAL, BOB, 'e');
		const result = await t.run();
		expect(t.texts(result)).toEqual(['d', 'e']);
		expect(result.notes.join()).toMatch(/last seen message is gone/);
		expect(result.problems).toEqual([]);
		// and the cursor is healthy again: a quiet poll is one request
		t.pumble.calls = [];
		expect(t.texts(await t.run())).toEqual([]);
		expect(t.pumble.calls).toHaveLength(1);
	});

	it('a channel empty at activation emits its first messages', async () => {
		const t = setup({ channels: [RANDOM] });
		await t.run();
		t.pumble.post(RANDOM, BOB, 'first');
		t.pumble.post(RANDOM, CAROL, 'second');
		expect(t.texts(await t.run())).toEqual(['first', 'second']);
	});
});

describe('filters', () => {
	async function emittedWith(config: Partial<PollConfig>, post: (t: ReturnType<typeof setup>) => void): Promise<string[]> {
		const t = setup({ channels: [GENERAL], ...config });
		await t.run();
		post(t);
		return t.texts(await t.run());
	}

	it("skips the key's own messages by default; includes them when asked", async () => {
		const post = (t: ReturnType<typeof setup>) => {
			t.pumble.post(GENERAL, BOB, 'from bob');
			t.pumble.post(GENERAL, ME, 'from me');
		};
		expect(await emittedWith({}, post)).toEqual(['from bob']);
		expect(await emittedWith({ includeOwn: true }, post)).toEqual(['from bob', 'from me']);
	});

	it('own messages filtered out still advance the state (a posting workflow does not loop)', async () => {
		const t = setup({ channels: [GENERAL] });
		await t.run();
		t.pumble.post(GENERAL, ME, 'mine');
		expect(t.texts(await t.run())).toEqual([]);
		expect(t.state?.channels[GENERAL].ts).toBeGreaterThan(0);
		t.pumble.calls = [];
		await t.run();
		expect(t.pumble.count()).toBe(1);
	});

	it('skips bot messages by default; includes them when asked', async () => {
		const post = (t: ReturnType<typeof setup>) => {
			t.pumble.post(GENERAL, BOT, 'from the bot');
			t.pumble.post(GENERAL, BOB, 'from bob');
		};
		expect(await emittedWith({}, post)).toEqual(['from bob']);
		expect(await emittedWith({ includeBots: true }, post)).toEqual(['from the bot', 'from bob']);
	});

	it('reads the user list again when an author is unknown to the cached one', async () => {
		const t = setup({ channels: [GENERAL] });
		await t.run();
		const newBot = 'aaaaaaaaaaaaaaaaaaaa00b1';
		t.pumble.users = [...t.pumble.users, { id: newBot, name: 'New bot', isAddonBot: true }];
		t.pumble.post(GENERAL, newBot, 'new bot');
		t.pumble.post(GENERAL, BOB, 'bob');
		expect(t.texts(await t.run())).toEqual(['bob']);
	});

	it('text filter: case-insensitive substring, or /regex/flags', async () => {
		const post = (t: ReturnType<typeof setup>) => {
			t.pumble.post(GENERAL, BOB, 'Invoice 42 is due');
			t.pumble.post(GENERAL, BOB, 'lunch?');
			t.pumble.post(GENERAL, BOB, 'deploy done');
		};
		expect(await emittedWith({ textFilter: 'INVOICE' }, post)).toEqual(['Invoice 42 is due']);
		expect(await emittedWith({ textFilter: '/^(deploy|lunch)/i' }, post)).toEqual(['lunch?', 'deploy done']);
		expect(textMatcher('/[unclosed/')!('a /[UNCLOSED/ b')).toBe(true);
		expect(textMatcher('  ')).toBeUndefined();
	});
});

describe('mentions', () => {
	it('recognises the user and their groups in text and blocks, not other people or groups', () => {
		const m = (text: string, blocks?: unknown[]) => ({ id: 'x', channelId: GENERAL, author: BOB, text, timestamp: '', timestampMilli: 0, blocks });
		expect(mentions(m(`hi <<@${ME}>>`), ME, [TEAM])).toBe(true);
		expect(mentions(m(`hi <<&${TEAM}>>`), ME, [TEAM])).toBe(true);
		expect(mentions(m(`hi <<@${BOB}>> and <<&${OTHERS}>>`), ME, [TEAM])).toBe(false);
		expect(mentions(m('hi', [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'user', user_id: ME }] }] }]), ME, [])).toBe(true);
		expect(mentions(m('hi', [{ type: 'rich_text', elements: [{ type: 'usergroup', usergroup_id: TEAM }] }]), ME, [TEAM])).toBe(true);
		expect(mentions(m('hi', [{ type: 'rich_text', elements: [{ type: 'user', user_id: BOB }] }]), ME, [TEAM])).toBe(false);
	});

	it('emits only new messages mentioning me or my groups, in threads too by default', async () => {
		const t = setup({ event: 'mention', channels: [GENERAL] });
		const root = t.pumble.post(GENERAL, BOB, 'a thread');
		await t.run();
		t.pumble.tick(1000);
		t.pumble.post(GENERAL, BOB, `hey <<@${ME}>>`);
		t.pumble.post(GENERAL, BOB, `team: <<&${TEAM}>>`);
		t.pumble.post(GENERAL, BOB, `others: <<&${OTHERS}>>`);
		t.pumble.post(GENERAL, CAROL, 'no mention');
		t.pumble.post(GENERAL, BOB, `in a thread <<@${ME}>>`, { root: root.id });
		t.pumble.post(GENERAL, ME, `myself <<@${ME}>>`);
		expect(t.texts(await t.run())).toEqual([`hey <<@${ME}>>`, `team: <<&${TEAM}>>`, `in a thread <<@${ME}>>`]);
		expect(t.texts(await t.run())).toEqual([]);
		// without replies
		const u = setup({ event: 'mention', channels: [GENERAL], includeReplies: false });
		const r2 = u.pumble.post(GENERAL, BOB, 'root');
		await u.run();
		u.pumble.post(GENERAL, BOB, `reply <<@${ME}>>`, { root: r2.id });
		u.pumble.post(GENERAL, BOB, `top <<@${ME}>>`);
		expect(u.texts(await u.run())).toEqual([`top <<@${ME}>>`]);
	});
});

describe('thread replies', () => {
	it('emits new replies of old and new threads once, fetching only the threads that changed', async () => {
		const t = setup({ event: 'newReply', channels: [GENERAL] });
		const quiet = t.pumble.post(GENERAL, BOB, 'quiet root');
		const busy = t.pumble.post(GENERAL, BOB, 'busy root');
		t.pumble.post(GENERAL, CAROL, 'old reply', { root: busy.id });
		const r1 = await t.run();
		expect(r1.messages).toEqual([]);
		t.pumble.tick(1000);
		t.pumble.post(GENERAL, CAROL, 'reply 1', { root: busy.id });
		t.pumble.post(GENERAL, BOB, 'first reply of quiet', { root: quiet.id });
		t.pumble.calls = [];
		expect(t.texts(await t.run())).toEqual(['reply 1', 'first reply of quiet']);
		// (myInfo and listUsers judge the candidates; the real source caches them for 10 minutes)
		const reads = () => t.pumble.calls.map((c) => c.op).filter((op) => op === 'listMessages' || op === 'fetchThreadReplies');
		expect(reads()).toEqual(['listMessages', 'fetchThreadReplies', 'fetchThreadReplies']);
		t.pumble.tick(1000);
		const fresh = t.pumble.post(GENERAL, BOB, 'new root');
		t.pumble.post(GENERAL, CAROL, 'reply to new root', { root: fresh.id });
		t.pumble.post(GENERAL, CAROL, 'reply 2', { root: busy.id });
		t.pumble.post(GENERAL, CAROL, 'reply 3 (same second)', { root: busy.id });
		t.pumble.calls = [];
		expect(t.texts(await t.run())).toEqual(['reply to new root', 'reply 2', 'reply 3 (same second)']);
		expect(t.pumble.count('fetchThreadReplies')).toBe(2);
		t.pumble.calls = [];
		expect(t.texts(await t.run())).toEqual([]);
		expect(t.pumble.calls.map((c) => c.op)).toEqual(['listMessages']);
		expect(reads()).toEqual(['listMessages']);
	});

	it("a reply in the same second as the baseline's newest reply is recognised from the reply count", async () => {
		const t = setup({ event: 'newReply', channels: [GENERAL] });
		const root = t.pumble.post(GENERAL, BOB, 'root');
		t.pumble.post(GENERAL, CAROL, 'before activation', { root: root.id });
		await t.run();
		t.pumble.post(GENERAL, CAROL, 'same second, after activation', { root: root.id });
		expect(t.texts(await t.run())).toEqual(['same second, after activation']);
		expect(t.state?.channels[GENERAL].threads?.[root.id]?.ids).toHaveLength(2);
		t.pumble.post(GENERAL, CAROL, 'and one more', { root: root.id });
		expect(t.texts(await t.run())).toEqual(['and one more']);
	});

	it('newMessage with replies: a reply also sent to the channel comes once', async () => {
		const t = setup({ event: 'newMessage', channels: [GENERAL], includeReplies: true });
		const root = t.pumble.post(GENERAL, BOB, 'root');
		await t.run();
		t.pumble.tick(1000);
		t.pumble.post(GENERAL, CAROL, 'plain reply', { root: root.id });
		t.pumble.post(GENERAL, CAROL, 'broadcast reply', { root: root.id, toChannel: true });
		t.pumble.post(GENERAL, BOB, 'top level');
		expect(t.texts(await t.run())).toEqual(['plain reply', 'broadcast reply', 'top level']);
		t.pumble.post(GENERAL, CAROL, 'later reply', { root: root.id });
		expect(t.texts(await t.run())).toEqual(['later reply']);
	});

	it('newReply includes replies also sent to the channel, and not their channel copy', async () => {
		const t = setup({ event: 'newReply', channels: [GENERAL] });
		const root = t.pumble.post(GENERAL, BOB, 'root');
		await t.run();
		t.pumble.post(GENERAL, CAROL, 'broadcast reply', { root: root.id, toChannel: true });
		t.pumble.post(GENERAL, CAROL, 'not a reply');
		expect(t.texts(await t.run())).toEqual(['broadcast reply']);
	});

	it('watches the threads of the newest N top-level messages (threadWindow) and forgets roots that left it', async () => {
		const t = setup({ event: 'newReply', channels: [GENERAL] });
		const root = t.pumble.post(GENERAL, BOB, 'old root');
		t.pumble.post(GENERAL, CAROL, 'reply', { root: root.id });
		await t.run();
		for (let i = 0; i < 150; i++) t.pumble.post(GENERAL, BOB, `filler ${i}`);
		t.pumble.post(GENERAL, CAROL, 'reply while being pushed out', { root: root.id });
		// this poll reads down to where it left off, so the old root is still checked once
		expect(t.texts(await t.run())).toEqual(['reply while being pushed out']);
		// now it is older than the newest 100 messages: no longer watched (one request per poll stays one)
		t.pumble.calls = [];
		expect(t.texts(await t.run())).toEqual([]);
		expect(t.pumble.calls.map((c) => c.op)).toEqual(['listMessages']);
		expect(t.state!.channels[GENERAL].threads?.[root.id]).toBeUndefined();
		t.pumble.post(GENERAL, CAROL, 'too late', { root: root.id });
		expect(t.texts(await t.run())).toEqual([]);
		// a wider window (threadWindow 200: two pages per poll) keeps watching it
		const u = setup({ event: 'newReply', channels: [GENERAL], threadWindow: 200 });
		const root2 = u.pumble.post(GENERAL, BOB, 'old root');
		await u.run();
		for (let i = 0; i < 150; i++) u.pumble.post(GENERAL, BOB, `filler ${i}`);
		await u.run();
		u.pumble.post(GENERAL, CAROL, 'still watched', { root: root2.id });
		u.pumble.calls = [];
		expect(u.texts(await u.run())).toEqual(['still watched']);
		expect(u.pumble.count('listMessages')).toBe(2);
	});

	it('a reply to a watched thread is caught even when a burst pushes its root out before the next poll', async () => {
		const t = setup({ event: 'newReply', channels: [GENERAL] });
		for (let i = 0; i < 60; i++) t.pumble.post(GENERAL, BOB, `older ${i}`);
		const root = t.pumble.post(GENERAL, BOB, 'root');
		for (let i = 0; i < 30; i++) t.pumble.post(GENERAL, BOB, `newer ${i}`);
		await t.run(); // the root is the 31st newest: watched
		t.pumble.post(GENERAL, CAROL, 'reply, then a burst', { root: root.id });
		for (let i = 0; i < 270; i++) t.pumble.post(GENERAL, BOB, `burst ${i}`);
		t.pumble.calls = [];
		expect(t.texts(await t.run())).toEqual(['reply, then a burst']);
		// newest first: 3 pages reach the last seen message; a 4th passes the previous window (the root)
		expect(t.pumble.count('listMessages')).toBe(4);
		expect(t.state!.channels[GENERAL].threads?.[root.id]).toBeUndefined();
		t.pumble.calls = [];
		expect(t.texts(await t.run())).toEqual([]);
		expect(t.pumble.count('listMessages')).toBe(1);
	});

	it('a deleted root is forgotten without failing the channel', async () => {
		const t = setup({ event: 'newReply', channels: [GENERAL] });
		const root = t.pumble.post(GENERAL, BOB, 'root');
		t.pumble.post(GENERAL, CAROL, 'r', { root: root.id });
		await t.run();
		t.pumble.post(GENERAL, CAROL, 'r2', { root: root.id });
		// listMessages sees the root; by the time the thread is read, it is gone
		const original = t.pumble.threadRepliesPage.bind(t.pumble);
		t.pumble.threadRepliesPage = async (input) => {
			t.pumble.remove(root.id);
			return original(input);
		};
		const result = await t.run();
		expect(result.problems).toEqual([]);
		expect(t.state?.channels[GENERAL].threads?.[root.id]).toBeUndefined();
	});
});

describe('a failing channel', () => {
	it('keeps its state, lets the others advance, and recovers what it missed', async () => {
		const t = setup({ channels: [GENERAL, SECRET] });
		t.pumble.post(SECRET, BOB, 'secret base');
		await t.run();
		const before = structuredClone(t.state!.channels[SECRET]);
		t.pumble.broken.add(SECRET);
		t.pumble.post(SECRET, BOB, 'missed while broken');
		t.pumble.post(GENERAL, BOB, 'general 1');
		const broken = await t.run();
		expect(t.texts(broken)).toEqual(['general 1']);
		expect(broken.problems).toHaveLength(1);
		expect(broken.problems[0].channel).toBe(SECRET);
		expect(broken.problems[0].failure).toMatchObject({ status: 403, count: 1 });
		expect(broken.problems[0].failure.message).toMatch(/Could not find channel/);
		const { failure, ...kept } = t.state!.channels[SECRET];
		expect(kept).toEqual(before);
		expect(failure?.count).toBe(1);
		// still broken: the count goes up, the other channel still flows
		t.pumble.post(GENERAL, BOB, 'general 2');
		const again = await t.run();
		expect(t.texts(again)).toEqual(['general 2']);
		expect(again.problems[0].failure.count).toBe(2);
		// fixed: what it missed comes now, once
		t.pumble.broken.delete(SECRET);
		const fixed = await t.run();
		expect(t.texts(fixed)).toEqual(['missed while broken']);
		expect(fixed.recovered).toEqual([SECRET]);
		expect(t.state!.channels[SECRET].failure).toBeUndefined();
	});

	it('never read successfully: a placeholder, then a baseline on recovery (no history replay)', async () => {
		const t = setup({ channels: [GENERAL] });
		await t.run();
		t.pumble.post(SECRET, BOB, 'history');
		t.pumble.broken.add(SECRET);
		const r = await t.run({ channels: [GENERAL, SECRET] });
		expect(r.problems.map((p) => p.channel)).toEqual([SECRET]);
		expect(t.state!.channels[SECRET]).toMatchObject({ unread: true, ts: 0 });
		t.pumble.broken.delete(SECRET);
		expect(t.texts(await t.run({ channels: [GENERAL, SECRET] }))).toEqual([]);
		t.pumble.post(SECRET, BOB, 'new');
		expect(t.texts(await t.run({ channels: [GENERAL, SECRET] }))).toEqual(['new']);
	});

	it('is reported when it starts failing, then at most once per REPORT_EVERY_MS', async () => {
		const t = setup({ channels: [GENERAL, SECRET] });
		await t.run();
		t.pumble.broken.add(SECRET);
		const r1 = await t.run();
		expect(dueReports(r1, 1_000)).toHaveLength(1);
		markReported(r1.state, dueReports(r1, 1_000), 1_000);
		const r2 = await t.run();
		expect(dueReports(r2, 2_000)).toHaveLength(0);
		expect(dueReports(r2, 1_000 + REPORT_EVERY_MS)).toHaveLength(1);
	});

	it('a report thrown instead of emitting advances nothing: polling again from the previous state brings each message once', async () => {
		const t = setup({ channels: [GENERAL, RANDOM, SECRET] });
		await t.run();
		const previous = structuredClone(t.state!);
		t.pumble.broken.add(SECRET);
		t.pumble.post(GENERAL, BOB, 'news');
		t.pumble.post(RANDOM, ME, 'own, filtered');
		const r = await t.run();
		expect(t.texts(r)).toEqual(['news']);
		expect(dueReports(r)).toHaveLength(1);
		t.emitted.length = 0;
		t.state = previous; // the trigger throws the report and keeps (or its host restores) the previous state
		const again = await t.run();
		expect(t.texts(again)).toEqual(['news']);
		expect(again.state.channels[SECRET].failure).toBeDefined();
		expect(t.texts(await t.run())).toEqual([]);
		expect(t.emitted).toEqual(['news']);
	});

	it('a transient error (retries exhausted) on one channel does not cost the other its messages', async () => {
		const t = setup();
		await t.run();
		t.pumble.post(GENERAL, BOB, 'g');
		t.pumble.post(RANDOM, BOB, 'r');
		t.pumble.faults.push({ op: 'listMessages', error: PumbleApiError.fromResponse('listMessages', 503, '') });
		const r = await t.run();
		expect(t.texts(r)).toEqual(['r']);
		expect(t.texts(await t.run())).toEqual(['g']);
	});

	it('a channel name that does not exist is a problem of its own', async () => {
		const t = setup({ channels: ['#random', 'nope'] });
		t.pumble.post(RANDOM, BOB, 'base');
		const r = await t.run();
		expect(Object.keys(t.state!.channels)).toEqual(expect.arrayContaining([RANDOM, 'nope']));
		expect(r.problems.map((p) => p.channel)).toEqual(['nope']);
		t.pumble.post(RANDOM, BOB, 'by name');
		expect(t.texts(await t.run())).toEqual(['by name']);
	});
});

describe('all channels I am a member of', () => {
	it('watches member channels incl. DMs; a new DM or channel is read from its first message; a joined old channel starts from now', async () => {
		const t = setup({ channels: 'all' });
		t.pumble.addChannel('dddddddddddddddddddd0009', { type: 'PRIVATE', name: 'not mine', members: [BOB] });
		t.pumble.post(GENERAL, BOB, 'g0');
		await t.run();
		expect(Object.keys(t.state!.channels).sort()).toEqual([DM, GENERAL, RANDOM, SECRET].sort());
		t.pumble.calls = [];
		await t.run();
		expect(t.pumble.calls.map((c) => c.op)).toEqual(['listChannels', 'myInfo', 'listMessages', 'listMessages', 'listMessages', 'listMessages']);

		t.pumble.tick(5 * 60_000);
		// Carol opens a DM with two messages between two polls
		const newDm = 'dddddddddddddddddddd000a';
		t.pumble.addChannel(newDm, { type: 'DIRECT', members: [ME, CAROL] });
		t.pumble.post(newDm, CAROL, 'hi Ada, first DM');
		t.pumble.post(newDm, CAROL, 'second DM');
		// Bob creates a channel, posts, and adds Ada
		const fresh = 'dddddddddddddddddddd000c';
		t.pumble.addChannel(fresh, { type: 'PRIVATE', name: 'fresh', members: [BOB, ME] });
		t.pumble.post(fresh, BOB, 'welcome to fresh');
		// Ada is added to an old channel with history, and someone posts right away
		const old = 'dddddddddddddddddddd000b';
		t.pumble.addChannel(old, { type: 'PRIVATE', name: 'old', members: [BOB], created: t.pumble.now - 30 * 86_400_000 });
		t.pumble.post(old, BOB, 'ancient', { at: t.pumble.now - 3 * 86_400_000 });
		t.pumble.channels.get(old)!.members.push(ME);
		t.pumble.post(old, BOB, 'before the trigger saw it');
		t.pumble.post(GENERAL, BOB, 'g1');
		expect(t.texts(await t.run())).toEqual(['hi Ada, first DM', 'second DM', 'welcome to fresh', 'g1']);
		t.pumble.post(old, BOB, 'news in old');
		expect(t.texts(await t.run())).toEqual(['news in old']);
		// leaving a channel drops its state
		t.pumble.channels.get(SECRET)!.members = [BOB];
		await t.run();
		expect(t.state!.channels[SECRET]).toBeUndefined();
	});
});

describe('restart and config changes', () => {
	it('a state saved as JSON and reloaded continues exactly where it was', async () => {
		const t = setup({ event: 'newMessage', channels: [GENERAL], includeReplies: true });
		const root = t.pumble.post(GENERAL, BOB, 'root');
		await t.run();
		t.pumble.post(GENERAL, BOB, 'a');
		t.pumble.post(GENERAL, BOB, 'b', { root: root.id });
		await t.run();
		t.state = JSON.parse(JSON.stringify(t.state));
		t.pumble.post(GENERAL, BOB, 'c');
		t.pumble.post(GENERAL, BOB, 'd', { root: root.id });
		await t.run();
		expect(t.emitted).toEqual(['a', 'b', 'c', 'd']);
	});

	it('an unknown or foreign state is treated as a first activation', async () => {
		const t = setup();
		t.state = { something: 'else' } as unknown as TriggerState;
		const r = await t.run();
		expect(r.firstRun).toBe(true);
	});

	it('switching on replies later baselines the threads instead of replaying them', async () => {
		const t = setup({ channels: [GENERAL] });
		const root = t.pumble.post(GENERAL, BOB, 'root');
		t.pumble.post(GENERAL, CAROL, 'old reply', { root: root.id });
		await t.run();
		expect(t.texts(await t.run({ includeReplies: true }))).toEqual([]);
		t.pumble.post(GENERAL, CAROL, 'new reply', { root: root.id });
		expect(t.texts(await t.run({ includeReplies: true }))).toEqual(['new reply']);
	});
});

describe('sample (manual run)', () => {
	it('returns the newest matching message without touching any state', async () => {
		const t = setup({ channels: [GENERAL, RANDOM] });
		t.pumble.post(GENERAL, BOB, 'older');
		t.pumble.tick(1000);
		t.pumble.post(RANDOM, CAROL, 'newest from carol');
		t.pumble.post(RANDOM, ME, 'mine (filtered)');
		const { message, problems } = await sample(t.pumble, { event: 'newMessage', channels: [GENERAL, RANDOM] });
		expect(message?.text).toBe('newest from carol');
		expect(problems).toEqual([]);
	});

	it('newReply samples the newest reply of the most recently active threads; mention the newest mention', async () => {
		const t = setup();
		const root = t.pumble.post(GENERAL, BOB, 'root');
		t.pumble.post(GENERAL, CAROL, `reply <<@${ME}>>`, { root: root.id });
		t.pumble.tick(1000);
		t.pumble.post(GENERAL, CAROL, 'later top-level');
		expect((await sample(t.pumble, { event: 'newReply', channels: [GENERAL] })).message?.text).toBe(`reply <<@${ME}>>`);
		expect((await sample(t.pumble, { event: 'mention', channels: [GENERAL] })).message?.text).toBe(`reply <<@${ME}>>`);
		expect((await sample(t.pumble, { event: 'mention', channels: [GENERAL], includeReplies: false })).message).toBeUndefined();
	});

	it('in the same second, the sample is the message with the greater ID (the later one)', async () => {
		const t = setup();
		t.pumble.post(GENERAL, BOB, 'first in the second');
		t.pumble.post(RANDOM, CAROL, 'second in the second');
		expect((await sample(t.pumble, { event: 'newMessage', channels: [GENERAL, RANDOM] })).message?.text).toBe('second in the second');
	});

	it('reports unreadable channels', async () => {
		const t = setup();
		t.pumble.broken.add(GENERAL);
		const { problems } = await sample(t.pumble, { event: 'newMessage', channels: [GENERAL, RANDOM] });
		expect(problems.map((p) => p.channel)).toEqual([GENERAL]);
	});
});

describe('exclusive', () => {
	it('skips a run while another with the same key is in progress', async () => {
		let release!: () => void;
		const slow = exclusive('k', () => new Promise<string>((resolve) => (release = () => resolve('done'))));
		expect(await exclusive('k', async () => 'second')).toBeUndefined();
		expect(await exclusive('other', async () => 'other key')).toBe('other key');
		release();
		expect(await slow).toBe('done');
		expect(await exclusive('k', async () => 'after')).toBe('after');
	});
});
