/** Reactions: add and remove an emoji on a message. */
import { channelConversation, channelOf } from '../lib/params';
import type { ResourceOperations } from './types';

export const reaction: ResourceOperations = {
	add: {
		conversation: channelConversation,
		run: (api, p) => api.addReaction({ channel: channelOf(p), messageId: p.messageId, emoji: p.emoji }),
	},
	remove: {
		conversation: channelConversation,
		run: (api, p) => api.removeReaction({ channel: channelOf(p), messageId: p.messageId, emoji: p.emoji }),
	},
};
