/**
 * A simulated hour: three Pumble Triggers (new messages, thread replies, mentions) poll five channels
 * every minute — n8n-core's PollContext over HTTP against the sandbox, time compressed through the
 * sandbox clock — while the test drives random traffic: quiet minutes, bursts larger than a page,
 * several messages in one second (also in the very second of a poll), replies, replies sent to the
 * channel too, mentions of the user and of their group, own and bot messages, deletions of messages
 * already seen, random server errors, resets and garbled answers, a channel the user loses access to for
 * six minutes, and an n8n restart that reloads the static data n8n had saved.
 *
 * Every trigger must emit every message it should exactly once, each channel in posting order, and a
 * quiet poll must cost one listMessages per channel. SEED=<n> replays a run.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
// The sandbox's seeded generator (its fault sequences use it): one implementation for both.
import { mulberry32 } from '../../sandbox/faults';
import { PolledTrigger } from '../helpers/runPoll';

const SEED = Number(process.env.SEED ?? 20260522);
const MINUTES = 60;
const QUIET = new Set([40, 41, 42, 43]);
const OUTAGE = { from: 20, to: 26 }; // Ada is out of #leadership in [from, to)
const RESTART_AT = 30;
const BURSTS: Record<number, { channel: 'general' | 'random'; size: number }> = { 12: { channel: 'general', size: 180 }, 47: { channel: 'random', size: 130 } };

interface Posted {
	id: string;
	channelId: string;
	author: 'ada' | 'adaBot' | 'bob' | 'carol';
	text: string;
	reply: boolean;
	toChannel: boolean;
	mention: boolean;
}

let sandbox: Sandbox;
let now: number;

beforeAll(async () => {
	now = Math.floor(Date.now() / 60_000) * 60_000;
	sandbox = await startSandbox({ clock: () => now });
});

afterAll(async () => {
	await sandbox.close();
});

it(`a simulated hour on five channels: every message exactly once, in order (seed ${SEED})`, async () => {
	const random = mulberry32(SEED);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
	const { ids } = sandbox;
	const channels = [ids.general, ids.random, ids.leadership, ids.adaBobDm, ids.groupDm];
	const members: Record<string, Array<'bob' | 'carol'>> = {
		[ids.general]: ['bob', 'carol'],
		[ids.random]: ['bob', 'carol'],
		[ids.leadership]: ['bob'],
		[ids.adaBobDm]: ['bob'],
		[ids.groupDm]: ['bob', 'carol'],
	};
	const credentials = { apiKey: sandbox.apiKey, baseUrl: sandbox.url };
	const triggers = {
		newMessage: new PolledTrigger({ event: 'newMessage', watch: 'selected', channels }, credentials),
		newReply: new PolledTrigger({ event: 'newReply', watch: 'selected', channels }, credentials),
		mention: new PolledTrigger({ event: 'mention', watch: 'selected', channels }, credentials),
	};
	const posted: Posted[] = [];
	const batches: Record<keyof typeof triggers, IDataObject[][]> = { newMessage: [], newReply: [], mention: [] };
	const errors: Record<keyof typeof triggers, string[]> = { newMessage: [], newReply: [], mention: [] };
	const quietCost: Record<keyof typeof triggers, string[][]> = { newMessage: [], newReply: [], mention: [] };
	let deleted = 0;

	const post = (author: Posted['author'], channelId: string, text: string, options: { root?: string; toChannel?: boolean } = {}) => {
		const user = author === 'adaBot' ? ids.ada : ids[author];
		const message = sandbox.postAs(user, channelId, text, {
			...(options.root ? { threadRootId: options.root, alsoSendToChannel: options.toChannel } : {}),
			asBot: author === 'adaBot',
		});
		posted.push({
			id: message.id,
			channelId,
			author,
			text,
			reply: !!options.root,
			toChannel: !!options.toChannel,
			mention: text.includes(`<<@${ids.ada}>>`) || text.includes(`<<&${ids.userGroup}>>`),
		});
		return message;
	};
	/** A random message from a random (allowed) author, sometimes mentioning Ada or her group. */
	const chatter = (channelId: string) => {
		const r = random();
		const author: Posted['author'] = r < 0.1 ? 'ada' : r < 0.15 ? 'adaBot' : pick(members[channelId]);
		const m = random();
		const mention = m < 0.15 ? ` <<@${ids.ada}>>` : m < 0.2 ? ` <<&${ids.userGroup}>>` : '';
		const listed = sandbox.state.messages
			.filter((x) => x.channelId === channelId && (x.threadRootId === null || x.sentToChannel))
			.sort((a, b) => a.timestampMilli - b.timestampMilli || a.seq - b.seq)
			.slice(-100)
			.filter((x) => x.threadRootId === null);
		if (random() < 0.35 && listed.length > 0) {
			// Threads are watched while their root is among the channel's newest 100 messages.
			const root = pick(listed);
			post(author, channelId, `reply #${posted.length}${mention}`, { root: root.id, toChannel: random() < 0.2 });
		} else {
			post(author, channelId, `message #${posted.length}${mention}`);
		}
	};
	/** Time of the last poll at which every trigger emitted what it had (none threw a report instead). */
	let allEmittedBefore = 0;
	const pollAll = async (minute: number) => {
		let clean = true;
		for (const [name, trigger] of Object.entries(triggers) as Array<[keyof typeof triggers, PolledTrigger]>) {
			const since = sandbox.log[sandbox.log.length - 1]?.seq ?? 0;
			const outcome = await trigger.poll();
			if (outcome.error) errors[name].push(`minute ${minute}: ${outcome.error.message}`);
			if (outcome.error) clean = false;
			if (outcome.items.length) batches[name].push(outcome.items);
			if (QUIET.has(minute) && minute > QUIET.values().next().value!) {
				// (an injected fault and its retry count as the one request they stand for)
				quietCost[name].push(sandbox.log.filter((e) => e.seq > since && !e.fault).map((e) => `${e.path} ${e.status}`));
			}
		}
		if (clean) allEmittedBefore = now;
	};

	// Activation: history exists, nothing of it may be emitted.
	for (const channelId of channels) for (let i = 0; i < 3; i++) chatter(channelId);
	const history = new Set(posted.map((p) => p.id));
	await pollAll(0);
	sandbox.configure({ faults: { rate: 0.02, kinds: ['500', '503', 'reset-before', 'reset-after', 'malformed-json'], seed: SEED, paths: ['/listMessages', '/fetchThreadReplies'] } });

	const leadershipMembers = () => sandbox.state.channels.find((c) => c.id === ids.leadership)!.members;
	for (let minute = 1; minute <= MINUTES; minute++) {
		const start = now;
		if (minute === OUTAGE.from) leadershipMembers().splice(leadershipMembers().indexOf(ids.ada), 1);
		if (minute === OUTAGE.to) leadershipMembers().push(ids.ada);
		if (!QUIET.has(minute)) {
			const seconds = Array.from({ length: Math.floor(random() * 12) }, () => Math.floor(random() * 50) + 1).sort((a, b) => a - b);
			for (const second of seconds) {
				now = start + second * 1000;
				const channelId = pick(channels);
				const cluster = random() < 0.3 ? 2 + Math.floor(random() * 3) : 1;
				for (let i = 0; i < cluster; i++) chatter(channelId);
			}
			const burst = BURSTS[minute];
			if (burst) {
				const from = now; // after this minute's chatter: the clock never goes back
				for (let i = 0; i < burst.size; i++) {
					now = from + Math.floor(i / 40) * 1000;
					post(pick(['bob', 'carol'] as const), ids[burst.channel], `burst #${posted.length}`);
				}
			}
			// Delete a message every trigger has already emitted or passed over (often the newest: the
			// cursor). Not one a report withheld: deleted before it was emitted, it is rightly never emitted.
			if (random() < 0.15) {
				const candidates = sandbox.state.messages.filter(
					(m) =>
						(m.channelId === ids.general || m.channelId === ids.random) &&
						m.threadRootId === null &&
						!sandbox.state.messages.some((r) => r.threadRootId === m.id) &&
						m.timestampMilli < allEmittedBefore,
				);
				const victim = candidates.sort((a, b) => b.seq - a.seq)[Math.floor(random() * Math.min(3, candidates.length))];
				if (victim) {
					sandbox.state.messages.splice(sandbox.state.messages.indexOf(victim), 1);
					deleted++;
				}
			}
		}
		now = start + 60_000;
		if (minute === RESTART_AT) for (const trigger of Object.values(triggers)) trigger.restart();
		await pollAll(minute);
		// Traffic in the very second of the poll, after it.
		if (!QUIET.has(minute) && random() < 0.3) chatter(pick(channels));
	}
	// A last poll with no fault, after the final traffic.
	sandbox.configure({ faults: undefined });
	now += 60_000;
	await pollAll(MINUTES + 1);

	// ---- what each trigger had to emit
	const fresh = posted.filter((p) => !history.has(p.id));
	const byOthers = (p: Posted) => p.author === 'bob' || p.author === 'carol';
	const expected = {
		newMessage: fresh.filter((p) => byOthers(p) && (!p.reply || p.toChannel)),
		newReply: fresh.filter((p) => byOthers(p) && p.reply),
		mention: fresh.filter((p) => byOthers(p) && p.mention),
	};
	const faults = sandbox.log.filter((e) => e.fault).length;
	const summary = Object.fromEntries(
		Object.entries(triggers).map(([name, t]) => [name, { polls: t.polls, emitted: t.emitted.length, reports: errors[name as keyof typeof errors].length }]),
	);
	process.stderr.write(
		`[trigger-hour] seed ${SEED}: ${posted.length} messages posted (${fresh.length} after activation), ${deleted} deleted, ` +
			`${sandbox.log.length} requests, ${faults} faults injected; ${JSON.stringify(summary)}\n`,
	);

	for (const name of Object.keys(triggers) as Array<keyof typeof triggers>) {
		const emitted = triggers[name].emitted.map((m) => String(m.id));
		// exactly once
		expect({ name, duplicates: emitted.length - new Set(emitted).size }).toEqual({ name, duplicates: 0 });
		expect({ name, emitted: [...emitted].sort() }).toEqual({ name, emitted: expected[name].map((p) => p.id).sort() });
		// in order: each channel in posting order; each execution's items in time order
		for (const channelId of channels) {
			const inChannel = triggers[name].emitted.filter((m) => m.channelId === channelId).map((m) => String(m.id));
			expect({ name, channelId, order: inChannel }).toEqual({ name, channelId, order: expected[name].filter((p) => p.channelId === channelId).map((p) => p.id) });
		}
		for (const batch of batches[name]) {
			const keys = batch.map((m) => [Number(m.timestampMilli), String(m.id)] as const);
			const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
			expect(keys).toEqual(sorted);
		}
		// apart from #leadership's outage, the whole stream is in posting order
		const steady = emitted.filter((id) => !expected[name].some((p) => p.id === id && p.channelId === ids.leadership));
		expect(steady).toEqual(expected[name].filter((p) => p.channelId !== ids.leadership).map((p) => p.id));
		// the outage was reported when it began, once (it lasted less than the hourly re-report interval)
		expect(errors[name]).toEqual([expect.stringMatching(new RegExp(`^minute ${OUTAGE.from}: Pumble Trigger cannot read 1 of 5 channels — ${ids.leadership}`))]);
		// a quiet poll: one listMessages per channel, nothing else
		expect(quietCost[name].length).toBeGreaterThan(0);
		for (const cost of quietCost[name]) expect(cost).toEqual(Array(5).fill('/listMessages 200'));
	}
}, 600_000);
