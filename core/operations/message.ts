/** Messages: send (to a channel, a person, a group), reply, update, delete, get, list, thread replies, search. */
import { requireTimeWindow } from '../api/messages';
import { searchTerms, type SearchSort } from '../api/search';
import { ENDPOINTS } from '../http/endpoints';
import { PumbleInputError } from '../errors';
import { optionalBlocks, optionalId, requireId, requireIdList, requireText } from '../input/normalize';
import type { ChannelRef } from '../types';
import { channelRefOf, fieldOf, inChannel, isBlank, laneOf, limitOf, optionalDateOf, userIdOf, userRefOf } from './inputs';
import { orderedWrite, read, readMany, type ChannelInput, type InputContext, type ListInput, type UserInput, type UserRef } from './types';

/** Where a message goes: a channel (or an existing conversation), one person, or a group of 2 to 8 people. */
export type SendTo = { channel: ChannelInput } | { user: UserInput } | { users: unknown };

export interface SendInput {
	to: SendTo;
	text: unknown;
	asBot?: boolean;
	blocks?: unknown;
	threadRootId?: unknown;
}

type CheckedSend = {
	to: { channel: ChannelRef } | { user: UserRef } | { users: string[] };
	text: string;
	asBot: boolean;
	blocks?: unknown[];
	threadRootId?: string;
};

export interface MessageInput {
	channel: ChannelInput;
	messageId: unknown;
}

const messageIdOf = (value: unknown, context: InputContext) => requireId(value, fieldOf(context, 'messageId'), 'message ID');

const checkedMessage = (input: MessageInput, context: InputContext) => ({
	channel: channelRefOf(input.channel, context),
	messageId: messageIdOf(input.messageId, context),
});

const send = orderedWrite({
	endpoint: ENDPOINTS.sendMessage,
	validate(input: SendInput, context): CheckedSend {
		const asBot = input.asBot === true;
		const to = input.to;
		if ('user' in to) {
			// The text first: bad input says so before anything about the person.
			const text = requireText(input.text, fieldOf(context, 'text'));
			return { to: { user: userRefOf(to.user, context) }, text, asBot };
		}
		if ('users' in to) {
			const users = requireIdList(to.users, fieldOf(context, 'userIds'), 'user ID', { min: 2, max: 8 });
			return { to: { users }, text: requireText(input.text, fieldOf(context, 'text')), asBot };
		}
		const channel = channelRefOf(to.channel, context);
		const text = requireText(input.text, fieldOf(context, 'text'));
		const blocks = optionalBlocks(input.blocks, fieldOf(context, 'blocks'));
		const threadRootId = optionalId(input.threadRootId, fieldOf(context, 'threadRootId'), 'message ID');
		return { to: { channel }, text, asBot, blocks, threadRootId };
	},
	lane: laneOf((input: CheckedSend) => {
		const to = input.to;
		if ('channel' in to) return { channel: to.channel };
		if ('users' in to) return { users: to.users };
		return { user: 'id' in to.user ? to.user.id : to.user.email };
	}),
	async run(api, input: CheckedSend) {
		const { to, text, asBot } = input;
		if ('user' in to) return { ...(await api.dmUser({ userId: await userIdOf(api, to.user), text, asBot })) };
		if ('users' in to) return { ...(await api.dmGroup({ userIds: to.users, text, asBot })) };
		return { ...(await api.sendMessage({ channel: to.channel, text, asBot, blocks: input.blocks, threadRootId: input.threadRootId })) };
	},
});

export interface ReplyInput extends MessageInput {
	text: unknown;
	asBot?: boolean;
	alsoSendToChannel?: boolean;
}

const reply = orderedWrite({
	endpoint: ENDPOINTS.sendReply,
	validate: (input: ReplyInput, context) => ({
		...checkedMessage(input, context),
		text: requireText(input.text, fieldOf(context, 'text')),
		asBot: input.asBot === true,
		alsoSendToChannel: input.alsoSendToChannel === true,
	}),
	lane: inChannel,
	run: async (api, input) => ({ ...(await api.sendReply(input)) }),
});

export interface UpdateInput extends MessageInput {
	text: unknown;
	blocks?: unknown;
}

const update = orderedWrite({
	endpoint: ENDPOINTS.editMessage,
	validate: (input: UpdateInput, context) => ({
		...checkedMessage(input, context),
		text: requireText(input.text, fieldOf(context, 'text')),
		blocks: optionalBlocks(input.blocks, fieldOf(context, 'blocks')),
	}),
	lane: inChannel,
	run: (api, input) => api.editMessage(input),
});

const deleteMessage = orderedWrite({
	endpoint: ENDPOINTS.deleteMessage,
	validate: checkedMessage,
	lane: inChannel,
	run: (api, input) => api.deleteMessage(input),
});

const get = read({
	endpoint: ENDPOINTS.fetchMessage,
	validate: checkedMessage,
	run: (api, input) => api.fetchMessage(input),
});

export interface ListMessagesInput extends ListInput {
	channel: ChannelInput;
	after?: unknown;
	before?: unknown;
}

const getAll = readMany({
	endpoint: ENDPOINTS.listMessages,
	validate(input: ListMessagesInput, context) {
		const channel = channelRefOf(input.channel, context);
		const limit = limitOf(input, context);
		const after = optionalDateOf(input.after, context, 'after');
		const before = optionalDateOf(input.before, context, 'before');
		requireTimeWindow(after, before, fieldOf(context, 'after'), fieldOf(context, 'before'));
		return { channel, limit, after, before };
	},
	run: (api, input) => api.listMessages(input),
});

export interface RepliesInput extends MessageInput, ListInput {}

const getReplies = readMany({
	endpoint: ENDPOINTS.fetchThreadReplies,
	validate: (input: RepliesInput, context) => ({ ...checkedMessage(input, context), limit: limitOf(input, context) }),
	run: (api, input) => api.getThreadReplies(input),
});

export interface SearchInput extends ListInput {
	query?: unknown;
	from?: unknown;
	in?: unknown;
	after?: unknown;
	before?: unknown;
	sort?: unknown;
}

const SORTS: SearchSort[] = ['newest', 'oldest', 'relevance'];

function sortOf(value: unknown, context: InputContext): SearchSort {
	if (isBlank(value)) return 'newest';
	if (!SORTS.includes(value as SearchSort)) {
		throw new PumbleInputError(fieldOf(context, 'sort'), `"${String(value)}" is not a sort order`, `Choose one of ${SORTS.join(', ')}.`);
	}
	return value as SearchSort;
}

const search = readMany({
	endpoint: ENDPOINTS.searchMessages,
	validate(input: SearchInput, context) {
		const after = optionalDateOf(input.after, context, 'after');
		const before = optionalDateOf(input.before, context, 'before');
		const limit = limitOf(input, context);
		const sort = sortOf(input.sort, context);
		const terms = searchTerms({ query: input.query, from: input.from, in: input.in }, (field) => fieldOf(context, field));
		return { query: terms.text, from: terms.from, in: terms.in, after, before, limit, sort };
	},
	run: (api, input) => api.searchMessages(input),
});

export const message = { send, reply, update, delete: deleteMessage, get, getAll, getReplies, search };
