/**
 * What n8n's "Retry On Fail" needs, and no more: the node remembers the writes of an attempt only while a
 * retry may come (actions/retryMemory.ts). Through n8n-core's WorkflowExecute against the sandbox, the
 * process state holds no record once an attempt succeeded (default error setting), never one with
 * Continue On Fail (the node does not fail, so n8n never retries it), and one after a failed attempt.
 */
import type { IDataObject } from 'n8n-workflow';

import { processState, resetProcessState } from '../../core';
import { Input } from '../../sandbox/validation';
import { byId, sandboxSuite } from '../helpers/sandboxSuite';

const suite = sandboxSuite('retry-memory');

beforeEach(() => resetProcessState());
afterAll(() => resetProcessState());

const send = { resource: 'message', operation: 'send', sendTo: 'channel', channel: byId('={{ $json.channelId }}'), text: '={{ $json.text }}' };

/** Attempts whose writes are remembered. */
const remembered = () => processState.counts().caches.retryMemory ?? 0;

function channel(owner: 'ada' | 'bob', type: 'PUBLIC' | 'PRIVATE'): string {
	const actor = suite.sandbox.state.userById(suite.sandbox.ids[owner])!;
	return suite.sandbox.state.createChannel(actor, Input.fromBody({ name: `memory-${owner}-${type}`, type })).id;
}

/** 20 items to one of Ada's channels; item 10 to Bob's private channel (Pumble refuses it) when `refused`. */
function items(refused: boolean): IDataObject[] {
	const open = channel('ada', 'PUBLIC');
	const closed = refused ? channel('bob', 'PRIVATE') : open;
	return Array.from({ length: 20 }, (_, i) => ({ channelId: i === 10 ? closed : open, text: `item ${i}` }));
}

it('a successful attempt in the default error setting leaves no record', async () => {
	const result = await suite.run(send, { items: items(false) });
	expect(result.error).toBeUndefined();
	expect(result.output).toHaveLength(20);
	expect(remembered()).toBe(0);
});

it('with Continue On Fail nothing is remembered, even when an item fails', async () => {
	const result = await suite.run(send, { items: items(true), continueOnFail: true });
	expect(result.error).toBeUndefined();
	expect(result.output.filter((item) => item.json.error)).toHaveLength(1);
	expect(remembered()).toBe(0);
});

it('a failed attempt keeps its record for a retry', async () => {
	const result = await suite.run(send, { items: items(true) });
	expect(result.error).toBeDefined();
	expect(remembered()).toBe(1);
});
