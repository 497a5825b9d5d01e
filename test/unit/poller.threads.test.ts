/**
 * The poller's thread stream against an in-memory Pumble: new replies once, only changed threads read, the
 * watched window and its floor.
 */
import { BOB, CAROL } from './poller.fake';
import { GENERAL, setup } from './poller.setup';

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
