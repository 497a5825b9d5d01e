/**
 * PumbleApi: the one front door to Pumble. Every request of the n8n nodes, the trigger, the benchmark and
 * the scripts goes through one of its methods; each validates its input (PumbleInputError before any
 * request), builds the request as Pumble expects it and returns what Pumble answered. The work is done in
 * one room per resource beside this file; collaborators that only read (the send reconciler, the poller)
 * are given this object behind narrow reader interfaces and never reach its client.
 */
import type { PumbleClient } from '../http/client';
import { ReconciledReceipt, ReconcileSettings, SendReconciler } from '../reconcile';
import type { ChannelEntry, ChannelRef, Message, MessagePage, MessageReceipt, ScheduledMessage, User, UserGroup } from '../types';
import { Channels } from './channels';
import { Directory } from './directory';
import { ListStrategy, Messages, SendMessageInput } from './messages';
import { CreateScheduledInput, EditScheduledInput, ScheduledMessages } from './scheduled';
import { searchMessages, SearchInput } from './search';
import type { DeletedMessageReceipt, DeletedScheduledMessageReceipt, EditedReceipt, StatusSetReceipt, UserRemovedReceipt, UsersAddedReceipt } from './shape';
import { Users } from './users';

export { CHANNEL_TYPES } from './channels';
export { flatChannel } from './shape';
export type { FlatChannel } from './shape';
export type { ListStrategy, SendMessageInput } from './messages';
export type { CreateScheduledInput, EditScheduledInput, RecurrenceInput } from './scheduled';
export type { SearchInput, SearchSort } from './search';
export { NEVER_EXPIRES, PAGE_SIZE, SEARCH_PAGE_SIZE } from '../constants';
export type { Channel } from '../types';

export class PumbleApi {
	/** Sends, replies and DMs whose outcome is unknown are looked for before being sent again (reconcile.ts). */
	readonly sends: SendReconciler;
	private readonly directory: Directory;
	private readonly users: Users;
	private readonly channels: Channels;
	private readonly messages: Messages;
	private readonly scheduled: ScheduledMessages;

	constructor(
		readonly client: PumbleClient,
		reconcile: Partial<ReconcileSettings> = {},
	) {
		this.directory = new Directory(client);
		this.sends = new SendReconciler(this, reconcile, client.signal);
		this.users = new Users(client, this.directory);
		this.channels = new Channels(client, this.directory);
		this.messages = new Messages(client, this.directory, this.sends);
		this.scheduled = new ScheduledMessages(client, this.directory);
	}

	/** The key's name (its hash, never the key): what process-wide state is keyed by. */
	get identity(): string {
		return this.client.identity;
	}

	// ---------------------------------------------------------------- users

	/** The user who owns the key (cached per key). */
	myInfo(options: { fresh?: boolean } = {}): Promise<User> {
		return this.directory.myInfo(options);
	}
	listUsers(options: { cached?: boolean } = {}): Promise<User[]> {
		return this.directory.listUsers(options);
	}
	listUserGroups(): Promise<UserGroup[]> {
		return this.users.listUserGroups();
	}
	getUser(userId: unknown): Promise<User> {
		return this.users.getUser(userId);
	}
	findUserByEmail(email: unknown): Promise<User> {
		return this.users.findUserByEmail(email);
	}
	setCustomStatus(input: { emoji: unknown; statusText?: unknown; expiresAt?: number }): Promise<StatusSetReceipt> {
		return this.users.setCustomStatus(input);
	}

	// ---------------------------------------------------------------- channels

	listChannels(options: { cached?: boolean } = {}): Promise<ChannelEntry[]> {
		return this.directory.listChannels(options);
	}
	/** A channel's ID; a name is resolved through the cached channel list (directory.ts: the one rule). */
	channelId(channel: ChannelRef): Promise<string> {
		return this.directory.channelId(channel);
	}
	getChannel(channel: ChannelRef): Promise<ChannelEntry> {
		return this.channels.getChannel(channel);
	}
	createChannel(input: { name: unknown; type: unknown; description?: unknown }): Promise<{ id: string; name: string }> {
		return this.channels.createChannel(input);
	}
	addUsersToChannel(channel: ChannelRef, userIds: unknown): Promise<UsersAddedReceipt> {
		return this.channels.addUsersToChannel(channel, userIds);
	}
	removeUserFromChannel(channel: ChannelRef, userId: unknown): Promise<UserRemovedReceipt> {
		return this.channels.removeUserFromChannel(channel, userId);
	}

	// ---------------------------------------------------------------- messages

	sendMessage(input: SendMessageInput): Promise<ReconciledReceipt> {
		return this.messages.sendMessage(input);
	}
	sendReply(input: { channel: ChannelRef; messageId: unknown; text: unknown; asBot?: boolean; alsoSendToChannel?: boolean }): Promise<ReconciledReceipt> {
		return this.messages.sendReply(input);
	}
	dmUser(input: { userId: unknown; text: unknown; asBot?: boolean }): Promise<ReconciledReceipt> {
		return this.messages.dmUser(input);
	}
	dmGroup(input: { userIds: unknown; text: unknown; asBot?: boolean }): Promise<ReconciledReceipt> {
		return this.messages.dmGroup(input);
	}
	editMessage(input: { channel: ChannelRef; messageId: unknown; text: unknown; blocks?: unknown }): Promise<EditedReceipt> {
		return this.messages.editMessage(input);
	}
	deleteMessage(input: { channel: ChannelRef; messageId: unknown }): Promise<DeletedMessageReceipt> {
		return this.messages.deleteMessage(input);
	}
	fetchMessage(input: { channel: ChannelRef; messageId: unknown }): Promise<Message> {
		return this.messages.fetchMessage(input);
	}
	listMessagesPage(input: { channel: ChannelRef; cursor?: string; limit?: number; strategy?: ListStrategy }): Promise<MessagePage> {
		return this.messages.listMessagesPage(input);
	}
	/** A channel's messages, newest first; `limit` undefined = all. `after`/`before` are epoch ms (exclusive). */
	listMessages(input: { channel: ChannelRef; limit?: number; after?: number; before?: number }): Promise<Message[]> {
		return this.messages.listMessages(input);
	}
	/** One page of a thread's replies, newest first (inclusive cursor to older replies). */
	threadRepliesPage(input: { channel: ChannelRef; rootMessageId: string; cursor?: string; limit?: number }): Promise<Message[]> {
		return this.messages.threadRepliesPage(input);
	}
	getThreadReplies(input: { channel: ChannelRef; messageId: unknown; limit?: number }): Promise<Message[]> {
		return this.messages.getThreadReplies(input);
	}
	searchMessages(input: SearchInput): Promise<Message[]> {
		return searchMessages(this.client, input);
	}
	addReaction(input: { channel: ChannelRef; messageId: unknown; emoji: unknown }): Promise<{ status: string }> {
		return this.messages.addReaction(input);
	}
	removeReaction(input: { channel: ChannelRef; messageId: unknown; emoji: unknown }): Promise<{ status: string }> {
		return this.messages.removeReaction(input);
	}

	// ---------------------------------------------------------------- scheduled messages

	createScheduledMessage(input: CreateScheduledInput): Promise<MessageReceipt> {
		return this.scheduled.createScheduledMessage(input);
	}
	fetchScheduledMessage(id: unknown): Promise<ScheduledMessage> {
		return this.scheduled.fetchScheduledMessage(id);
	}
	listScheduledMessages(input: { channel?: ChannelRef; limit?: number } = {}): Promise<ScheduledMessage[]> {
		return this.scheduled.listScheduledMessages(input);
	}
	editScheduledMessage(input: EditScheduledInput): Promise<ScheduledMessage> {
		return this.scheduled.editScheduledMessage(input);
	}
	deleteScheduledMessage(id: unknown): Promise<DeletedScheduledMessageReceipt> {
		return this.scheduled.deleteScheduledMessage(id);
	}
}
