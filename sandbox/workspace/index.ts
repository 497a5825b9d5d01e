/**
 * The in-memory workspace: its state (state.ts) and the 26 API operations on it, one file per resource.
 * Every operation validates its input before touching state, so a rejected request changes nothing.
 */
import type { Input } from '../validation';
import type { ChannelListEntry, Message, MessagePage, Receipt, ScheduledMessage, SearchResult } from './apiObjects';
import * as channels from './channels';
import * as dms from './directMessages';
import * as messages from './messages';
import type { PostOptions } from './messages';
import * as reactions from './reactions';
import type { User, UserGroup } from './records';
import * as scheduled from './scheduled';
import { searchMessages } from './search';
import { WorkspaceState } from './state';
import * as users from './users';

export type * from './apiObjects';
export type * from './records';
export { RECURRENCE_TYPES } from './records';
export type { PostOptions } from './messages';
export type { WorkspaceChange, WorkspaceEnv } from './state';
export { isoSeconds } from './render';

export class Workspace extends WorkspaceState {
	// channels
	listChannels(actor: User): ChannelListEntry[] {
		return channels.listChannels(this, actor);
	}
	getChannel(actor: User, input: Input): ChannelListEntry {
		return channels.getChannel(this, actor, input);
	}
	createChannel(actor: User, input: Input): { id: string; name: string } {
		return channels.createChannel(this, actor, input);
	}
	addUsersToChannel(actor: User, input: Input): void {
		channels.addUsersToChannel(this, actor, input);
	}
	removeUserFromChannel(actor: User, input: Input): void {
		channels.removeUserFromChannel(this, actor, input);
	}

	// messages
	sendMessage(actor: User, input: Input): Receipt {
		return messages.sendMessage(this, actor, input);
	}
	sendReply(actor: User, input: Input): Receipt {
		return messages.sendReply(this, actor, input);
	}
	editMessage(actor: User, input: Input): void {
		messages.editMessage(this, actor, input);
	}
	deleteMessage(actor: User, input: Input): void {
		messages.deleteMessage(this, actor, input);
	}
	fetchMessage(actor: User, input: Input): Message {
		return messages.fetchMessage(this, actor, input);
	}
	listMessages(actor: User, input: Input): MessagePage {
		return messages.listMessages(this, actor, input);
	}
	fetchThreadReplies(actor: User, input: Input): Message[] {
		return messages.fetchThreadReplies(this, actor, input);
	}
	searchMessages(actor: User, input: Input): SearchResult {
		return searchMessages(this, actor, input);
	}
	addReaction(actor: User, input: Input): { status: 'ok' } {
		return reactions.addReaction(this, actor, input);
	}
	removeReaction(actor: User, input: Input): { status: 'ok' } {
		return reactions.removeReaction(this, actor, input);
	}
	dmUser(actor: User, input: Input): Receipt {
		return dms.dmUser(this, actor, input);
	}
	dmGroup(actor: User, input: Input): Receipt {
		return dms.dmGroup(this, actor, input);
	}
	/** Traffic injected by tests: no visibility or rate checks, but the channel and root must exist. */
	postAs(userId: string, channelId: string, text: string, options?: PostOptions): Message {
		return messages.postAs(this, userId, channelId, text, options);
	}

	// scheduled messages
	createScheduledMessage(actor: User, input: Input): Receipt {
		return scheduled.createScheduledMessage(this, actor, input);
	}
	fetchScheduledMessages(actor: User, input: Input): { scheduledMessages: ScheduledMessage[]; hasMore: boolean } {
		return scheduled.fetchScheduledMessages(this, actor, input);
	}
	fetchScheduledMessage(actor: User, input: Input): ScheduledMessage {
		return scheduled.fetchScheduledMessage(this, actor, input);
	}
	editScheduledMessage(actor: User, input: Input): ScheduledMessage {
		return scheduled.editScheduledMessage(this, actor, input);
	}
	deleteScheduledMessage(actor: User, input: Input): void {
		scheduled.deleteScheduledMessage(this, actor, input);
	}

	// users
	listUsers(): User[] {
		return users.listUsers(this);
	}
	listUserGroups(): UserGroup[] {
		return users.listUserGroups(this);
	}
	myInfo(actor: User): User {
		return users.myInfo(actor);
	}
	customStatus(actor: User, input: Input): void {
		users.customStatus(this, actor, input);
	}
}
