/**
 * Message operations in a channel: sendMessage, sendReply, editMessage, deleteMessage, fetchMessage,
 * listMessages, fetchThreadReplies, and `postAs` (traffic injected by tests).
 */
import { ADDON_BOT_OF } from '../seed';
import { channelNotFound, legacyError } from '../validation';
import type { Input } from '../validation';
import { actsAs, botAuthor, channelFrom, messageIn, threadRoot, visibleChannel, visibleMessage } from './access';
import type { Message, MessagePage, Receipt } from './apiObjects';
import { TEXT_MAX } from './fieldRules';
import { pageParams, takePage } from './paging';
import { chronological } from './records';
import type { User } from './records';
import { renderMessage } from './render';
import type { WorkspaceState } from './state';

export interface PostOptions {
	threadRootId?: string;
	timestampMilli?: number;
	asBot?: boolean;
	alsoSendToChannel?: boolean;
}

export function sendMessage(ws: WorkspaceState, actor: User, input: Input): Receipt {
	const text = input.text('text', TEXT_MAX);
	const blocks = input.optionalArray('blocks') ?? null;
	const asBot = input.bool('asBot');
	const threadRootId = input.optionalString('threadRootId');
	const alsoSendToChannel = input.bool('alsoSendToChannel');
	const channel = channelFrom(ws, actor, input);
	const author = asBot ? botAuthor(actor, channel) : actor.id;
	const root = threadRootId === undefined ? undefined : threadRoot(ws, channel, threadRootId);
	const message = ws.insert(channel, author, text, { blocks, root, alsoSendToChannel });
	return { id: message.id, channelId: channel.id };
}

export function sendReply(ws: WorkspaceState, actor: User, input: Input): Receipt {
	const rootId = input.string('messageId');
	const text = input.text('text', TEXT_MAX);
	const asBot = input.bool('asBot');
	const alsoSendToChannel = input.bool('alsoSendToChannel');
	const channel = channelFrom(ws, actor, input);
	const author = asBot ? botAuthor(actor, channel) : actor.id;
	const root = threadRoot(ws, channel, rootId);
	const message = ws.insert(channel, author, text, { blocks: null, root, alsoSendToChannel });
	return { id: message.id, channelId: channel.id };
}

export function editMessage(ws: WorkspaceState, actor: User, input: Input): void {
	const messageId = input.string('messageId');
	const channelId = input.string('channelId');
	const text = input.text('text', TEXT_MAX);
	const blocks = input.optionalArray('blocks') ?? null;
	const message = messageIn(ws, visibleChannel(ws, actor, channelId), messageId);
	if (!actsAs(actor, message.author)) throw legacyError('Only the author of a message can edit it');
	message.text = text;
	message.blocks = blocks;
	message.edited = true;
	ws.notify({ kind: 'messageEdited', message });
}

export function deleteMessage(ws: WorkspaceState, actor: User, input: Input): void {
	const messageId = input.string('messageId');
	const message = messageIn(ws, channelFrom(ws, actor, input), messageId);
	if (!actsAs(actor, message.author) && actor.role !== 'OWNER') {
		throw legacyError('Only the author or a workspace owner can delete a message');
	}
	ws.messages.splice(ws.messages.indexOf(message), 1);
}

export function fetchMessage(ws: WorkspaceState, actor: User, input: Input): Message {
	const messageId = input.string('messageId');
	return renderMessage(ws, visibleMessage(ws, actor, input, messageId), actor.id);
}

export function listMessages(ws: WorkspaceState, actor: User, input: Input): MessagePage {
	const params = pageParams(input);
	const channel = channelFrom(ws, actor, input);
	const listed = ws.messages
		.filter((m) => m.channelId === channel.id && (m.threadRootId === null || m.sentToChannel))
		.sort(chronological);
	const { page, hasMoreBefore, hasMoreAfter } = takePage(listed, params, ws.env.cursorInclusive());
	// Same messages either way; oldest first puts the cursor first and the newest (the next cursor) last.
	if (params.strategy === 'AFTER' && ws.env.listAfterOrder() === 'oldestFirst') page.reverse();
	return { messages: page.map((m) => renderMessage(ws, m, actor.id)), hasMoreBefore, hasMoreAfter };
}

export function fetchThreadReplies(ws: WorkspaceState, actor: User, input: Input): Message[] {
	const rootId = input.string('rootMessageId');
	const params = pageParams(input);
	const root = threadRoot(ws, channelFrom(ws, actor, input), rootId);
	const { page } = takePage(ws.repliesTo(root), params, ws.env.cursorInclusive());
	return page.map((m) => renderMessage(ws, m, actor.id));
}

/** Traffic injected by tests: no visibility or rate checks, but the channel and root must exist. */
export function postAs(ws: WorkspaceState, userId: string, channelId: string, text: string, options: PostOptions = {}): Message {
	const poster = ws.userById(userId);
	if (!poster) throw legacyError(`Could not find user ${userId}`);
	const channel = ws.channels.find((c) => c.id === channelId);
	if (!channel) throw channelNotFound();
	const author = options.asBot ? (ADDON_BOT_OF[poster.id] ?? poster.id) : poster.id;
	const root = options.threadRootId === undefined ? undefined : threadRoot(ws, channel, options.threadRootId);
	const message = ws.insert(channel, author, text, {
		root,
		alsoSendToChannel: options.alsoSendToChannel,
		timestampMilli: options.timestampMilli,
	});
	return renderMessage(ws, message, poster.id);
}
