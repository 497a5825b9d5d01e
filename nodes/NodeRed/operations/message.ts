/** Messages: send (channel, user, group DM), reply, update, delete, get, list, thread replies, search. */
import type { ListMessagesInput, MessageInput, RepliesInput, ReplyInput, SearchMessagesInput, SendInput, UpdateInput } from '../../../core';
import { channelIn, flag, isGiven, listIn, userIn, type Params } from '../lib/params';
import type { ResourceFieldMaps } from './types';

const onMessage = (p: Params): MessageInput => ({ channel: channelIn(p), messageId: p.messageId });

export const message: ResourceFieldMaps = {
	send: {
		// A group DM's people are `users` in Node-RED (the node's "Users" field).
		fields: { userIds: 'users' },
		input: (p): SendInput => ({
			to: isGiven(p.user) ? { user: userIn(p) } : isGiven(p.users) ? { users: p.users } : { channel: channelIn(p) },
			text: p.text,
			asBot: flag(p, 'asBot'),
			blocks: p.blocks,
			threadRootId: p.threadRootId,
		}),
	},
	reply: { input: (p): ReplyInput => ({ ...onMessage(p), text: p.text, asBot: flag(p, 'asBot'), alsoSendToChannel: flag(p, 'alsoSendToChannel') }) },
	update: { input: (p): UpdateInput => ({ ...onMessage(p), text: p.text, blocks: p.blocks }) },
	delete: { input: onMessage },
	get: { input: onMessage },
	getAll: { input: (p): ListMessagesInput => ({ channel: channelIn(p), after: p.after, before: p.before, ...listIn(p) }) },
	getReplies: { input: (p): RepliesInput => ({ ...onMessage(p), ...listIn(p) }) },
	search: { input: (p): SearchMessagesInput => ({ query: p.query, from: p.from, in: p.in, after: p.after, before: p.before, sort: p.sort, ...listIn(p) }) },
};
