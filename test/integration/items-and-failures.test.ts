/**
 * Several items of the Pumble node with failures on the way, and the channel list behind "From List", run
 * through n8n-core's WorkflowExecute (test/helpers/runNode) against the Pumble sandbox over real HTTP: the
 * output items, what the sandbox received, and the sandbox's state afterwards; bad input, errors, "Continue On
 * Fail", ordering, paging and secrets.
 *
 * Every test uses its own API key for Ada (an extra sandbox key), so the node's per-key caches (channel
 * list, key → user) start empty. A fresh key's first request is preceded by one GET /myInfo: the rate
 * limiter learning whose budget the key spends. `calls()` leaves those out.
 */
import { NodeApiError, NodeOperationError, type INodeParameters } from 'n8n-workflow';

import { runListSearch, runNode } from '../helpers/runNode';
import { byId, jsonOf, sandboxSuite, type Sandbox } from '../helpers/sandboxSuite';
import { nodeAssertions } from '../helpers/nodeAssertions';

const HEX24 = /^[0-9a-f]{24}$/;

const suite = sandboxSuite('pumble-it-secret');
const { calls, credentials, run } = suite;
const { expectNoSecret, expectOk, expectEveryItemPaired, expectAuthenticatedAsAda } = nodeAssertions(suite);
let sandbox: Sandbox;
let apiKey: string;
beforeEach(() => {
	({ sandbox, apiKey } = suite);
});

const messagesIn = (channelId: string) => sandbox.state.messages.filter((m) => m.channelId === channelId);

// ------------------------------------------------------------------------------------------------ several items, failures

describe('several items and failures on the way', () => {
	const create = (name: string): INodeParameters => ({ resource: 'channel', operation: 'create', name }) as INodeParameters;
	const send = (text: string): INodeParameters =>
		({ resource: 'message', operation: 'send', channel: byId(sandbox.ids.general), text }) as INodeParameters;

	test('channel create over several items, one failing, with "Continue On Fail": the others are created', async () => {
		const result = await run(create('={{ $json.name }}'), {
			items: [{ name: 'alpha' }, { name: 'bad/name' }, { name: 'gamma' }],
			continueOnFail: true,
		});
		expectOk(result);
		expectEveryItemPaired(result, (index) => index);
		expect(jsonOf(result).map((json) => json.name ?? json.error)).toEqual(['alpha', expect.stringMatching(/not a valid channel name \[item 1\]/), 'gamma']);
		expect(sandbox.state.channels.map((c) => c.name)).toEqual(expect.arrayContaining(['alpha', 'gamma']));
	});

	/**
	 * n8n's convention without "Continue On Fail": the node stops at the failing item, so the items after it
	 * do nothing (the run shows only the error) — and re-running the workflow does not create them twice.
	 */
	test('channel create without "Continue On Fail": nothing after the failing item is created', async () => {
		const result = await run(create('={{ $json.name }}'), { items: [{ name: 'alpha' }, { name: 'bad/name' }, { name: 'gamma' }] });
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(sandbox.state.channels.map((c) => c.name)).not.toContain('gamma');
	});

	test('429 with Retry-After: the send waits, is retried, and the message is posted exactly once', async () => {
		// Carol, whose rate limiter (one per Pumble user, process-wide) has seen no traffic from the other tests:
		// after a 429 it sizes the operation to what the user's window already holds.
		const carolKey = `${apiKey}-carol`;
		sandbox.configure({ extraKeys: { [carolKey]: 'carol' } });
		sandbox.queueFault('429', { path: '/sendMessage' });
		const result = await runNode({ parameters: send('After the rate limit'), credentials: { apiKey: carolKey, baseUrl: sandbox.url } });
		expectOk(result);
		expectNoSecret(result, carolKey);
		const sends = calls().filter((entry) => entry.path === '/sendMessage');
		expect(sends.map((entry) => entry.status)).toEqual([429, 200]);
		expect(sends[1].ts - sends[0].ts).toBeGreaterThanOrEqual(900);
		expect(messagesIn(sandbox.ids.general).filter((m) => m.text === 'After the rate limit')).toHaveLength(1);
	});

	test('a 502 HTML page on a read is retried; the list still arrives', async () => {
		sandbox.queueFault('html-error', { path: '/listChannels' });
		const result = await run({ resource: 'channel', operation: 'getAll', returnAll: true } as INodeParameters);
		expectOk(result);
		expect(result.output.length).toBeGreaterThan(0);
		expect(calls().map((entry) => entry.status)).toEqual([502, 200]);
	});

	test('a 502 HTML page on a send: the node looks in the channel, finds nothing, sends once more', async () => {
		sandbox.queueFault('html-error', { path: '/sendMessage' });
		const result = await run(send('Not posted the first time'));
		expectOk(result);
		expect(jsonOf(result)).toEqual([{ id: expect.stringMatching(HEX24), channelId: sandbox.ids.general, attempts: 2 }]);
		// A first look, then — nothing found — a second once the landing time has passed, then the resend.
		expect(calls().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
			'POST /sendMessage 502',
			'GET /listMessages 200',
			'GET /listMessages 200',
			'POST /sendMessage 200',
		]);
		expect(messagesIn(sandbox.ids.general).filter((m) => m.text === 'Not posted the first time')).toHaveLength(1);
	});

	test('the connection drops after Pumble posted: the node finds the message instead of posting it twice', async () => {
		sandbox.queueFault('reset-after', { path: '/sendMessage' });
		const result = await run(send('Posted, answer lost'));
		expectOk(result);
		const posted = messagesIn(sandbox.ids.general).filter((m) => m.text === 'Posted, answer lost');
		expect(posted).toHaveLength(1);
		expect(jsonOf(result)).toEqual([{ id: posted[0].id, channelId: sandbox.ids.general, reconciled: true }]);
		expect(calls().filter((entry) => entry.path === '/sendMessage')).toHaveLength(1);
	});

	test('a write that is not reconciled (channel create) whose answer is lost: NodeApiError, not sent again', async () => {
		sandbox.queueFault('reset-after', { path: '/createChannel' });
		const result = await run(create('lost-answer'));
		expect(result.error).toBeInstanceOf(NodeApiError);
		const error = result.error as NodeApiError;
		expect(error.context.itemIndex).toBe(0);
		expect(error.description).toMatch(/may or may not have been carried out by Pumble\. Check in Pumble before running it again/);
		expectNoSecret(result);
		expect(calls().filter((entry) => entry.path === '/createChannel')).toHaveLength(1);
		expect(sandbox.state.channels.filter((c) => c.name === 'lost-answer')).toHaveLength(1);
	});

	/**
	 * n8n's NodeApiError replaces any message containing a common network code (ECONNRESET, ECONNREFUSED,
	 * ETIMEDOUT, ...) with its generic "You can retry the request immediately", which would lose the
	 * operation and item and advise the very retry the description warns against (the channel was created).
	 */
	test('… and its message keeps the operation and item instead of n8n\'s "retry immediately"', async () => {
		sandbox.queueFault('reset-after', { path: '/createChannel' });
		const result = await run(create('lost-answer'));
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.message).toMatch(/createChannel failed.*\[item 0\]/);
		expect(result.error?.message).not.toMatch(/retry the request immediately/);
	});
});

// ------------------------------------------------------------------------------------------------ the harness itself

describe('the channel list behind "From List" (listSearch through n8n-core\'s LoadOptionsContext)', () => {
	test('labels and filter', async () => {
		const all = await runListSearch({ method: 'searchChannels', credentials: credentials() });
		expect(all.results.map((entry) => entry.name)).toEqual(expect.arrayContaining(['#general', '#random', '🔒 leadership', 'Notes to self']));
		const filtered = await runListSearch({ method: 'searchChannels', filter: 'gen', credentials: credentials() });
		expect(filtered.results).toEqual([{ name: '#general', value: sandbox.ids.general }]);
		expectAuthenticatedAsAda(sandbox.log);
	});
});
