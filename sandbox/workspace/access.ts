/**
 * Who may see and act on what: channel visibility, lookups that answer the API's "not found" errors,
 * and the add-on bot's identity and membership rule.
 */
import { ADDON_BOT_OF } from '../seed';
import { channelNotFound, legacyError, notFound, validationError } from '../validation';
import type { Input } from '../validation';
import type { ChannelRecord, MessageRecord, User } from './records';
import type { WorkspaceState } from './state';

export function canSee(user: User, channel: ChannelRecord): boolean {
	return channel.channelType === 'PUBLIC' || channel.members.includes(user.id);
}

export function visibleChannel(ws: WorkspaceState, actor: User, channelId: string): ChannelRecord {
	const channel = ws.channels.find((c) => c.id === channelId);
	if (!channel || !canSee(actor, channel)) throw channelNotFound();
	return channel;
}

/** `channelId` wins over `channel` (a name); DMs have no usable name. */
export function channelFrom(ws: WorkspaceState, actor: User, input: Input): ChannelRecord {
	const channelId = input.optionalString('channelId');
	if (channelId !== undefined) return visibleChannel(ws, actor, channelId);
	const name = input.optionalString('channel');
	if (name === undefined) throw validationError('channelId or channel must not be null');
	const channel = ws.channels.find((c) => c.name !== '' && c.name === name.replace(/^#/, '') && canSee(actor, c));
	if (!channel) throw channelNotFound();
	return channel;
}

export function requireGroupChannel(channel: ChannelRecord): void {
	if (channel.channelType === 'DIRECT' || channel.channelType === 'SELF') {
		throw legacyError('Members of a direct conversation cannot be changed');
	}
}

export function activeUser(ws: WorkspaceState, id: string): User {
	const user = ws.userById(id);
	if (!user || user.status !== 'ACTIVATED') throw legacyError(`Could not find user with identifier ${id}`);
	return user;
}

export function activeUserByEmail(ws: WorkspaceState, email: string): User {
	const user = ws.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
	if (!user || user.status !== 'ACTIVATED') throw legacyError(`Could not find user with email ${email}`);
	return user;
}

/** Whether `actor` may treat `authorId` as itself: its own messages and its add-on bot's. */
export function actsAs(actor: User, authorId: string): boolean {
	return authorId === actor.id || authorId === ADDON_BOT_OF[actor.id];
}

export function botOf(actor: User): string {
	const bot = ADDON_BOT_OF[actor.id];
	if (bot === undefined) throw legacyError('This API key has no add-on bot');
	return bot;
}

/** The add-on bot is a user of its own: it needs its own membership to post into private channels. */
export function botAuthor(actor: User, channel: ChannelRecord): string {
	const bot = botOf(actor);
	if (channel.channelType === 'PRIVATE' && !channel.members.includes(bot)) {
		throw legacyError('The API add-on bot is not a member of this private channel; add it to the channel first');
	}
	return bot;
}

export function messageIn(ws: WorkspaceState, channel: ChannelRecord, messageId: string): MessageRecord {
	const message = ws.messages.find((m) => m.id === messageId && m.channelId === channel.id);
	if (!message) throw notFound();
	return message;
}

/** A message by ID, in the channel the input names or, without one, wherever the actor can see it. */
export function visibleMessage(ws: WorkspaceState, actor: User, input: Input, messageId: string): MessageRecord {
	if (input.has('channelId') || input.has('channel')) return messageIn(ws, channelFrom(ws, actor, input), messageId);
	const message = ws.messages.find((m) => m.id === messageId);
	const channel = message && ws.channels.find((c) => c.id === message.channelId);
	if (!message || !channel || !canSee(actor, channel)) throw notFound();
	return message;
}

export function threadRoot(ws: WorkspaceState, channel: ChannelRecord, rootId: string): MessageRecord {
	const root = messageIn(ws, channel, rootId);
	if (root.threadRootId !== null) throw legacyError('Replies can only be posted to a thread root message');
	return root;
}
