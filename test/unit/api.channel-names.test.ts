/**
 * One rule for a channel given by name, in every operation: looked up in the cached channel list; on a miss
 * the list is read afresh once (unless it was just read); still unknown → a PumbleInputError before any
 * write. The request then names the channel by ID.
 */
import { PumbleApi, PumbleInputError, type PumbleClient } from '../../core';
import { resetProcessState } from '../../core/processState';
import type { ChannelEntry } from '../../core/types';

const GENERAL = '665000000000000000000001';
const FRESH = '665000000000000000000002';
const MSG = '665000000000000000000099';

function fake(channels: ChannelEntry[]) {
	const calls: Array<{ name: string; input: unknown }> = [];
	const client = {
		identity: `names-${Math.random()}`,
		async call<T>(endpoint: { name: string }, input: unknown = {}): Promise<T> {
			calls.push({ name: endpoint.name, input });
			if (endpoint.name === 'listChannels') return channels.map((entry) => ({ ...entry })) as T;
			return { id: MSG, channelId: GENERAL, status: 'ok' } as T;
		},
	};
	return { api: new PumbleApi(client as unknown as PumbleClient), calls, channels };
}

const entry = (id: string, name: string): ChannelEntry => ({ channel: { id, name, channelType: 'PUBLIC' }, users: [] });

afterEach(() => resetProcessState());

describe('a channel given by name', () => {
	it('is resolved through the channel list and sent by ID (any case, with or without #)', async () => {
		const { api, calls } = fake([entry(GENERAL, 'general')]);
		await api.sendMessage({ channel: { name: '#General' }, text: 'hi' });
		expect(calls.map((c) => c.name)).toEqual(['listChannels', 'sendMessage']);
		expect(calls[1].input).toEqual({ body: { channelId: GENERAL, text: 'hi' }, dispatched: expect.any(Function) });
	});

	it('the cached list serves the next operations (one list read for several)', async () => {
		const { api, calls } = fake([entry(GENERAL, 'general')]);
		await api.addReaction({ channel: { name: 'general' }, messageId: MSG, emoji: '+1' });
		await api.fetchMessage({ channel: { name: 'general' }, messageId: MSG });
		await api.deleteMessage({ channel: { name: 'general' }, messageId: MSG });
		expect(calls.map((c) => c.name)).toEqual(['listChannels', 'addReaction', 'fetchMessage', 'deleteMessage']);
	});

	it('a miss in a cached list reads the list afresh once (the channel may be newer)', async () => {
		const { api, calls, channels } = fake([entry(GENERAL, 'general')]);
		await api.getChannel({ name: 'general' });
		channels.push(entry(FRESH, 'brand-new'));
		await api.getChannel({ name: 'brand-new' });
		expect(calls.map((c) => c.name)).toEqual(['listChannels', 'getChannel', 'listChannels', 'getChannel']);
		expect(calls[3].input).toEqual({ query: { channelId: FRESH } });
	});

	it('unknown: a PumbleInputError naming it, after list reads only — nothing is written', async () => {
		const { api, calls } = fake([entry(GENERAL, 'general')]);
		const error = await api.sendMessage({ channel: { name: 'nowhere' }, text: 'x' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PumbleInputError);
		expect((error as PumbleInputError).message).toMatch(/No channel named "nowhere"/);
		// The list had just been read for this lookup: no second read.
		expect(calls.map((c) => c.name)).toEqual(['listChannels']);
	});

	it.each([
		['sendReply', (api: PumbleApi) => api.sendReply({ channel: { name: 'nowhere' }, messageId: MSG, text: 'x' })],
		['editMessage', (api: PumbleApi) => api.editMessage({ channel: { name: 'nowhere' }, messageId: MSG, text: 'x' })],
		['removeReaction', (api: PumbleApi) => api.removeReaction({ channel: { name: 'nowhere' }, messageId: MSG, emoji: '+1' })],
		['createScheduledMessage', (api: PumbleApi) => api.createScheduledMessage({ channel: { name: 'nowhere' }, text: 'x', sendAt: Date.now() + 3_600_000 })],
		['addUsersToChannel', (api: PumbleApi) => api.addUsersToChannel({ name: 'nowhere' }, [MSG])],
		['listMessages', (api: PumbleApi) => api.listMessages({ channel: { name: 'nowhere' } })],
		['getThreadReplies', (api: PumbleApi) => api.getThreadReplies({ channel: { name: 'nowhere' }, messageId: MSG })],
	])('%s: the same rule', async (_name, operation) => {
		const { api, calls } = fake([entry(GENERAL, 'general')]);
		await expect(operation(api)).rejects.toBeInstanceOf(PumbleInputError);
		expect(calls.map((c) => c.name)).toEqual(['listChannels']);
	});
});
