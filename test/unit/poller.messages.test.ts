/**
 * The poller (core/poller/) against an in-memory Pumble: activation, new messages exactly once and in order,
 * what a poll costs, the filters and mentions.
 */
import { mentions, MAX_PAGES_PER_POLL, textMatcher, type PollConfig } from '../../core/poller';
import { BOB, BOT, CAROL, ME, OTHERS, TEAM } from './poller.fake';
import { GENERAL, RANDOM, setup } from './poller.setup';

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
