/** Reactions: add and remove an emoji on a message. */
import type { PumbleApi } from '../api';
import { ENDPOINTS, type Endpoint } from '../http/endpoints';
import { requireId, toEmojiCode } from '../input/normalize';
import { channelRefOf, fieldOf, inChannel } from './inputs';
import { orderedWrite, type ChannelInput, type InputContext } from './types';

export interface ReactionInput {
	channel: ChannelInput;
	messageId: unknown;
	/** A Unicode emoji, its name, or its `:code:`. */
	emoji: unknown;
}

function checked(input: ReactionInput, context: InputContext) {
	const channel = channelRefOf(input.channel, context);
	const messageId = requireId(input.messageId, fieldOf(context, 'messageId'), 'message ID');
	toEmojiCode(input.emoji, fieldOf(context, 'emoji'));
	return { channel, messageId, emoji: input.emoji };
}

/** Adding and removing differ only in the request: same input, same lane as the message's channel. */
const onMessage = (endpoint: Endpoint, run: (api: PumbleApi, input: ReturnType<typeof checked>) => Promise<unknown>) =>
	orderedWrite({ endpoint, validate: checked, lane: inChannel, run });

export const reaction = {
	add: onMessage(ENDPOINTS.addReaction, (api, input) => api.addReaction(input)),
	remove: onMessage(ENDPOINTS.removeReaction, (api, input) => api.removeReaction(input)),
};
