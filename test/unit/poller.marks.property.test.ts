/**
 * Property: whatever the interleaving of posts, reactions added and removed, edits, deletions, polls and
 * restarts, Reaction Added and Message Edited emit exactly what an observer comparing each poll with the
 * last saved one would see — each reaction and each edit once, oldest message first, every event with
 * its own key — and remember no more than the window.
 *
 * "Restart" reloads the state n8n would have saved: n8n writes static data only when a poll emits, so a
 * restart continues from the state of the last emitting poll (or of the activation). Every message stays
 * within the window here (fewer than 100 per channel); poller.marks.test.ts covers the window's edges.
 */
import fc from 'fast-check';

import { DEFAULT_WATCH_WINDOW, poll, type PollConfig, type ReactionAdded, type TriggerState } from '../../core/poller';
import type { Message } from '../../core/types';
import { BOB, BOT, CAROL, FakePumble, ME } from './poller.fake';

const CHANNELS = ['eeeeeeeeeeeeeeeeeeee0001', 'eeeeeeeeeeeeeeeeeeee0002'];
const PEOPLE = [BOB, CAROL, ME, BOT];
const EMOJI = [':+1:', ':eyes:', ':tada:'];

type Action =
	| { t: 'post'; ch: number; author: number; tick: number }
	| { t: 'react'; pick: number; user: number; emoji: number }
	| { t: 'unreact'; pick: number; user: number; emoji: number }
	| { t: 'edit'; pick: number; text: number }
	| { t: 'delete'; pick: number }
	| { t: 'poll' }
	| { t: 'restart' };

const tick = fc.constantFrom(0, 0, 1000, 60_000);
const action: fc.Arbitrary<Action> = fc.oneof(
	{ weight: 3, arbitrary: fc.record({ t: fc.constant('post' as const), ch: fc.nat(1), author: fc.nat(3), tick }) },
	{ weight: 5, arbitrary: fc.record({ t: fc.constant('react' as const), pick: fc.nat(), user: fc.nat(3), emoji: fc.nat(2) }) },
	{ weight: 2, arbitrary: fc.record({ t: fc.constant('unreact' as const), pick: fc.nat(), user: fc.nat(3), emoji: fc.nat(2) }) },
	{ weight: 3, arbitrary: fc.record({ t: fc.constant('edit' as const), pick: fc.nat(), text: fc.nat(2) }) },
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), pick: fc.nat() }) },
	{ weight: 3, arbitrary: fc.constant({ t: 'poll' as const }) },
	{ weight: 1, arbitrary: fc.constant({ t: 'restart' as const }) },
);

/** What an observer saw of each message at a poll: its reactions (`user code`) and content. */
type Seen = Map<string, { reactions: string[]; content: string }>;

interface Watcher {
	config: PollConfig;
	state?: TriggerState;
	saved?: TriggerState;
	seen: Seen;
	seenAtSave: Seen;
	emitted: string[];
	expected: string[];
	keys: string[];
}

const byOthers = (user: string) => user !== ME && user !== BOT;

async function scenario(actions: Action[], editedFlag: FakePumble['editedFlag']): Promise<void> {
	const pumble = new FakePumble();
	pumble.editedFlag = editedFlag;
	for (const id of CHANNELS) pumble.addChannel(id);
	for (const channel of CHANNELS) {
		const old = pumble.post(channel, BOB, 'old');
		pumble.react(old.id, CAROL, ':eyes:');
		pumble.post(channel, CAROL, 'old 2');
	}
	const watchers: Watcher[] = (['reactionAdded', 'messageEdited'] as const).map((event) => ({
		config: { event, channels: CHANNELS },
		seen: new Map(),
		seenAtSave: new Map(),
		emitted: [],
		expected: [],
		keys: [],
	}));
	const observe = (): Seen =>
		new Map(
			pumble.records
				.filter((r) => !r.root)
				.map((r) => [r.id, { reactions: r.reactions.map((x) => `${x.user} ${x.code}`), content: `${r.text}|${r.edited}` }]),
		);
	/** What the observer expects of a poll, comparing what it sees with what it saw (records are in posting order). */
	const expectations = (w: Watcher, now: Seen): string[] => {
		const out: string[] = [];
		for (const record of pumble.records.filter((r) => !r.root)) {
			const before = w.seen.get(record.id);
			if (w.config.event === 'reactionAdded') {
				for (const reaction of record.reactions) {
					if (byOthers(reaction.user) && !before?.reactions.includes(`${reaction.user} ${reaction.code}`)) out.push(`${record.id} ${reaction.user} ${reaction.code}`);
				}
			} else if (byOthers(record.author)) {
				const changed = before ? before.content !== now.get(record.id)!.content : editedFlag === 'boolean' && record.edited;
				if (changed) out.push(`${record.id} ${record.text}`);
			}
		}
		return out;
	};
	const pollAll = async (first = false) => {
		const now = observe();
		for (const w of watchers) {
			const result = await poll(pumble, w.config, w.state, { now: pumble.now });
			expect(result.problems).toEqual([]);
			w.state = result.state;
			const got = result.events.map((e) =>
				w.config.event === 'reactionAdded'
					? `${(e.json as ReactionAdded).messageId} ${(e.json as ReactionAdded).user} ${(e.json as ReactionAdded).reaction}`
					: `${(e.json as Message).id} ${(e.json as Message).text}`,
			);
			if (!first) w.expected.push(...expectations(w, now));
			w.emitted.push(...got);
			w.keys.push(...result.events.map((e) => e.key));
			w.seen = now;
			if (first || got.length > 0) {
				w.saved = structuredClone(result.state);
				w.seenAtSave = now;
			}
			for (const channel of CHANNELS) {
				const kept = result.state.channels[channel];
				expect(Object.keys(kept.reacted ?? kept.edits ?? {}).length).toBeLessThanOrEqual(DEFAULT_WATCH_WINDOW);
			}
		}
	};
	await pollAll(true);

	const topLevel = () => pumble.records.filter((r) => !r.root);
	let counter = 0;
	for (const a of actions) {
		switch (a.t) {
			case 'post':
				pumble.tick(a.tick);
				pumble.post(CHANNELS[a.ch], PEOPLE[a.author], `m${++counter}`);
				break;
			case 'react':
			case 'unreact': {
				const all = topLevel();
				const target = all[a.pick % all.length];
				if (a.t === 'react') pumble.react(target.id, PEOPLE[a.user], EMOJI[a.emoji]);
				else pumble.unreact(target.id, PEOPLE[a.user], EMOJI[a.emoji]);
				break;
			}
			case 'edit': {
				const all = topLevel();
				const target = all[a.pick % all.length];
				pumble.edit(target.id, ['edited', 'again', 'edited'][a.text] + ` ${target.id.slice(-3)}`);
				break;
			}
			case 'delete': {
				const all = topLevel();
				if (all.length > 2) pumble.remove(all[a.pick % all.length].id);
				break;
			}
			case 'poll':
				await pollAll();
				break;
			case 'restart':
				for (const w of watchers) {
					w.state = structuredClone(w.saved);
					w.seen = w.seenAtSave;
				}
				break;
		}
	}
	await pollAll();

	for (const w of watchers) {
		expect({ event: w.config.event, emitted: w.emitted }).toEqual({ event: w.config.event, emitted: w.expected });
		expect({ event: w.config.event, duplicateKeys: w.keys.length - new Set(w.keys).size }).toEqual({ event: w.config.event, duplicateKeys: 0 });
	}
}

describe('reactions and edits exactly once (property)', () => {
	it('hold for random reactions, edits, deletions, polls and restarts', async () => {
		await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 80 }), (actions) => scenario(actions, 'boolean')), { numRuns: 150 });
	});

	it('hold when messages carry no edited flag (edits seen by their content)', async () => {
		await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 80 }), (actions) => scenario(actions, 'absent')), { numRuns: 75 });
	});
});
