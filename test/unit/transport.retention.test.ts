/**
 * The process-wide rate limiter outlives every execution: what getPumbleApi hands it (n8n's logger) must
 * not keep the execution's context alive, with all of its items and parameters. A closure made inside
 * getPumbleApi did: the 10,000-item load benchmark kept a whole execution after it ended.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { IExecuteFunctions } from 'n8n-workflow';

import { resetProcessState } from '../../core';
import { getPumbleApi } from '../../nodes/Pumble/transport';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Just enough of n8n's execute context for getPumbleApi, holding a large payload like an execution's items. */
function fakeContext() {
	const log = () => undefined;
	return {
		items: Array.from({ length: 1_000 }, (_, i) => ({ json: { text: `item ${i}` } })),
		logger: { error: log, warn: log, info: log, debug: log },
		getCredentials: async () => ({ apiKey: 'retention-test-key', baseUrl: 'http://127.0.0.1:9' }),
		getExecutionCancelSignal: () => new AbortController().signal,
		helpers: {},
	} as unknown as IExecuteFunctions;
}

/** A WeakRef to a context that was given to getPumbleApi, whose API was then dropped. */
async function usedContext(): Promise<WeakRef<object>> {
	const context = fakeContext();
	const api = await getPumbleApi(context);
	expect(api.client.identity).toMatch(/^[0-9a-f]{32}$/);
	return new WeakRef(context);
}

afterAll(() => resetProcessState());

it("the limiter keeps n8n's logger, not the execution's context", async () => {
	const context = await usedContext();
	// A WeakRef's target stays alive until the current job ends: collect after a turn of the event loop.
	await new Promise((resolve) => setImmediate(resolve));
	gc();
	expect(context.deref()).toBeUndefined();
});
