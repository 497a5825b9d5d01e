/**
 * n8n's Stop button and "Retry On Fail", through n8n-core's WorkflowExecute (test/helpers/runNode.ts)
 * against the sandbox, in the default error setting.
 *
 * Cancellation: each test parks the execution in one wait that would otherwise last long (a limiter queue
 * a minute long, a 60 s Retry-After, a long backoff, the reconciliation's pause, an answer held 30 s),
 * stops it there, and checks that the run settles and that no request reached the sandbox after the stop.
 * A wait that ignored the stop would keep the run pending past the test's timeout.
 */
import { NodeApiError, type IDataObject } from 'n8n-workflow';

import { processState, resetProcessState } from '../../core';
import { Input } from '../../sandbox/validation';
import { runNode, type RunNodeOptions } from '../helpers/runNode';
import { byId, sandboxSuite, type LogEntry } from '../helpers/sandboxSuite';

const suite = sandboxSuite('cancel-retry');

beforeEach(async () => {
	// Every test starts with fresh limiters (one test sets a budget of 5 a minute) and the sandbox's defaults.
	await resetProcessState();
	suite.sandbox.configure({ rateLimit: { limit: 1000, windowMs: 60_000 }, latencyMs: 0 });
});

const send = { resource: 'message', operation: 'send', sendTo: 'channel', channel: byId('={{ $json.channelId }}'), text: '={{ $json.text }}' };
const getChannel = { resource: 'channel', operation: 'get', channel: byId('={{ $json.channelId }}') };

function channels(count: number, owner: 'ada' | 'bob' = 'ada', type: 'PUBLIC' | 'PRIVATE' = 'PUBLIC'): string[] {
	const actor = suite.sandbox.state.userById(suite.sandbox.ids[owner])!;
	return Array.from({ length: count }, (_, c) => suite.sandbox.state.createChannel(actor, Input.fromBody({ name: `c-${owner}-${type}-${c}`, type })).id);
}

function itemsOver(channelIds: string[], count: number): IDataObject[] {
	return Array.from({ length: count }, (_, i) => ({ channelId: channelIds[i % channelIds.length], text: `item ${i}` }));
}

/** Resolves when the sandbox log holds an entry matching `predicate` (checked as requests arrive). */
function whenLogged(predicate: (entry: LogEntry) => boolean): Promise<LogEntry> {
	return new Promise((resolve) => {
		const timer = setInterval(() => {
			const found = suite.sandbox.log.find(predicate);
			if (found) {
				clearInterval(timer);
				resolve(found);
			}
		}, 2);
	});
}

/**
 * Starts the node, stops the execution once `stopWhen` is logged, and returns the settled run with the log
 * entries that arrived after the stop.
 */
async function runAndStop(options: Omit<RunNodeOptions, 'credentials' | 'cancelSignal'> & { credentials?: Partial<RunNodeOptions['credentials']> }, stopWhen: (entry: LogEntry) => boolean) {
	const controller = new AbortController();
	const running = runNode({
		...options,
		credentials: { apiKey: suite.apiKey, baseUrl: suite.sandbox.url, ...options.credentials },
		cancelSignal: controller.signal,
	});
	await whenLogged(stopWhen);
	const seenAtStop = suite.sandbox.log.length;
	controller.abort();
	const result = await running; // settles: nothing keeps waiting after the stop
	// Any request already on the wire when the stop came was logged by now; nothing may arrive later.
	await new Promise((resolve) => setTimeout(resolve, 200));
	return { result, after: suite.sandbox.log.slice(seenAtStop) };
}

describe('Stop: every wait ends, and nothing is sent after it', () => {
	it('items queued in the rate limiter (a budget of 5 a minute) never leave', async () => {
		const channelIds = channels(5);
		const { result, after } = await runAndStop(
			{ parameters: send, items: itemsOver(channelIds, 20), credentials: { requestsPerMinute: 5 } },
			// The whole budget is spent (the key's /myInfo counts too): every further item waits in the queue.
			() => suite.sandbox.log.filter((e) => e.status === 200).length === 5,
		);
		expect(after).toEqual([]);
		expect(suite.sandbox.log.filter((e) => e.status === 200)).toHaveLength(5);
		expect(result.output).toEqual([]);
	});

	it("a 60 s Retry-After pause ends at the stop", async () => {
		const [channelId] = channels(1);
		suite.sandbox.configure({ rateLimit: { limit: 2, windowMs: 60_000 } });
		const { after } = await runAndStop({ parameters: send, items: itemsOver([channelId], 5) }, (e) => e.status === 429);
		expect(after).toEqual([]);
		expect(suite.sandbox.state.messages.filter((m) => m.channelId === channelId)).toHaveLength(1);
	});

	it('a backoff between retries of a failing read ends at the stop', async () => {
		const [channelId] = channels(1);
		for (let n = 0; n < 6; n++) suite.sandbox.queueFault('503', { path: '/getChannel' });
		// After the 4th 503 the client backs off 4–8 s (then 8–16 s): stop during that wait.
		const { after } = await runAndStop(
			{ parameters: getChannel, items: [{ channelId }] },
			() => suite.calls('/getChannel').filter((e) => e.status === 503).length === 4,
		);
		expect(after).toEqual([]);
	});

	it("the reconciliation's pause after a send with an unknown outcome ends at the stop: no look, no resend", async () => {
		const [channelId] = channels(1);
		suite.sandbox.queueFault('reset-after', { path: '/sendMessage' });
		const { after } = await runAndStop({ parameters: send, items: itemsOver([channelId], 1) }, (e) => e.path === '/sendMessage' && e.status === 0);
		expect(after).toEqual([]);
		expect(suite.calls('/sendMessage')).toHaveLength(1);
	});

	it('a send cancelled in flight is reported as outcome unknown, not resent', async () => {
		const [channelId] = channels(1);
		suite.sandbox.queueFault('slow', { path: '/sendMessage' }); // processed, answer held 30 s
		const { result, after } = await runAndStop({ parameters: send, items: itemsOver([channelId], 3) }, (e) => e.path === '/sendMessage');
		expect(after).toEqual([]);
		expect(suite.calls('/sendMessage')).toHaveLength(1);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect((result.error as NodeApiError).context.itemIndex).toBe(0);
		expect(JSON.stringify((result.error as NodeApiError).errorResponse)).toMatch(/"outcome":"unknown"/);
	});
});

describe('Retry On Fail', () => {
	it('after a refusal mid-batch, the retry sends only what was not sent: every message once in all', async () => {
		suite.sandbox.configure({ latencyMs: 10 });
		const channelIds = channels(10);
		const [privateChannel] = channels(1, 'bob', 'PRIVATE');
		const items = itemsOver(channelIds, 100);
		items[40] = { ...items[40], channelId: privateChannel };
		// Ada is not a member of Bob's private channel: Pumble refuses item 40. Once it did, Bob adds her,
		// during n8n's wait between tries.
		void whenLogged((e) => e.path === '/sendMessage' && e.status >= 400).then(() => {
			const bob = suite.sandbox.state.userById(suite.sandbox.ids.bob)!;
			suite.sandbox.state.addUsersToChannel(bob, Input.fromBody({ channelId: privateChannel, userIds: [suite.sandbox.ids.ada] }));
		});

		const result = await runNode({
			parameters: send,
			items,
			credentials: { apiKey: suite.apiKey, baseUrl: suite.sandbox.url },
			settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 1000 },
		});

		expect(result.error).toBeUndefined();
		expect(result.tries).toBe(2);
		const texts = suite.sandbox.state.messages.map((m) => m.text).filter((text) => /^item \d+$/.test(text ?? ''));
		expect([...texts].sort()).toEqual(items.map((item) => item.text).sort());
		expect(result.output.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		// The output of the retry carries each message's own ID, whichever try sent it.
		const idByText = new Map(suite.sandbox.state.messages.map((m) => [m.text, m.id]));
		expect(result.output.map((item) => item.json.id)).toEqual(items.map((item) => idByText.get(item.text as string)));
		// The retry succeeded: nothing will retry it again, so the first try's record is gone.
		expect(processState.counts().caches.retryMemory ?? 0).toBe(0);
	});
});
