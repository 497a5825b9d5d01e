/**
 * The `pumble` node runs the core catalogue's entries (core/operations/): a message's parameters are read
 * once, checked by the entry before anything is sent, and run by it — so Node-RED behaves as the entry does
 * (and as the n8n node does), in Node-RED's own test runtime against the sandbox over HTTP.
 */
import type { Sandbox } from '../../../sandbox';
import { collect, getNode, loadFlow, nodeRedSuite, nodeRedUtil, type FlowNode, type Message } from '../../helpers/nodeRed';

let sandbox: Sandbox;
nodeRedSuite((started) => (sandbox = started));

const flow = (fields: Record<string, unknown> = { resource: 'msg' }): FlowNode[] => [
	{ id: 'p1', type: 'pumble', pumble: 'cfg', wires: [['out']], singleArray: true, ...fields },
	{ id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['out']] },
	{ id: 'out', type: 'helper' },
];
const requestsTo = (path: string) => sandbox.log.filter((e) => e.path === path).length;

/** Sends one message to p1 and returns what came out (the result, or the caught error). */
async function run(out: ReturnType<typeof collect>, msg: Record<string, unknown>): Promise<Message> {
	getNode('p1').receive(msg);
	return (await out.next(out.messages.length + 1)).at(-1)!;
}

describe('a message read once and checked by its entry', () => {
	it('evaluates a JSONata field once per message: the lane and the send use the same value', async () => {
		await loadFlow(sandbox, flow({ resource: 'message', operation: 'send', channel: 'general', text: '"once: " & payload.n', textType: 'jsonata' }));
		const out = collect('out');
		const evaluate = jest.spyOn(nodeRedUtil, 'evaluateNodeProperty');
		try {
			const msg = await run(out, { payload: { n: 1 } });
			expect(msg.error).toBeUndefined();
			expect(evaluate.mock.calls.filter(([, type]) => type === 'jsonata')).toHaveLength(1);
			expect(sandbox.state.messages.filter((m) => m.text.startsWith('once: ')).map((m) => m.text)).toEqual(['once: 1']);
		} finally {
			evaluate.mockRestore();
		}
	});

	it('bad input names the Node-RED field and sends nothing: a group DM to one person', async () => {
		await loadFlow(sandbox, flow());
		const out = collect('out');
		const msg = await run(out, { resource: 'message', operation: 'send', payload: { users: sandbox.ids.bob, text: 'hi' } });
		expect(msg.error).toMatchObject({ code: 'bad-input', cause: { kind: 'bad-input', parameter: 'users' } });
		expect(requestsTo('/sendDirectMessage') + requestsTo('/sendGroupMessage') + requestsTo('/sendMessage')).toBe(0);
	});
});

describe('the entry is the one truth for both hosts', () => {
	it('User Get Many lists bots unless includeBots is false, as the n8n node does', async () => {
		await loadFlow(sandbox, flow());
		const out = collect('out');
		const ids = (msg: Message) => (msg.payload as Array<{ id: string }>).map((u) => u.id);
		const byDefault = await run(out, { resource: 'user', operation: 'getAll', payload: {} });
		expect(ids(byDefault)).toEqual(expect.arrayContaining([sandbox.ids.pumbleBot, sandbox.ids.adaBot, sandbox.ids.ada]));
		const withoutBots = await run(out, { resource: 'user', operation: 'getAll', payload: { includeBots: 'false' } });
		expect(ids(withoutBots)).toContain(sandbox.ids.ada);
		expect(ids(withoutBots)).not.toEqual(expect.arrayContaining([sandbox.ids.pumbleBot]));
		expect(ids(withoutBots)).not.toContain(sandbox.ids.adaBot);
	});

	it('User Get Many takes either spelling of a status, and rejects an unknown one before sending', async () => {
		await loadFlow(sandbox, flow());
		const out = collect('out');
		const active = await run(out, { resource: 'user', operation: 'getAll', payload: { status: 'active' } });
		expect((active.payload as Array<{ status: string }>).length).toBeGreaterThan(0);
		expect(new Set((active.payload as Array<{ status: string }>).map((u) => u.status))).toEqual(new Set(['ACTIVATED']));
		const before = requestsTo('/listUsers');
		const unknown = await run(out, { resource: 'user', operation: 'getAll', payload: { status: 'asleep' } });
		expect(unknown.error).toMatchObject({ code: 'bad-input', cause: { parameter: 'status' } });
		expect(unknown.error?.message).toMatch(/"asleep" is not a user status/);
		expect(requestsTo('/listUsers')).toBe(before);
	});

	it('Get Me asks Pumble each time (no cached identity)', async () => {
		await loadFlow(sandbox, flow());
		const out = collect('out');
		const first = await run(out, { resource: 'user', operation: 'getMe', payload: {} });
		const asked = requestsTo('/myInfo');
		const second = await run(out, { resource: 'user', operation: 'getMe', payload: {} });
		expect(first.payload).toMatchObject({ id: sandbox.ids.ada });
		expect(second.payload).toMatchObject({ id: sandbox.ids.ada });
		expect(requestsTo('/myInfo')).toBe(asked + 1);
	});

	it('a scheduled-message update with nothing to change is bad input, worded for Node-RED, and sends nothing', async () => {
		await loadFlow(sandbox, flow());
		const out = collect('out');
		const scheduled = await run(out, { resource: 'scheduledMessage', operation: 'create', payload: { channel: 'general', text: 'later', sendAt: Date.now() + 3_600_000 } });
		const id = (scheduled.payload as { id: string }).id;
		const before = sandbox.log.length;
		const msg = await run(out, { resource: 'scheduledMessage', operation: 'update', payload: { scheduledMessageId: id } });
		expect(msg.error).toMatchObject({ code: 'bad-input' });
		expect(msg.error?.message).toMatch(/Nothing to update — .*msg\.payload\.text.*"Send at"/);
		expect(msg.error?.message).not.toMatch(/Update Fields|\{\{/);
		expect(sandbox.log.length).toBe(before);
	});
});
