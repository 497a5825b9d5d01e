/**
 * The poll's limits: a time budget (n8n's getPollBudgetMs) and cancellation; channel names resolved by
 * the one rule; the poller's process caches bounded. Time is counted in requests (the clock is the
 * number of calls made), never read from the wall.
 */
import { CancelledError } from '../../core/time';
import { processState } from '../../core/processState';
import { poll, pollSourceFor, type PollConfig, type TriggerState } from '../../core/poller';
import type { PumbleApi } from '../../core/api';
import { BOB, FakePumble } from './poller.fake';

const GENERAL = 'dddddddddddddddddddd0001';
const RANDOM = 'dddddddddddddddddddd0002';

function setup(config: Partial<PollConfig> = {}) {
	const pumble = new FakePumble();
	pumble.addChannel(GENERAL, { name: 'general' });
	pumble.addChannel(RANDOM, { name: 'random' });
	const cfg: PollConfig = { event: 'newMessage', channels: [GENERAL, RANDOM], ...config };
	const clock = () => pumble.calls.length;
	let state: TriggerState | undefined;
	const emitted: string[] = [];
	const run = async (budgetCalls?: number, signal?: AbortSignal) => {
		const result = await poll(pumble, cfg, state, {
			now: pumble.now,
			clock,
			...(budgetCalls !== undefined ? { deadline: clock() + budgetCalls } : {}),
			signal,
		});
		state = result.state;
		emitted.push(...result.messages.map((m) => m.text));
		return result;
	};
	return { pumble, run, emitted, state: () => state };
}

describe('the poll budget', () => {
	it('stops reading at the deadline, emits what is complete, and continues where it stopped', async () => {
		const t = setup({ channels: [GENERAL] });
		t.pumble.post(GENERAL, BOB, 'seen at activation'); // the cursor to walk forward from
		await t.run();
		for (let i = 1; i <= 250; i++) t.pumble.post(GENERAL, BOB, `m${i}`);
		const first = await t.run(2); // two pages of 100 forward, then the deadline
		expect(first.messages.map((m) => m.text)).toEqual(Array.from({ length: 200 }, (_, i) => `m${i + 1}`));
		expect(first.notes.join(' ')).toMatch(/time budget ran out/);
		const second = await t.run(2);
		expect(second.messages.map((m) => m.text)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 201}`));
		expect(t.emitted).toHaveLength(250);
	});

	it('a channel not reached before the deadline keeps its state, is read first on the next poll, and loses nothing', async () => {
		const t = setup();
		await t.run();
		t.pumble.post(GENERAL, BOB, 'general 1');
		t.pumble.post(RANDOM, BOB, 'random 1');
		const before = structuredClone(t.state()!);
		const first = await t.run(1);
		expect(first.deferred).toEqual([RANDOM]);
		expect(first.messages.map((m) => m.text)).toEqual(['general 1']);
		expect({ ...first.state.channels[RANDOM], deferred: undefined }).toEqual({ ...before.channels[RANDOM], deferred: undefined });
		t.pumble.post(GENERAL, BOB, 'general 2');
		t.pumble.calls = [];
		const second = await t.run(1);
		expect(t.pumble.calls[0]).toMatchObject({ op: 'listMessages', channelId: RANDOM });
		expect(second.messages.map((m) => m.text)).toEqual(['random 1']);
		expect(second.deferred).toEqual([GENERAL]);
		await t.run();
		expect(t.emitted).toEqual(['general 1', 'random 1', 'general 2']);
	});

	it('a budget spent before anything was read advances nothing', async () => {
		const t = setup();
		await t.run();
		t.pumble.post(GENERAL, BOB, 'waits');
		const before = structuredClone(t.state()!);
		const result = await t.run(0);
		expect(result.deferred).toEqual([GENERAL, RANDOM]);
		expect(result.messages).toEqual([]);
		for (const id of [GENERAL, RANDOM]) expect({ ...result.state.channels[id], deferred: undefined }).toEqual({ ...before.channels[id], deferred: undefined });
		await t.run();
		expect(t.emitted).toEqual(['waits']);
	});
});

describe('cancellation', () => {
	it('a cancelled poll rejects with a CancelledError, starts no request after the cancel, and advances nothing', async () => {
		const t = setup();
		await t.run();
		t.pumble.post(GENERAL, BOB, 'new');
		const controller = new AbortController();
		const source = Object.create(t.pumble) as FakePumble;
		let calls = 0;
		source.listMessagesPage = async (input) => {
			calls++;
			const page = await FakePumble.prototype.listMessagesPage.call(t.pumble, input);
			controller.abort(); // the user pressed Stop while the first read was in flight
			return page;
		};
		const before = structuredClone(t.state());
		await expect(poll(source, { event: 'newMessage', channels: [GENERAL, RANDOM] }, t.state(), { signal: controller.signal, concurrency: 1 })).rejects.toThrow(CancelledError);
		expect(calls).toBe(1);
		expect(t.state()).toEqual(before);
		await t.run();
		expect(t.emitted).toEqual(['new']);
	});

	it('an already cancelled poll reads nothing', async () => {
		const t = setup();
		const controller = new AbortController();
		controller.abort();
		await expect(t.run(undefined, controller.signal)).rejects.toThrow(CancelledError);
		expect(t.pumble.calls).toEqual([]);
	});
});

describe('channels by name: the API\'s one rule (the cached list, read again on a miss)', () => {
	it('names go through the source\'s channelId; a name created after the list was cached is found', async () => {
		const pumble = new FakePumble();
		pumble.addChannel(GENERAL, { name: 'general' });
		const asked: string[] = [];
		const channelId = pumble.channelId.bind(pumble);
		pumble.channelId = (name) => (asked.push(name), channelId(name));
		const cfg: PollConfig = { event: 'newMessage', channels: ['#general', GENERAL] };
		const first = await poll(pumble, cfg, undefined, { now: pumble.now });
		expect(asked).toEqual(['#general']);
		expect(pumble.count('listChannels')).toBe(1);
		pumble.addChannel(RANDOM, { name: 'random' }); // created after the list was cached
		const second = await poll(pumble, { ...cfg, channels: ['#general', 'Random'] }, first.state, { now: pumble.now });
		expect(pumble.count('listChannels')).toBe(2); // #general from the cache, Random after one refresh
		expect(second.problems).toEqual([]);
		expect(Object.keys(second.state.channels)).toEqual([GENERAL, RANDOM]);
	});

	it('a list that cannot be read fails every name once, not once per name', async () => {
		const pumble = new FakePumble();
		pumble.addChannel(GENERAL, { name: 'general' });
		pumble.faults.push({ op: 'listChannels', error: new Error('listChannels failed') });
		const result = await poll(pumble, { event: 'newMessage', channels: ['general', 'random', GENERAL] }, undefined, { now: pumble.now });
		expect(result.problems.map((p) => [p.channel, p.failure.message])).toEqual([
			['general', 'listChannels failed'],
			['random', 'listChannels failed'],
		]);
		expect(pumble.count('listChannels')).toBe(1);
	});
});

describe('process caches', () => {
	it('users and groups read for 1,001 credentials are bounded, and expire', async () => {
		await processState.reset();
		const fakeApi = (identity: string) =>
			({ client: { identity }, listUsers: async () => [], listUserGroups: async () => [] }) as unknown as PumbleApi;
		for (let i = 0; i < 1_001; i++) {
			const source = pollSourceFor(fakeApi(`identity-${i}`));
			await source.listUsers({ fresh: false });
			await source.listUserGroups();
		}
		const counts = processState.counts().caches;
		expect(counts['poller.users']).toBeLessThanOrEqual(1_000);
		expect(counts['poller.userGroups']).toBeLessThanOrEqual(1_000);
		processState.prune(Date.now() + 11 * 60_000);
		expect(processState.counts().caches['poller.users']).toBe(0);
		expect(processState.counts().caches['poller.userGroups']).toBe(0);
	});
});
