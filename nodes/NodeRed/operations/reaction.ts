/** Reactions: add and remove an emoji on a message. */
import type { ReactionInput } from '../../../core';
import { channelIn, type Params } from '../lib/params';
import type { ResourceFieldMaps } from './types';

const onMessage = (p: Params): ReactionInput => ({ channel: channelIn(p), messageId: p.messageId, emoji: p.emoji });

export const reaction: ResourceFieldMaps = {
	add: { input: onMessage },
	remove: { input: onMessage },
};
