/** Messages: send (channel, user, group DM), reply, update, delete, get, list, thread replies, search. */
import { channelConversation, channelOf, flag, limitOf, optionalDateOf, Params, userIdOf } from '../lib/params';
import type { ResourceOperations } from './types';
import type { PumbleApi } from '../../../core';

const isGiven = (value: unknown): boolean => value !== undefined && value !== '';

export const message: ResourceOperations = {
	send: {
		conversation: (p) => (isGiven(p.user) ? { user: p.user } : isGiven(p.users) ? { users: p.users } : channelConversation(p)),
		async run(api: PumbleApi, p: Params) {
			const asBot = flag(p, 'asBot');
			if (isGiven(p.user)) return { ...(await api.dmUser({ userId: await userIdOf(api, p), text: p.text, asBot })) };
			if (isGiven(p.users)) return { ...(await api.dmGroup({ userIds: p.users, text: p.text, asBot })) };
			return { ...(await api.sendMessage({ channel: channelOf(p), text: p.text, asBot, blocks: p.blocks, threadRootId: p.threadRootId })) };
		},
	},
	reply: {
		conversation: channelConversation,
		async run(api, p) {
			return {
				...(await api.sendReply({ channel: channelOf(p), messageId: p.messageId, text: p.text, asBot: flag(p, 'asBot'), alsoSendToChannel: flag(p, 'alsoSendToChannel') })),
			};
		},
	},
	update: {
		conversation: channelConversation,
		run: (api, p) => api.editMessage({ channel: channelOf(p), messageId: p.messageId, text: p.text, blocks: p.blocks }),
	},
	delete: {
		conversation: channelConversation,
		run: (api, p) => api.deleteMessage({ channel: channelOf(p), messageId: p.messageId }),
	},
	get: {
		run: (api, p) => api.fetchMessage({ channel: channelOf(p), messageId: p.messageId }),
	},
	getAll: {
		run: (api, p) => api.listMessages({ channel: channelOf(p), limit: limitOf(p), after: optionalDateOf(p, 'after'), before: optionalDateOf(p, 'before') }),
	},
	getReplies: {
		run: (api, p) => api.getThreadReplies({ channel: channelOf(p), messageId: p.messageId, limit: limitOf(p) }),
	},
	search: {
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
