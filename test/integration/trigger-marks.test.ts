/**
 * The Pumble Trigger's Reaction Added and Message Edited events with n8n-core's real PollContext, over
 * HTTP, against the sandbox: other users react and edit through the Pumble node with their own keys, and
 * the trigger emits each reaction and each edit once — across polls, a restart, and a host that
 * deduplicates by key.
 */
import { rl } from '../helpers/allOperations';
import { runNode } from '../helpers/runNode';
import { triggerSuite } from '../helpers/triggerSuite';

const suite = triggerSuite();
const { tick, credentials, lastSeq } = suite;
const trigger = (event: 'reactionAdded' | 'messageEdited', parameters: Record<string, unknown> = {}, features = {}) =>
	suite.trigger({ event, ...parameters }, features);
const requests = (since = 0) => suite.requests(since).filter((e) => e.path !== '/myInfo');

/** One Pumble node run as Bob or Carol (their own API keys): a reaction, its removal, an edit. */
async function as(user: 'bob' | 'carol', parameters: Record<string, unknown>): Promise<void> {
	const result = await runNode({ parameters: parameters as never, credentials: { apiKey: suite.sandbox.keys[user], baseUrl: suite.sandbox.url } });
	expect(result.error).toBeUndefined();
}
const react = (user: 'bob' | 'carol', channel: string, messageId: string, emoji: string) =>
	as(user, { resource: 'reaction', operation: 'add', channel: rl(channel), messageId, emoji });
const unreact = (user: 'bob' | 'carol', channel: string, messageId: string, emoji: string) =>
	as(user, { resource: 'reaction', operation: 'remove', channel: rl(channel), messageId, emoji });
const edit = (user: 'bob' | 'carol', channel: string, messageId: string, text: string) =>
	as(user, { resource: 'message', operation: 'update', channel: rl(channel), messageId, text });

describe('Reaction Added', () => {
	it('emits each reaction once with who reacted and the message; a quiet poll is one listMessages of 100 per channel', async () => {
		const { general, random } = suite.sandbox.ids;
		const m = suite.sandbox.postAs(suite.sandbox.ids.bob, general, 'ship it?');
		const t = trigger('reactionAdded', { channels: [general, random] });
		expect((await t.poll()).error).toBeUndefined();
		tick(60_000);
		await react('carol', general, m.id, '👍');
		await react('bob', general, m.id, ':eyes:');
		const first = await t.poll();
		expect(first.items).toEqual([
			expect.objectContaining({ reaction: ':+1:', user: suite.sandbox.ids.carol, messageId: m.id, channelId: general, message: expect.objectContaining({ text: 'ship it?' }) }),
			expect.objectContaining({ reaction: ':eyes:', user: suite.sandbox.ids.bob, messageId: m.id }),
		]);
		const since = lastSeq();
		expect((await t.poll()).items).toEqual([]);
		expect(requests(since).map((e) => [e.path, e.query.channelId, e.query.limit])).toEqual([
			['/listMessages', general, '100'],
			['/listMessages', random, '100'],
		]);
	});

	it('across a restart, nothing twice and nothing lost; removed and added back after a poll saw it gone: once more, under a new deduplication key', async () => {
		const { general } = suite.sandbox.ids;
		const m = suite.sandbox.postAs(suite.sandbox.ids.bob, general, 'vote');
		const t = trigger('reactionAdded', { channels: [general], options: { reactions: ':+1:' } }, { emitTakesKey: true });
		await t.poll();
		await react('carol', general, m.id, '+1');
		await react('carol', general, m.id, 'tada'); // not a chosen emoji
		expect((await t.poll()).items.map((i) => i.reaction)).toEqual([':+1:']);
		t.restart();
		await react('bob', general, m.id, '+1');
		expect((await t.poll()).items.map((i) => i.user)).toEqual([suite.sandbox.ids.bob]);
		await unreact('carol', general, m.id, '+1');
		expect((await t.poll()).items).toEqual([]);
		await react('carol', general, m.id, '+1');
		expect((await t.poll()).items.map((i) => i.user)).toEqual([suite.sandbox.ids.carol]);
		expect(t.emitted.map((i) => i.user)).toEqual([suite.sandbox.ids.carol, suite.sandbox.ids.bob, suite.sandbox.ids.carol]);
		expect(new Set(t.keys).size).toBe(3);
	});

	it("a manual run shows the newest message's last reaction and saves nothing", async () => {
		const { general } = suite.sandbox.ids;
		const m = suite.sandbox.postAs(suite.sandbox.ids.bob, general, 'sample me');
		await react('carol', general, m.id, 'rocket');
		const manual = await trigger('reactionAdded', { channels: [general] }).manual();
		expect(manual.error).toBeUndefined();
		expect(manual.items).toEqual([expect.objectContaining({ reaction: ':rocket:', user: suite.sandbox.ids.carol, messageId: m.id })]);
		expect(manual.result.staticData).toEqual({});
	});

	it('an emoji filter entry that is not an emoji fails the activation, naming it', async () => {
		const t = trigger('reactionAdded', { channels: [suite.sandbox.ids.general], options: { reactions: '👍, no such thing' } });
		const activation = await t.poll();
		expect(activation.error?.name).toBe('NodeOperationError');
		expect(activation.error?.message).toMatch(/"no such thing" is not an emoji/);
		expect(t.saved).toEqual({});
	});
});

describe('Message Edited', () => {
	it('emits the message as edited, once per edit, oldest message first; my own edits are left out', async () => {
		const { general } = suite.sandbox.ids;
		const a = suite.sandbox.postAs(suite.sandbox.ids.bob, general, 'a draft');
		tick();
		const b = suite.sandbox.postAs(suite.sandbox.ids.carol, general, 'b draft');
		const mine = suite.sandbox.postAs(suite.sandbox.ids.ada, general, 'my draft');
		const t = trigger('messageEdited', { channels: [general] });
		await t.poll();
		tick(60_000);
		await edit('carol', general, b.id, 'b final');
		await edit('bob', general, a.id, 'a final');
		await runNode({
			parameters: { resource: 'message', operation: 'update', channel: rl(general), messageId: mine.id, text: 'my final' } as never,
			credentials: credentials(),
		});
		const first = await t.poll();
		expect(first.items.map((i) => [i.id, i.text, i.edited])).toEqual([
			[a.id, 'a final', true],
			[b.id, 'b final', true],
		]);
		expect((await t.poll()).items).toEqual([]);
		await edit('bob', general, a.id, 'a final, v2');
		expect((await t.poll()).items.map((i) => i.text)).toEqual(['a final, v2']);
	});
});
