/** Messages: send (channel, user, group DM), reply, update, delete, get, list, thread replies, search. */
import { channelOf, flag, limitOf, optionalDateOf, Params, userIdOf } from '../lib/params';
import type { ResourceOperations } from './types';
import type { PumbleApi } from '../../../core';

export const message: ResourceOperations = {
	send: {
		params: ['channel | user | users', 'text', 'asBot', 'blocks', 'threadRootId'],
		async run(api: PumbleApi, p: Params) {
			const asBot = flag(p, 'asBot');
			if (p.user !== undefined && p.user !== '') return { ...(await api.dmUser({ userId: await userIdOf(api, p), text: p.text, asBot })) };
			if (p.users !== undefined && p.users !== '') return { ...(await api.dmGroup({ userIds: p.users, text: p.text, asBot })) };
			return { ...(await api.sendMessage({ channel: channelOf(p), text: p.text, asBot, blocks: p.blocks, threadRootId: p.threadRootId })) };
		},
	},
	reply: {
		params: ['channel', 'messageId', 'text', 'asBot', 'alsoSendToChannel'],
		async run(api, p) {
			return {
				...(await api.sendReply({ channel: channelOf(p), messageId: p.messageId, text: p.text, asBot: flag(p, 'asBot'), alsoSendToChannel: flag(p, 'alsoSendToChannel') })),
			};
		},
	},
	update: {
		params: ['channel', 'messageId', 'text', 'blocks'],
		run: (api, p) => api.editMessage({ channel: channelOf(p), messageId: p.messageId, text: p.text, blocks: p.blocks }),
	},
	delete: {
		params: ['channel', 'messageId'],
		run: (api, p) => api.deleteMessage({ channel: channelOf(p), messageId: p.messageId }),
	},
	get: {
		params: ['channel', 'messageId'],
		readOnly: true,
		run: (api, p) => api.fetchMessage({ channel: channelOf(p), messageId: p.messageId }),
	},
	getAll: {
		params: ['channel', 'returnAll', 'limit', 'after', 'before'],
		many: true,
		readOnly: true,
		run: (api, p) => api.listMessages({ channel: channelOf(p), limit: limitOf(p), after: optionalDateOf(p, 'after'), before: optionalDateOf(p, 'before') }),
	},
	getReplies: {
		params: ['channel', 'messageId', 'returnAll', 'limit'],
		many: true,
		readOnly: true,
		run: (api, p) => api.getThreadReplies({ channel: channelOf(p), messageId: p.messageId, limit: limitOf(p) }),
	},
	search: {
		params: ['query', 'from', 'in', 'after', 'before', 'sort', 'returnAll', 'limit'],
		many: true,
		readOnly: true,
		run: (api, p) =>
			api.searchMessages({
				query: p.query,
				from: p.from,
				in: p.in,
				after: optionalDateOf(p, 'after'),
				before: optionalDateOf(p, 'before'),
				sort: (p.sort as 'newest' | 'oldest' | 'relevance' | undefined) ?? 'newest',
				limit: limitOf(p),
			}),
	},
};
