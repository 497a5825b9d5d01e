/**
 * An item an earlier execution left pending (its write started, no answer came: the execution failed or
 * crashed mid-request), run again inside `withEarlierAttempt` (core/reconcile/earlier.ts), against the
 * sandbox over HTTP: a send is looked for first and not sent again when it is there; sent once when it is
 * not; any other write is not made again (its outcome stays unknown).
 */
import { PumbleApi, PumbleApiError, PumbleClient, createAxiosTransport, identityOf, withEarlierAttempt } from '../../core/withAxios';
import { Input } from '../../sandbox/validation';
import { sandboxSuite } from '../helpers/sandboxSuite';

const suite = sandboxSuite('earlier-attempt');
const api = () => new PumbleApi(new PumbleClient({ transport: createAxiosTransport({ baseUrl: suite.sandbox.url, apiKey: suite.apiKey }), identity: identityOf(suite.apiKey) }));
const sends = () => suite.calls('/sendMessage');

test('the earlier attempt had posted it: found, returned alreadySent, not sent again', async () => {
	const channel = { id: suite.sandbox.ids.general };
	const startedAt = Date.now();
	// the earlier attempt: Pumble stored it, its answer never reached the node
	const earlier = suite.sandbox.state.sendMessage(suite.sandbox.state.userById(suite.sandbox.ids.ada)!, Input.fromBody({ channelId: channel.id, text: 'pending once' }));
	const before = sends().length;
	const again = await withEarlierAttempt(startedAt, () => api().sendMessage({ channel, text: 'pending once' }));
	expect(again).toMatchObject({ id: earlier.id, alreadySent: true, reconciled: true });
	expect(sends().length).toBe(before);
	expect(suite.sandbox.state.messages.filter((m) => m.text === 'pending once')).toHaveLength(1);
});

test('the earlier attempt had not posted it: sent once', async () => {
	const channel = { id: suite.sandbox.ids.general };
	const receipt = await withEarlierAttempt(Date.now() - 5_000, () => api().sendMessage({ channel, text: 'pending never arrived' }));
	expect(receipt.alreadySent).toBeUndefined();
	expect(suite.sandbox.state.messages.filter((m) => m.text === 'pending never arrived').map((m) => m.id)).toEqual([receipt.id]);
});

test('another write left pending is not made again: its outcome stays unknown, no request', async () => {
	const before = suite.calls('/addReaction').length;
	const error = await withEarlierAttempt(Date.now() - 5_000, () =>
		api().addReaction({ channel: { id: suite.sandbox.ids.random }, messageId: suite.sandbox.ids.randomThreadRoot, emoji: '👍' }),
	).catch((caught: unknown) => caught);
	expect(error).toBeInstanceOf(PumbleApiError);
	expect((error as PumbleApiError).outcome).toBe('unknown');
	expect((error as PumbleApiError).message).toMatch(/earlier attempt/);
	expect(suite.calls('/addReaction').length).toBe(before);
});
