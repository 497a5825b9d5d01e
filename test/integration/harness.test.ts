/**
 * The test harness itself (test/helpers/runNode.ts): the node runs inside a workflow executed by n8n-core's
 * WorkflowExecute, so n8n's own settings behave as in n8n — the pre-run issue check, Retry On Fail, the
 * Stop button (cancellation), the credential's header — and the harness reports what the node did.
 */
import { NodeApiError, type INodeType } from 'n8n-workflow';

import { Pumble } from '../../nodes/Pumble/Pumble.node';
import { runPumbleNode } from '../helpers/runNode';
import { byId, sandboxSuite } from '../helpers/sandboxSuite';

const suite = sandboxSuite('harness');
const NOWHERE = 'ffffffffffffffffffffffff';

const send = (text: string) => ({ resource: 'message', operation: 'send', channel: byId('={{ $json.channelId }}'), text });

test('a literal empty required field: n8n refuses to start the run and says why; the node never runs', async () => {
	const result = await runPumbleNode({ parameters: send(''), items: [{ channelId: suite.sandbox.ids.general }], credentials: suite.credentials() });
	expect(result.error?.constructor.name).toBe('WorkflowHasIssuesError');
	expect(JSON.stringify(result.issues)).toContain('Parameter \\"Text\\" is required');
	expect(result.tries).toBe(0);
	expect(suite.sandbox.log).toEqual([]);
});

test('every request carries the credential as n8n applies it: the ApiKey header, for the key\'s user', async () => {
	const result = await runPumbleNode({ parameters: send('hello'), items: [{ channelId: suite.sandbox.ids.general }], credentials: suite.credentials() });
	expect(result.error).toBeUndefined();
	expect(result.run?.status).toBe('success');
	expect(suite.sandbox.log.length).toBeGreaterThan(0);
	for (const entry of suite.sandbox.log) expect({ header: entry.headerName, user: entry.userId }).toEqual({ header: 'ApiKey', user: suite.sandbox.ids.ada });
});

test('Retry On Fail: n8n runs the node again, up to Max Tries; the error is the node\'s own NodeApiError', async () => {
	const result = await runPumbleNode({
		parameters: { resource: 'message', operation: 'get', channel: byId(suite.sandbox.ids.random), messageId: NOWHERE },
		credentials: suite.credentials(),
		settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 },
	});
	expect(result.tries).toBe(2);
	expect(result.error).toBeInstanceOf(NodeApiError);
	expect(suite.calls('/fetchMessage')).toHaveLength(2);
	expect(result.run?.status).toBe('error');
});

test('a stop before the run starts: nothing is sent and the execution ends cancelled', async () => {
	const stop = new AbortController();
	stop.abort();
	const result = await runPumbleNode({
		parameters: send('never'),
		items: [{ channelId: suite.sandbox.ids.general }],
		credentials: suite.credentials(),
		cancelSignal: stop.signal,
	});
	expect(result.run?.status).toBe('canceled');
	expect(result.tries).toBe(0);
	expect(suite.calls('/sendMessage')).toEqual([]);
});

test('a stop during the run reaches the node: the run ends cancelled once the node has settled, with the later items not sent', async () => {
	suite.sandbox.configure({ latencyMs: 200 });
	const stop = new AbortController();
	const channelId = suite.sandbox.ids.general;
	const running = runPumbleNode({
		parameters: send('={{ $json.text }}'),
		items: ['one', 'two', 'three', 'four'].map((text) => ({ channelId, text })),
		credentials: suite.credentials(),
		cancelSignal: stop.signal,
	});
	// Stop as soon as the first send has reached the sandbox (same channel: the sends go one after another).
	while (!suite.sandbox.log.some((entry) => entry.path === '/sendMessage')) await new Promise((resolve) => setImmediate(resolve));
	stop.abort();
	const result = await running;
	expect(result.run?.status).toBe('canceled');
	const sent = suite.sandbox.state.messages.filter((m) => m.channelId === channelId && ['one', 'two', 'three', 'four'].includes(m.text));
	expect(sent.length).toBeLessThan(4);
});

test('the Pumble node must pair every item itself; a node of another package is left to n8n', async () => {
	const pumble = new Pumble();
	const unpaired: INodeType = Object.assign(Object.create(pumble) as INodeType, {
		async execute() {
			return [[{ json: { made: 'up' } }]];
		},
	});
	const result = await runPumbleNode({ node: unpaired, parameters: send('x'), items: [{ channelId: suite.sandbox.ids.general }], credentials: suite.credentials() });
	expect(result.error?.message).toMatch(/without pairedItem/);
	// n8n itself fills the pairing in, as it would for any node.
	expect(result.output[0].pairedItem).toEqual({ item: 0 });
});
