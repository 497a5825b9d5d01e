/**
 * The Node-RED `pumble-trigger` node in Node-RED's own runtime against the sandbox: the first poll notes
 * where each channel is, later polls send each new message once, oldest first, and the place is kept in
 * the node's context, so a redeploy (a new node reading the same context) neither repeats nor skips.
 */
import type { Sandbox } from '../../../sandbox';
import { collect, getNode, loadFlow, nodeRedSuite, startRuntime, stopRuntime, type FlowNode } from '../../helpers/nodeRed';

let sandbox: Sandbox;
nodeRedSuite((started) => (sandbox = started));

const trigger = (fields: Record<string, unknown> = {}): FlowNode => ({
	id: 'trig',
	type: 'pumble-trigger',
	pumble: 'cfg',
	event: 'newMessage',
	channels: 'general, random',
	interval: 1,
	wires: [['out']],
	...fields,
});
const pollsOf = (channelId: string) => sandbox.log.filter((e) => e.path === '/listMessages' && e.query.channelId === channelId).length;
const waitFor = async (check: () => boolean): Promise<void> => {
	while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
};

describe('pumble-trigger', () => {
	it('starts from now, then sends each new message once, oldest first, with the channel as topic', async () => {
		const { general, random, bob, carol } = sandbox.ids;
		await loadFlow(sandbox, [trigger(), { id: 'out', type: 'helper' }]);
		const out = collect('out');
		// The second poll of each channel starts after the baseline poll has certainly been answered.
		await waitFor(() => pollsOf(general) >= 2 && pollsOf(random) >= 2);
		const baseline = out.messages.length;
		sandbox.postAs(bob, general, 'first');
		sandbox.postAs(carol, random, 'second');
		sandbox.postAs(bob, general, 'third');
		const got = await out.next(3);
		expect(baseline).toBe(0);
		expect(got.map((m) => (m.payload as { text: string }).text).sort()).toEqual(['first', 'second', 'third']);
		const generalTexts = got.filter((m) => m.topic === general).map((m) => (m.payload as { text: string }).text);
		expect(generalTexts).toEqual(['first', 'third']);
		// Two more polls: nothing is sent twice.
		const seen = pollsOf(general);
		await waitFor(() => pollsOf(general) >= seen + 2);
		expect(out.messages).toHaveLength(3);
		expect(got.every((m) => m.event === 'newMessage')).toBe(true);
	});

	it('keeps its place in the node context across a redeploy: the messages posted in between come once', async () => {
		const { general, bob } = sandbox.ids;
		await loadFlow(sandbox, [trigger({ channels: general }), { id: 'out', type: 'helper' }]);
		const first = collect('out');
		await waitFor(() => pollsOf(general) >= 2);
		sandbox.postAs(bob, general, 'before the redeploy');
		await first.next(1);
		const state = getNode('trig').context().get('pumbleTriggerState');
		expect(state).toBeDefined();

		// Stop the flow; post while it is down; start a new node that finds the same state in its context.
		await stopRuntime();
		sandbox.postAs(bob, general, 'while down 1');
		sandbox.postAs(bob, general, 'while down 2');
		await startRuntime();
		await loadFlow(sandbox, [trigger({ channels: general }), { id: 'out', type: 'helper' }]);
		// The memory context store of the test runtime is new: hand the node its saved state, as a persistent store would.
		getNode('trig').context().set('pumbleTriggerState', state);
		const second = collect('out');
		const got = await second.next(2);
		expect(got.map((m) => (m.payload as { text: string }).text)).toEqual(['while down 1', 'while down 2']);
	});

	it('a channel that cannot be read is reported to Catch nodes; the others go on', async () => {
		const { general, bob } = sandbox.ids;
		await loadFlow(sandbox, [
			trigger({ channels: `${general}, no-such-channel` }),
			{ id: 'out', type: 'helper' },
			{ id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
			{ id: 'caught', type: 'helper' },
		]);
		const out = collect('out');
		const caught = collect('caught');
		const [report] = await caught.next(1);
		expect(report.error?.message).toMatch(/cannot read channel no-such-channel/);
		sandbox.postAs(bob, general, 'still watched');
		const [msg] = await out.next(1);
		expect((msg.payload as { text: string }).text).toBe('still watched');
	});
	it('a text filter RE2 cannot run is reported with the node\'s field name, not the n8n node\'s', async () => {
		await loadFlow(sandbox, [
			trigger({ textFilter: '/deploy(?=ed)/' }),
			{ id: 'out', type: 'helper' },
			{ id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
			{ id: 'caught', type: 'helper' },
		]);
		const [report] = await collect('caught').next(1);
		expect(report.error?.message).toMatch(/cannot be used.*"textFilter" runs patterns in linear time/);
		expect(report.error?.message).not.toMatch(/options\.|Text Contains/);
	});

	it('reactionAdded sends each reaction added since the last poll once, with who reacted and the message', async () => {
		const { general } = sandbox.ids;
		const m = sandbox.postAs(sandbox.ids.bob, general, 'react here');
		await loadFlow(sandbox, [trigger({ event: 'reactionAdded', channels: general }), { id: 'out', type: 'helper' }]);
		const out = collect('out');
		await waitFor(() => pollsOf(general) >= 2);
		// Carol reacts through the sandbox's HTTP API with her own key.
		const answer = await fetch(`${sandbox.url}/addReaction`, {
			method: 'POST',
			headers: { ApiKey: sandbox.keys.carol, 'content-type': 'application/json' },
			body: JSON.stringify({ channelId: general, messageId: m.id, reaction: ':tada:' }),
		});
		expect(answer.status).toBe(200);
		const [got] = await out.next(1);
		expect(got).toMatchObject({ topic: general, event: 'reactionAdded', payload: { reaction: ':tada:', user: sandbox.ids.carol, messageId: m.id, message: { text: 'react here' } } });
		const seen = pollsOf(general);
		await waitFor(() => pollsOf(general) >= seen + 2);
		expect(out.messages).toHaveLength(1);
	});
});
