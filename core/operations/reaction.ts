/** Reactions: add and remove an emoji on a message. */
import { ENDPOINTS } from '../http/endpoints';
import { requireId, toEmojiCode } from '../input/normalize';
import { channelRefOf, fieldOf, inChannel } from './inputs';
import { operation, type ChannelInput, type InputContext } from './types';

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

export const reaction = {
	add: operation({
		endpoint: ENDPOINTS.addReaction,
		readOnly: false,
		many: false,
		ordered: true,
		validate: checked,
		lane: inChannel,
		run: (api, input) => api.addReaction(input),
	}),
	remove: operation({
		endpoint: ENDPOINTS.removeReaction,
		readOnly: false,
		many: false,
		ordered: true,
		validate: checked,
		lane: inChannel,
		run: (api, input) => api.removeReaction(input),
	}),
};
