/**
 * Every operation of the Pumble node, with parameters for its success path and for an error answer from
 * Pumble, against the sandbox's seed workspace. Shared by the secret sweeps (integration and e2e).
 *
 * `prepare` adds what the success paths need to the sandbox (two scheduled messages, a message of the
 * key's user to edit and one to delete) and must run before the parameters are used.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';

export const NOWHERE = 'ffffffffffffffffffffffff';
export const SCHEDULED_IDS = ['ee00000000000000000000aa', 'ee00000000000000000000bb'] as const;

export interface OperationCase {
	name: string;
	ok: INodeParameters;
	fails: INodeParameters;
}

export const rl = (value: string, mode: 'id' | 'name' | 'email' = 'id') => ({ __rl: true, mode, value });
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

export function prepare(sandbox: Sandbox): { own: string; toDelete: string } {
	for (const id of SCHEDULED_IDS) {
		if (sandbox.state.scheduled.some((s) => s.id === id)) continue;
		sandbox.state.scheduled.push({
			id,
			seq: sandbox.state.scheduled.length + 1,
			channelId: sandbox.ids.general,
			author: sandbox.ids.ada,
			text: 'planned',
			sendAt: Date.now() + 7_200_000,
			blocks: null,
			threadRootId: null,
			alsoSendToChannel: false,
			recurrence: null,
		});
	}
	return {
		own: sandbox.postAs(sandbox.ids.ada, sandbox.ids.general, `mine ${Math.random()}`).id,
		toDelete: sandbox.postAs(sandbox.ids.ada, sandbox.ids.general, 'to delete').id,
	};
}

/** The operations; call `prepare` first (its result gives the messages to edit and delete). */
export function allOperations(sandbox: Sandbox, prepared: { own: string; toDelete: string }): OperationCase[] {
	const { ids } = sandbox;
	const root = ids.randomThreadRoot;
	const [scheduled, toDeleteScheduled] = SCHEDULED_IDS;
	const { own, toDelete } = prepared;
	return [
		{ name: 'message.send', ok: { resource: 'message', operation: 'send', channel: rl(ids.general), text: 'secret sweep' }, fails: { resource: 'message', operation: 'send', channel: rl(NOWHERE), text: 'x' } },
		{ name: 'message.send to a user', ok: { resource: 'message', operation: 'send', sendTo: 'user', user: rl(ids.bob), text: 'dm' }, fails: { resource: 'message', operation: 'send', sendTo: 'user', user: rl(ids.dave), text: 'dm' } },
		{ name: 'message.send to a user by email', ok: { resource: 'message', operation: 'send', sendTo: 'user', user: rl('bob@example.com', 'email'), text: 'dm' }, fails: { resource: 'message', operation: 'send', sendTo: 'user', user: rl('ghost@example.com', 'email'), text: 'dm' } },
		{ name: 'message.send to users', ok: { resource: 'message', operation: 'send', sendTo: 'users', userIds: [ids.bob, ids.carol], text: 'group' }, fails: { resource: 'message', operation: 'send', sendTo: 'users', userIds: [ids.bob, NOWHERE], text: 'group' } },
		{ name: 'message.reply', ok: { resource: 'message', operation: 'reply', channel: rl(ids.random), messageId: root, text: 'reply' }, fails: { resource: 'message', operation: 'reply', channel: rl(ids.random), messageId: NOWHERE, text: 'reply' } },
		{ name: 'message.update', ok: { resource: 'message', operation: 'update', channel: rl(ids.general), messageId: own, text: 'edited' }, fails: { resource: 'message', operation: 'update', channel: rl(ids.general), messageId: NOWHERE, text: 'edited' } },
		{ name: 'message.delete', ok: { resource: 'message', operation: 'delete', channel: rl(ids.general), messageId: toDelete }, fails: { resource: 'message', operation: 'delete', channel: rl(ids.general), messageId: NOWHERE } },
		{ name: 'message.get', ok: { resource: 'message', operation: 'get', channel: rl(ids.random), messageId: root }, fails: { resource: 'message', operation: 'get', channel: rl(ids.random), messageId: NOWHERE } },
		{ name: 'message.getAll', ok: { resource: 'message', operation: 'getAll', channel: rl(ids.general), returnAll: true }, fails: { resource: 'message', operation: 'getAll', channel: rl('nowhere', 'name'), returnAll: true } },
		{ name: 'message.getReplies', ok: { resource: 'message', operation: 'getReplies', channel: rl(ids.random), messageId: root, returnAll: true }, fails: { resource: 'message', operation: 'getReplies', channel: rl(ids.random), messageId: NOWHERE, returnAll: true } },
		{ name: 'message.search', ok: { resource: 'message', operation: 'search', query: 'deploy', returnAll: true }, fails: { resource: 'message', operation: 'search', query: 'x', filters: { in: [NOWHERE] }, returnAll: false, limit: 5 } },
		{ name: 'reaction.add', ok: { resource: 'reaction', operation: 'add', channel: rl(ids.random), messageId: root, emoji: '👍' }, fails: { resource: 'reaction', operation: 'add', channel: rl(ids.random), messageId: NOWHERE, emoji: '👍' } },
		{ name: 'reaction.remove', ok: { resource: 'reaction', operation: 'remove', channel: rl(ids.random), messageId: root, emoji: '+1' }, fails: { resource: 'reaction', operation: 'remove', channel: rl(ids.random), messageId: NOWHERE, emoji: '+1' } },
		{ name: 'channel.create', ok: { resource: 'channel', operation: 'create', name: `secret-${Math.random().toString(36).slice(2, 8)}`, type: 'private', options: { description: 'sweep' } }, fails: { resource: 'channel', operation: 'create', name: 'general', type: 'public' } },
		{ name: 'channel.get', ok: { resource: 'channel', operation: 'get', channel: rl(ids.general) }, fails: { resource: 'channel', operation: 'get', channel: rl(ids.hiring) } },
		{ name: 'channel.getAll', ok: { resource: 'channel', operation: 'getAll', returnAll: true }, fails: { resource: 'channel', operation: 'getAll', returnAll: true } },
		{ name: 'channel.addUsers', ok: { resource: 'channel', operation: 'addUsers', channel: rl(ids.random), userIds: [ids.bob] }, fails: { resource: 'channel', operation: 'addUsers', channel: rl(ids.adaBobDm), userIds: [ids.carol] } },
		{ name: 'channel.removeUser', ok: { resource: 'channel', operation: 'removeUser', channel: rl(ids.general), user: rl(ids.carol) }, fails: { resource: 'channel', operation: 'removeUser', channel: rl(ids.general), user: rl(ids.dave) } },
		{ name: 'scheduledMessage.create', ok: { resource: 'scheduledMessage', operation: 'create', channel: rl(ids.general), text: 'later', sendAt: inAnHour() }, fails: { resource: 'scheduledMessage', operation: 'create', channel: rl(NOWHERE), text: 'later', sendAt: inAnHour() } },
		{ name: 'scheduledMessage.get', ok: { resource: 'scheduledMessage', operation: 'get', scheduledMessageId: scheduled }, fails: { resource: 'scheduledMessage', operation: 'get', scheduledMessageId: NOWHERE } },
		{ name: 'scheduledMessage.getAll', ok: { resource: 'scheduledMessage', operation: 'getAll', returnAll: true }, fails: { resource: 'scheduledMessage', operation: 'getAll', returnAll: true, filters: { channel: rl(NOWHERE) } } },
		{ name: 'scheduledMessage.update', ok: { resource: 'scheduledMessage', operation: 'update', scheduledMessageId: scheduled, updateFields: { text: 'changed' } }, fails: { resource: 'scheduledMessage', operation: 'update', scheduledMessageId: NOWHERE, updateFields: { text: 'changed' } } },
		{ name: 'scheduledMessage.delete', ok: { resource: 'scheduledMessage', operation: 'delete', scheduledMessageId: toDeleteScheduled }, fails: { resource: 'scheduledMessage', operation: 'delete', scheduledMessageId: NOWHERE } },
		{ name: 'user.get', ok: { resource: 'user', operation: 'get', user: rl(ids.bob) }, fails: { resource: 'user', operation: 'get', user: rl(NOWHERE) } },
		{ name: 'user.getAll', ok: { resource: 'user', operation: 'getAll', returnAll: true }, fails: { resource: 'user', operation: 'getAll', returnAll: true } },
		{ name: 'user.getMe', ok: { resource: 'user', operation: 'getMe' }, fails: { resource: 'user', operation: 'getMe' } },
		{ name: 'user.setStatus', ok: { resource: 'user', operation: 'setStatus', emoji: ':coffee:', statusText: 'Lunch', expiresAt: inAnHour() }, fails: { resource: 'user', operation: 'setStatus', emoji: ':no-such-emoji-here:', statusText: 's'.repeat(100) } },
		{ name: 'userGroup.getAll', ok: { resource: 'userGroup', operation: 'getAll', returnAll: true }, fails: { resource: 'userGroup', operation: 'getAll', returnAll: true } },
	];
}
