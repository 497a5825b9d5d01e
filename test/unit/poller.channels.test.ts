/**
 * The poller against an in-memory Pumble: a failing channel never blocks or loses the others, all channels
 * of the key's user, restarts and configuration changes, the manual sample, one poll at a time.
 */
import { dueReports, exclusive, markReported, REPORT_EVERY_MS, sample, type TriggerState } from '../../core/poller';
import { PumbleApiError } from '../../core/errors';
import { BOB, CAROL, ME } from './poller.fake';
import { GENERAL, RANDOM, DM, SECRET, setup } from './poller.setup';

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
