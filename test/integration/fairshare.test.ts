/**
 * Two executions of one Pumble user through the node's own execute() (n8n-core's WorkflowExecute against
 * the sandbox, default settings but a small budget): a bulk send that wants the whole window, and an alert
 * that starts while it waits. The alert is served from the reserve the bulk leaves, before any of the
 * bulk's units comes back (they would in a minute); first-come-first-served would hold it for that minute.
 * Counts, not times, are asserted.
 */
import { resetProcessState } from '../../core';
import { Input } from '../../sandbox/validation';
import { runNode } from '../helpers/runNode';
import { byId, sandboxSuite } from '../helpers/sandboxSuite';

const suite = sandboxSuite('fairshare');

beforeEach(async () => {
	await resetProcessState();
	suite.sandbox.configure({ rateLimit: { limit: 1000, windowMs: 60_000 }, latencyMs: 0 });
});

const send = { resource: 'message', operation: 'send', sendTo: 'channel', channel: byId('={{ $json.channelId }}'), text: '={{ $json.text }}' };

function channel(name: string): string {
	const ada = suite.sandbox.state.userById(suite.sandbox.ids.ada)!;
	return suite.sandbox.state.createChannel(ada, Input.fromBody({ name: `${name}-${Date.now()}`, type: 'PUBLIC' })).id;
}

const sent = (prefix: string) => suite.sandbox.log.filter((e) => e.path.endsWith('/sendMessage') && String((e.body as { text?: string }).text).startsWith(prefix)).length;

async function until(predicate: () => boolean): Promise<void> {
	while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
}

it('serves a second workflow’s alert while the first workflow’s bulk send waits for the window', async () => {
	// 40 a minute, a quarter kept for others: the bulk (after the key's /myInfo) stops at 40 − 1 − 10.
	const credentials = { apiKey: suite.apiKey, baseUrl: suite.sandbox.url, requestsPerMinute: 40, reservePercent: 25 };
	const bulkChannels = Array.from({ length: 5 }, (_, c) => channel(`bulk-${c}`));
	const stop = new AbortController();
	const bulk = runNode({
		parameters: send,
		items: Array.from({ length: 100 }, (_, i) => ({ channelId: bulkChannels[i % 5], text: `bulk ${i}` })),
		credentials,
		cancelSignal: stop.signal,
	});
	await until(() => sent('bulk') === 29);
	const alert = await runNode({ parameters: send, items: [{ channelId: channel('alerts'), text: 'alert 0' }], credentials });
	expect(alert.error).toBeUndefined();
	expect(alert.output).toHaveLength(1);
	// Served before any of the bulk's units came back: the bulk still has its 29 out, and the window its 31.
	expect(sent('bulk')).toBe(29);
	expect(sent('alert')).toBe(1);
	stop.abort();
	const stopped = await bulk;
	expect(stopped.error).toBeDefined(); // cancelled while waiting for the window
	expect(sent('bulk')).toBe(29); // and nothing of it left after the stop
});
