/**
 * Property: whatever the interleaving of posts (bursts in one second, replies, replies also sent to the
 * channel, mentions, own and bot messages), deletions, polls and restarts, every trigger configuration
 * emits exactly the messages it should — each once, in Pumble's order.
 *
 * "Restart" reloads the state n8n would have saved: n8n writes static data only when a poll emits, so
 * a restart continues from the state of the last emitting poll (or of the activation).
 */
import fc from 'fast-check';

import { poll, type PollConfig, type TriggerState } from '../../core/poller';
import type { Message } from '../../core/types';
import { BOB, BOT, CAROL, FakePumble, ME, TEAM } from './poller.fake';

const CHANNELS = ['eeeeeeeeeeeeeeeeeeee0001', 'eeeeeeeeeeeeeeeeeeee0002', 'eeeeeeeeeeeeeeeeeeee0003'];
const AUTHORS = [BOB, CAROL, ME, BOT];

type Action =
	| { t: 'post'; ch: number; author: number; mention: number; tick: number }
	| { t: 'reply'; ch: number; pick: number; author: number; mention: number; toChannel: boolean; tick: number }
	| { t: 'delete'; ch: number; pick: number }
	| { t: 'burst'; ch: number; n: number }
	| { t: 'poll' }
	| { t: 'restart'; which: number };

const tick = fc.constantFrom(0, 0, 0, 1000, 2000, 60_000);
const action: fc.Arbitrary<Action> = fc.oneof(
	{ weight: 5, arbitrary: fc.record({ t: fc.constant('post' as const), ch: fc.nat(2), author: fc.nat(3), mention: fc.nat(2), tick }) },
	{
		weight: 4,
		arbitrary: fc.record({ t: fc.constant('reply' as const), ch: fc.nat(2), pick: fc.nat(), author: fc.nat(3), mention: fc.nat(2), toChannel: fc.boolean(), tick }),
	},
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), ch: fc.nat(2), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('burst' as const), ch: fc.nat(2), n: fc.integer({ min: 101, max: 160 }) }) },
	{ weight: 3, arbitrary: fc.constant({ t: 'poll' as const }) },
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('restart' as const), which: fc.nat(3) }) },
);

interface Watcher {
	name: string;
	config: PollConfig;
	wants(m: Message): boolean;
	state?: TriggerState;
	saved?: TriggerState;
	emitted: Message[];
}

const mentionText = (kind: number) => (kind === 1 ? ` <<@${ME}>>` : kind === 2 ? ` <<&${TEAM}>>` : '');
const byOthers = (m: Message) => m.author !== ME && m.author !== BOT;
const isReply = (m: Message) => !!m.threadReplyInfo;
const mentioned = (m: Message) => m.text.includes(`<<@${ME}>>`) || m.text.includes(`<<&${TEAM}>>`);

function watchers(): Watcher[] {
	const make = (name: string, config: Omit<PollConfig, 'channels'>, wants: (m: Message) => boolean): Watcher => ({
		name,
		config: { ...config, channels: CHANNELS },
		wants,
		emitted: [],
	});
	return [
		make('newMessage', { event: 'newMessage' }, (m) => byOthers(m) && (!isReply(m) || !!m.threadReplyInfo?.replySentToChannel)),
		make('newMessage+replies', { event: 'newMessage', includeReplies: true }, (m) => byOthers(m)),
		make('newReply', { event: 'newReply' }, (m) => byOthers(m) && isReply(m)),
		make('mention', { event: 'mention' }, (m) => byOthers(m) && mentioned(m)),
	];
}

interface Host {
	inclusive: boolean;
	afterOrder?: FakePumble['afterOrder'];
	/** Each poll may start at most this many requests (the poll budget, counted in requests): the rest waits. */
	budgetCalls?: number;
}

async function scenario(actions: Action[], host: Host): Promise<void> {
	const pumble = new FakePumble();
	pumble.cursorInclusive = host.inclusive;
	pumble.afterOrder = host.afterOrder ?? 'newestFirst';
	for (const id of CHANNELS) pumble.addChannel(id);
	// History before activation: a root with a reply in each channel, and two messages in one second.
	const roots = new Map<string, string[]>(CHANNELS.map((c) => [c, []]));
	for (const channel of CHANNELS.slice(0, 2)) {
		const root = pumble.post(channel, BOB, 'old root');
		roots.get(channel)!.push(root.id);
		pumble.post(channel, CAROL, 'old reply', { root: root.id });
		pumble.post(channel, CAROL, 'old 1');
		pumble.post(channel, BOB, 'old 2');
	}
	// A deep history in the first channel: roots far below the newest message are still watched.
	for (let i = 0; i < 150; i++) {
		if (i % 20 === 0) pumble.tick(1000);
		const m = pumble.post(CHANNELS[0], i % 2 ? BOB : CAROL, `history ${i}`);
		if (i % 7 === 0) roots.get(CHANNELS[0])!.push(m.id);
	}
	const ws = watchers();
	const activatedAfter = pumble.records.length;
	const clock = () => pumble.calls.length;
	const pollAll = async (budget: number | null = host.budgetCalls ?? null) => {
		for (const w of ws) readBy.get(w)!.clear();
		for (const w of ws) {
			const deadline = budget === null ? undefined : clock() + budget;
			const result = await poll(pumble, w.config, w.state, { now: pumble.now, deadline, clock });
			expect(result.problems).toEqual([]);
			w.state = result.state;
			w.emitted.push(...result.messages);
			if (result.firstRun || result.messages.length > 0) w.saved = structuredClone(result.state);
			for (const channel of CHANNELS) if (!result.deferred.includes(channel)) readBy.get(w)!.add(channel);
		}
		polledUpTo = pumble.records.length;
		for (const channel of CHANNELS) {
			const listed = new Set(pumble.records.filter((r) => r.channelId === channel && (!r.root || r.toChannel)).slice(-100).map((r) => r.id));
			for (const w of ws) {
				// A channel the poll's budget left for later keeps the window of the last poll that read it.
				if (readBy.get(w)!.has(channel) || !watchedAtRead.get(w)!.has(channel)) watchedAtRead.get(w)!.set(channel, listed);
			}
		}
	};
	/** Per watcher and channel: the newest 100 listed messages when its poll last read the channel (its thread window). */
	const watchedAtRead = new Map(ws.map((w) => [w, new Map<string, Set<string>>()]));
	/** Per watcher: the channels its current poll read (not left for later by the budget). */
	const readBy = new Map(ws.map((w) => [w, new Set<string>()]));
	let polledUpTo = 0;
	await pollAll();

	/** Messages that existed at a poll after activation. */
	const visible = new Set<string>();
	const markVisible = () => pumble.records.forEach((r) => visible.add(r.id));
	/** Every message as posted (text, author and thread info never change). */
	const posted = new Map<string, Message>();
	let counter = 0;
	for (const a of actions) {
		switch (a.t) {
			case 'post': {
				pumble.tick(a.tick);
				const m = pumble.post(CHANNELS[a.ch], AUTHORS[a.author], `m${++counter}${mentionText(a.mention)}`);
				posted.set(m.id, m);
				roots.get(CHANNELS[a.ch])!.push(m.id);
				break;
			}
			case 'reply': {
				// Threads are watched while their root is among the channel's newest 100 listed messages — as of
				// the last poll that read the channel: a root that entered the window since (newer messages
				// deleted) is watched from the next poll that reads the channel on. A channel the budget left
				// for later keeps its place, its thread window included (README "Exactly once, in order").
				const listed = pumble.records.filter((r) => r.channelId === CHANNELS[a.ch] && (!r.root || r.toChannel)).slice(-100);
				const options = roots
					.get(CHANNELS[a.ch])!
					.filter((id) => listed.some((r) => r.id === id) && ws.every((w) => watchedAtRead.get(w)!.get(CHANNELS[a.ch])!.has(id)));
				if (options.length === 0) break;
				pumble.tick(a.tick);
				const r = pumble.post(CHANNELS[a.ch], AUTHORS[a.author], `r${++counter}${mentionText(a.mention)}`, {
					root: options[a.pick % options.length],
					toChannel: a.toChannel,
				});
				posted.set(r.id, r);
				break;
			}
			case 'delete': {
				// A top-level message every watcher has read (often the cursor), with no replies.
				const polled = pumble.records
					.slice(0, polledUpTo)
					.filter((r) => r.channelId === CHANNELS[a.ch] && !r.root && !pumble.records.some((x) => x.root === r.id));
				if (polled.length === 0) break;
				pumble.remove(polled[polled.length - 1 - (a.pick % Math.min(3, polled.length))].id);
				break;
			}
			case 'burst': {
				pumble.tick(1000);
				for (let i = 0; i < a.n; i++) {
					if (i % 40 === 39) pumble.tick(1000);
					const m = pumble.post(CHANNELS[a.ch], BOB, `b${++counter}`);
					posted.set(m.id, m);
				}
				break;
			}
			case 'poll':
				markVisible();
				await pollAll();
				break;
			case 'restart': {
				const w = ws[a.which % ws.length];
				w.state = structuredClone(w.saved);
				break;
			}
		}
	}
	markVisible();
	await pollAll(null); // a last poll with time enough for everything

	for (const w of ws) {
		const emittedIds = w.emitted.map((m) => m.id);
		expect({ watcher: w.name, duplicates: emittedIds.length - new Set(emittedIds).size }).toEqual({ watcher: w.name, duplicates: 0 });
		// Every message posted after activation and ever visible, that this watcher wants, in posting order.
		const expected = [...visible]
			.sort()
			.filter((id) => Number(id.slice(4)) > activatedAfter && posted.has(id) && w.wants(posted.get(id)!));
		if (host.budgetCalls === undefined) {
			expect({ watcher: w.name, emitted: emittedIds }).toEqual({ watcher: w.name, emitted: expected });
		} else {
			// A channel left for a later poll comes after newer messages of other channels: each once, and in
			// order within each channel. A message deleted before its channel was read may be missing.
			const present = new Set(pumble.records.map((r) => r.id));
			const sorted = [...emittedIds].sort();
			expect({ watcher: w.name, emitted: sorted.filter((id) => present.has(id)) }).toEqual({ watcher: w.name, emitted: expected.filter((id) => present.has(id)) });
			expect({ watcher: w.name, unexpected: sorted.filter((id) => !expected.includes(id)) }).toEqual({ watcher: w.name, unexpected: [] });
			for (const channel of CHANNELS) {
				const inChannel = w.emitted.filter((m) => m.channelId === channel).map((m) => m.id);
				expect({ watcher: w.name, channel, emitted: inChannel }).toEqual({ watcher: w.name, channel, emitted: [...inChannel].sort() });
			}
		}
	}
}

describe('exactly once, in order (property)', () => {
	it('holds for random traffic, polls and restarts (inclusive cursor)', async () => {
		await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 80 }), (actions) => scenario(actions, { inclusive: true })), { numRuns: 150 });
	});

	it('holds with an exclusive cursor too', async () => {
		await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 80 }), (actions) => scenario(actions, { inclusive: false })), { numRuns: 75 });
	});

	it('holds when listMessages AFTER answers oldest first', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 80 }), fc.boolean(), (actions, inclusive) =>
				scenario(actions, { inclusive, afterOrder: 'oldestFirst' }),
			),
			{ numRuns: 75 },
		);
	});

	it('holds when each poll has a budget that cuts reads short (what is complete is emitted, the rest waits)', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 80 }), fc.integer({ min: 1, max: 8 }), (actions, budgetCalls) =>
				scenario(actions, { inclusive: true, budgetCalls }),
			),
			{ numRuns: 75 },
		);
	});
});
