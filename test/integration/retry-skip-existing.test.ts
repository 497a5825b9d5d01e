/**
 * "On Retry: Skip Messages Already in the Channel": in n8n's Retry (`mode: retry`) with no receipts to go
 * by, each item first looks in its conversation for a message of the key's user with the same text; found
 * ones are returned with `alreadySent: true`, the rest sent. Outside a retry the option sends as usual.
 */
import { byId, sandboxSuite } from '../helpers/sandboxSuite';

const suite = sandboxSuite('retry-skip-existing');

const send = (skip: boolean) => ({
	resource: 'message',
	operation: 'send',
	sendTo: 'channel',
	channel: byId('={{ $json.channelId }}'),
	text: '={{ $json.text }}',
	options: { skipExistingOnRetry: skip },
});
const texts = (channelId: string) => suite.sandbox.state.messages.filter((m) => m.channelId === channelId).map((m) => m.text);

test('a retry with the option skips the items already in the channel (identical ones claimed one each) and sends the rest', async () => {
	const channelId = suite.sandbox.ids.general;
	const before = texts(channelId).length;
	const first = Array.from({ length: 6 }, (_, i) => ({ channelId, text: i < 4 ? `skip ${i}` : 'skip same' }));
	expect((await suite.run(send(true), { items: first })).error).toBeUndefined(); // a normal run: the option does nothing
	expect(texts(channelId).length - before).toBe(6);

	const all = [...first, { channelId, text: 'skip same' }, { channelId, text: 'skip new' }];
	const retry = await suite.run(send(true), { items: all, mode: 'retry' });
	expect(retry.error).toBeUndefined();
	expect(retry.output.map((item) => item.json.alreadySent === true)).toEqual([true, true, true, true, true, true, false, false]);
	const added = texts(channelId).slice(before);
	expect(added.filter((text) => text === 'skip same')).toHaveLength(3);
	expect(added.filter((text) => text === 'skip new')).toHaveLength(1);
	expect(added).toHaveLength(8);
	const ids = retry.output.map((item) => item.json.id);
	expect(new Set(ids).size).toBe(ids.length);
});

test('without the option a retry with no receipts sends every item', async () => {
	const channelId = suite.sandbox.ids.random;
	const before = texts(channelId).length;
	const items = [{ channelId, text: 'again 1' }];
	await suite.run(send(false), { items });
	const retry = await suite.run(send(false), { items, mode: 'retry' });
	expect(retry.output[0].json.alreadySent).toBeUndefined();
	expect(texts(channelId).length - before).toBe(2);
});
