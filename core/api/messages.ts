/**
 * Messages: the four sends (channel, reply, DM, group DM, each reconciled when its outcome is unknown),
 * edit, delete, read one, page through a channel or a thread, and reactions.
 */
import type { PumbleClient } from '../http/client';
import { PAGE_SIZE } from '../constants';
import { ENDPOINTS } from '../http/endpoints';
import { PumbleInputError } from '../errors';
import { optionalBlocks, optionalId, requireId, requireIdList, requireText, toEmojiCode } from '../input/normalize';
import { collectByCursor } from './pagination';
import type { ReconciledReceipt, SendReconciler } from '../reconcile';
import type { ChannelRef, Message, MessagePage, MessageReceipt } from '../types';
import type { Directory } from './directory';
import { DeletedMessageReceipt, EditedReceipt, repliesOf } from './shape';

export interface SendMessageInput {
	channel: ChannelRef;
	text: unknown;
	asBot?: boolean;
	blocks?: unknown;
	threadRootId?: unknown;
}

export type ListStrategy = 'BEFORE' | 'AFTER' | 'AROUND';

/** A time window's `after` must be earlier than its `before` (either may be open); the fields named as the host names them. */
export function requireTimeWindow(after: number | undefined, before: number | undefined, afterField = 'after', beforeField = 'before'): void {
	if (after !== undefined && before !== undefined && after >= before) {
		throw new PumbleInputError(afterField, `"${afterField}" is not earlier than "${beforeField}"`, `Set "${afterField}" to a date before "${beforeField}", or leave one empty.`);
	}
}

export class Messages {
	constructor(
		private readonly client: PumbleClient,
		private readonly directory: Directory,
		private readonly sends: SendReconciler,
	) {}

	async sendMessage(input: SendMessageInput): Promise<ReconciledReceipt> {
		const text = requireText(input.text);
		const blocks = optionalBlocks(input.blocks);
		const threadRootId = optionalId(input.threadRootId, 'threadRootId', 'message ID');
		const channelId = await this.directory.channelId(input.channel);
		const body = {
			channelId,
			text,
			...(input.asBot ? { asBot: true } : {}),
			...(blocks ? { blocks } : {}),
			...(threadRootId ? { threadRootId } : {}),
		};
		return this.sends.send({
			operation: 'sendMessage',
			target: { kind: 'channel', channelId, threadRootId },
			text,
			blocks,
			asBot: input.asBot === true,
			send: (hooks) => this.client.call<MessageReceipt>(ENDPOINTS.sendMessage, { body, ...hooks }),
		});
	}

	async sendReply(input: { channel: ChannelRef; messageId: unknown; text: unknown; asBot?: boolean; alsoSendToChannel?: boolean }): Promise<ReconciledReceipt> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		const text = requireText(input.text);
		const channelId = await this.directory.channelId(input.channel);
		const body = {
			channelId,
			messageId,
			text,
			...(input.asBot ? { asBot: true } : {}),
			...(input.alsoSendToChannel ? { alsoSendToChannel: true } : {}),
		};
		return this.sends.send({
			operation: 'sendReply',
			target: { kind: 'channel', channelId, threadRootId: messageId },
			text,
			asBot: input.asBot === true,
			send: (hooks) => this.client.call<MessageReceipt>(ENDPOINTS.sendReply, { body, ...hooks }),
		});
	}

	dmUser(input: { userId: unknown; text: unknown; asBot?: boolean }): Promise<ReconciledReceipt> {
		const userId = requireId(input.userId, 'user', 'user ID');
		const text = requireText(input.text);
		const body = { userId, text, ...(input.asBot ? { asBot: true } : {}) };
		return this.sends.send({
			operation: 'dmUser',
			target: { kind: 'dm', userIds: [userId] },
			text,
			asBot: input.asBot === true,
			send: (hooks) => this.client.call<MessageReceipt>(ENDPOINTS.dmUser, { body, ...hooks }),
		});
	}

	dmGroup(input: { userIds: unknown; text: unknown; asBot?: boolean }): Promise<ReconciledReceipt> {
		const userIds = requireIdList(input.userIds, 'userIds', 'user ID', { min: 2, max: 8 });
		const text = requireText(input.text);
		const body = { userIds, text, ...(input.asBot ? { asBot: true } : {}) };
		return this.sends.send({
			operation: 'dmGroup',
			target: { kind: 'dm', userIds },
			text,
			asBot: input.asBot === true,
			send: (hooks) => this.client.call<MessageReceipt>(ENDPOINTS.dmGroup, { body, ...hooks }),
		});
	}

	/** Pumble answers an edit with an empty body: the receipt says which message was changed. */
	async editMessage(input: { channel: ChannelRef; messageId: unknown; text: unknown; blocks?: unknown }): Promise<EditedReceipt> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		const text = requireText(input.text);
		const blocks = optionalBlocks(input.blocks);
		const channelId = await this.directory.channelId(input.channel);
		await this.client.call(ENDPOINTS.editMessage, { body: { messageId, channelId, text, ...(blocks ? { blocks } : {}) } });
		return { success: true, messageId, channelId };
	}

	async deleteMessage(input: { channel: ChannelRef; messageId: unknown }): Promise<DeletedMessageReceipt> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		const channelId = await this.directory.channelId(input.channel);
		await this.client.call(ENDPOINTS.deleteMessage, { query: { channelId, messageId } });
		return { deleted: true, messageId };
	}

	async fetchMessage(input: { channel: ChannelRef; messageId: unknown }): Promise<Message> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		const channelId = await this.directory.channelId(input.channel);
		return this.client.call<Message>(ENDPOINTS.fetchMessage, { query: { channelId, messageId } });
	}

	/** One page of a channel's history (`cursor` + `strategy`, default BEFORE: older messages). */
	async listMessagesPage(input: { channel: ChannelRef; cursor?: string; limit?: number; strategy?: ListStrategy }): Promise<MessagePage> {
		const channelId = await this.directory.channelId(input.channel);
		return this.client.call<MessagePage>(ENDPOINTS.listMessages, {
			query: {
				channelId,
				...(input.cursor ? { cursor: input.cursor, strategy: input.strategy ?? 'BEFORE' } : {}),
				limit: input.limit ?? PAGE_SIZE,
			},
		});
	}

	/** A channel's messages, newest first; `limit` undefined = all. `after`/`before` are epoch ms (exclusive). */
	async listMessages(input: { channel: ChannelRef; limit?: number; after?: number; before?: number }): Promise<Message[]> {
		const { after, before } = input;
		requireTimeWindow(after, before);
		const channel = { id: await this.directory.channelId(input.channel) };
		return collectByCursor<Message>({
			pageSize: PAGE_SIZE,
			limit: input.limit,
			fetchPage: async (cursor, pageSize) => {
				const page = await this.listMessagesPage({ channel, cursor, limit: pageSize });
				return { items: page.messages ?? [], hasMore: page.hasMoreBefore };
			},
			judge: (message) => {
				if (after !== undefined && message.timestampMilli <= after) return 'stop';
				if (before !== undefined && message.timestampMilli >= before) return 'skip';
				return 'keep';
			},
		});
	}

	/**
	 * One page of a thread's replies, newest first; the cursor (a reply ID) is inclusive and pages to older
	 * replies. Accepts both the bare array the API descriptions give and a `{messages}` envelope.
	 */
	async threadRepliesPage(input: { channel: ChannelRef; rootMessageId: string; cursor?: string; limit?: number }): Promise<Message[]> {
		const channelId = await this.directory.channelId(input.channel);
		const answer = await this.client.call<Message[] | { messages?: Message[] }>(ENDPOINTS.fetchThreadReplies, {
			query: {
				channelId,
				rootMessageId: input.rootMessageId,
				...(input.cursor ? { cursor: input.cursor } : {}),
				limit: input.limit ?? PAGE_SIZE,
			},
		});
		return repliesOf(answer);
	}

	/** Replies of a thread, newest first; `limit` undefined = all. */
	async getThreadReplies(input: { channel: ChannelRef; messageId: unknown; limit?: number }): Promise<Message[]> {
		const rootMessageId = requireId(input.messageId, 'messageId', 'message ID');
		const channel = { id: await this.directory.channelId(input.channel) };
		return collectByCursor<Message>({
			pageSize: PAGE_SIZE,
			limit: input.limit,
			fetchPage: async (cursor, limit) => ({ items: await this.threadRepliesPage({ channel, rootMessageId, cursor, limit }) }),
		});
	}

	async addReaction(input: { channel: ChannelRef; messageId: unknown; emoji: unknown }): Promise<{ status: string }> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		const { code, skinTone } = toEmojiCode(input.emoji);
		const channelId = await this.directory.channelId(input.channel);
		return this.client.call<{ status: string }>(ENDPOINTS.addReaction, {
			body: { messageId, channelId, reaction: code, ...(skinTone ? { skinTone } : {}) },
		});
	}

	async removeReaction(input: { channel: ChannelRef; messageId: unknown; emoji: unknown }): Promise<{ status: string }> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		const { code } = toEmojiCode(input.emoji);
		const channelId = await this.directory.channelId(input.channel);
		return this.client.call<{ status: string }>(ENDPOINTS.removeReaction, { query: { channelId, messageId, reaction: code } });
	}
}
