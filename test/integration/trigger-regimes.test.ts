/**
 * The Pumble Trigger under both of n8n's polling regimes, with n8n-core's real
 * PollContext over HTTP against the sandbox:
 * - `memory` (n8n 2.8.4): static data held in memory whatever the poll did, saved when it emits;
 * - `durable` (n8n's durable poll scheduler): committed only with an emit or an empty poll; a poll that
 *   throws, and the activation poll, commit nothing (test/helpers/runPoll.ts simulates it);
 * and the newer hosts' features: getPollBudgetMs(), an emit that takes a deduplication key, a cancel
 * signal. Also listMessages AFTER answering in either page order (undocumented, so both are served).
 */
import { PumbleApi, PumbleClient, createAxiosTransport } from '../../core/withAxios';
import { poll, pollSourceFor, type TriggerState } from '../../core/poller';
import { texts } from '../helpers/runPoll';
import { triggerSuite } from '../helpers/triggerSuite';

const suite = triggerSuite();
const { tick, trigger } = suite;
const post = (user: 'bob' | 'carol' | 'ada', channel: string, text: string) => suite.sandbox.postAs(suite.sandbox.ids[user], channel, text);
const channelsOf = (state: unknown) => (state as { state: TriggerState }).state.channels;

describe.each(['memory', 'durable'] as const)('under the %s regime', (regime) => {
	it('every message exactly once across polls, quiet polls and restarts', async () => {
		const { general, random } = suite.sandbox.ids;
		const t = trigger({ channels: [general, random] }, { regime });
		expect((await t.poll()).error).toBeUndefined();
		post('bob', general, 'after activation'); // before the first scheduled poll
		expect(texts((await t.poll()).items)).toEqual(['after activation']);
		expect((await t.poll()).items).toEqual([]);
		tick(60_000);
		post('carol', random, 'while n8n was down');
		t.restart();
		expect(texts((await t.poll()).items)).toEqual(['while n8n was down']);
		t.restart();
		expect((await t.poll()).items).toEqual([]);
		expect(texts(t.emitted)).toEqual(['after activation', 'while n8n was down']);
	});

	it('a channel that starts failing is reported once (by throwing, nothing advanced), the others flow from the next poll, and it catches up', async () => {
		const { general, leadership, ada } = suite.sandbox.ids;
		const t = trigger({ channels: [general, leadership] }, { regime });
		await t.poll();
		const members = suite.sandbox.state.channels.find((c) => c.id === leadership)!.members;
		members.splice(members.indexOf(ada), 1); // Ada loses access
		post('bob', leadership, 'missed while Ada was out');
		post('bob', general, 'general keeps flowing');
		const before = structuredClone(t.state);
		const report = await t.poll();
		expect(report.error?.message).toMatch(new RegExp(`Pumble Trigger cannot read 1 of 2 channels — ${leadership}`));
		expect(t.state).toEqual(before); // the throwing poll changed nothing, in either regime
		expect(texts((await t.poll()).items)).toEqual(['general keeps flowing']);
		post('bob', general, 'still flowing');
		const next = await t.poll();
		expect(next.error).toBeUndefined(); // reported once: not again within the hour
		expect(texts(next.items)).toEqual(['still flowing']);
		members.push(ada); // access is back
		expect(texts((await t.poll()).items)).toEqual(['missed while Ada was out']);
		expect((await t.poll()).items).toEqual([]);
		expect(texts(t.emitted)).toEqual(['general keeps flowing', 'still flowing', 'missed while Ada was out']);
	});

	it('a cancelled poll throws and advances nothing; the next poll brings the messages once', async () => {
		const { general } = suite.sandbox.ids;
		const controller = new AbortController();
		const t = trigger({ channels: [general] }, { regime, cancelSignal: controller.signal });
		await t.poll();
		post('bob', general, 'arrived before the cancel');
		controller.abort();
		const before = structuredClone(t.state);
		const cancelled = await t.poll();
		expect(cancelled.error?.message).toMatch(/cancel/i);
		expect(t.state).toEqual(before);
		t.features.cancelSignal = new AbortController().signal;
		expect(texts((await t.poll()).items)).toEqual(['arrived before the cancel']);
		expect(texts(t.emitted)).toEqual(['arrived before the cancel']);
	});

	it('with a poll budget already spent, nothing is read and the place is kept; with time, everything comes once', async () => {
		const { general, random } = suite.sandbox.ids;
		const t = trigger({ channels: [general, random] }, { regime, pollBudgetMs: 60_000 });
		await t.poll();
		post('bob', general, 'g');
		post('carol', random, 'r');
		t.features.pollBudgetMs = 1; // 80 % of 1 ms: no request may start
		const seq = suite.sandbox.log.length;
		const starved = await t.poll();
		expect(starved.error).toBeUndefined();
		expect(starved.items).toEqual([]);
		expect(suite.sandbox.log.slice(seq).filter((e) => e.path === '/listMessages')).toEqual([]);
		t.features.pollBudgetMs = 60_000;
		expect(texts((await t.poll()).items)).toEqual(['g', 'r']);
		expect(texts(t.emitted)).toEqual(['g', 'r']);
	});

	it('where emit takes a deduplication key, the trigger emits itself with the message ID as the key', async () => {
		const { general } = suite.sandbox.ids;
		const t = trigger({ channels: [general] }, { regime, emitTakesKey: true });
		await t.poll();
		const one = post('bob', general, 'one');
		const polled = await t.poll();
		expect(polled.result.output).toBeNull(); // emitted through the host's emit instead
		expect(texts(polled.items)).toEqual(['one']);
		expect(t.keys).toEqual([expect.stringMatching(new RegExp(`:${one.id}$`))]);
		post('bob', general, 'two');
		post('carol', general, 'three');
		expect(texts((await t.poll()).items)).toEqual(['two', 'three']);
		expect(t.keys).toHaveLength(2);
		expect(t.keys[1]).not.toEqual(t.keys[0]);
		expect((await t.poll()).items).toEqual([]);
		expect(t.keys).toHaveLength(2);
	});
});

describe('durable regime specifics', () => {
	it('the activation poll commits nothing: the first scheduled poll continues from the activation (kept in the process)', async () => {
		const { general } = suite.sandbox.ids;
		const t = trigger({ channels: [general] }, { regime: 'durable' });
		await t.poll();
		expect(t.saved).toEqual({}); // nothing committed by the activation
		post('bob', general, 'between activation and the first poll');
		expect(texts((await t.poll()).items)).toEqual(['between activation and the first poll']);
		expect(channelsOf(t.saved)[general]).toBeDefined();
	});
});

describe('catastrophic Text Contains through the node', () => {
	it('/^(a+)+$/ with a 10,000-character message: the poll finishes and emits the match only', async () => {
		const { general } = suite.sandbox.ids;
		const t = trigger({ channels: [general], options: { textFilter: '/^(a+)+$/' } });
		await t.poll();
		post('bob', general, 'a'.repeat(9_999) + '!');
		post('carol', general, 'a'.repeat(10_000));
		const polled = await t.poll();
		expect(polled.error).toBeUndefined();
		expect(polled.items.map((i) => String(i.text).length)).toEqual([10_000]);
	});

	it('a pattern RE2 cannot run fails the activation with a clear error', async () => {
		const t = trigger({ channels: [suite.sandbox.ids.general], options: { textFilter: '/deploy(?=ed)/' } });
		const activation = await t.poll();
		expect(activation.error?.name).toBe('NodeOperationError');
		expect(activation.error?.message).toMatch(/cannot be used/);
		// n8n's name for the field (Node-RED's node says textFilter: test/integration/node-red/pumble-trigger.test.ts)
		expect((activation.error as { description?: string }).description).toMatch(/"options\.textFilter" runs patterns in linear time/);
	});
});

describe.each(['newestFirst', 'oldestFirst'] as const)('listMessages AFTER answering %s', (order) => {
	it('the suite.sandbox answers in that order, and the forward walk emits every message once, in order', async () => {
		const { general } = suite.sandbox.ids;
		suite.sandbox.configure({ listAfterOrder: order });
		const client = new PumbleClient({ transport: createAxiosTransport({ apiKey: suite.sandbox.apiKey, baseUrl: suite.sandbox.url }), identity: `regimes-${order}` });
		const api = new PumbleApi(client);
		const config = { event: 'newMessage' as const, channels: [general] };
		let state: TriggerState | undefined = (await poll(pollSourceFor(api), config, undefined)).state;
		const posted: string[] = [];
		for (let i = 0; i < 230; i++) {
			if (i % 7 === 0) tick();
			posted.push(`m${i}`);
			post(i % 2 ? 'bob' : 'carol', general, `m${i}`);
		}
		// The switch took: a page after a cursor comes in the order asked for.
		const page = await api.listMessagesPage({ channel: { id: general }, cursor: state.channels[general].last, strategy: 'AFTER', limit: 5 });
		const times = (page.messages ?? []).map((m) => m.timestampMilli);
		expect(times).toEqual([...times].sort((a, b) => (order === 'oldestFirst' ? a - b : b - a)));
		expect(new Set(times).size).toBeGreaterThan(1);
		const emitted: string[] = [];
		for (let i = 0; i < 2; i++) {
			const result = await poll(pollSourceFor(api), config, state);
			state = result.state;
			emitted.push(...result.messages.map((m) => m.text));
		}
		expect(emitted).toEqual(posted);
	});
});
