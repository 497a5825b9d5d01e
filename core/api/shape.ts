/** Small helpers that shape requests and answers the way Pumble sends and expects them. */
import type { Channel, ChannelEntry, ChannelRef } from '../types';

/**
 * What a write that Pumble answers with an empty body returns instead: what was done, to which IDs (IDs in
 * Pumble's lowercase form). Every host hands these on unchanged.
 */
export type EditedReceipt = {
	success: true;
	messageId: string;
	channelId: string;
};
export type DeletedMessageReceipt = {
	deleted: true;
	messageId: string;
};
export type DeletedScheduledMessageReceipt = {
	deleted: true;
	scheduledMessageId: string;
};
export type UsersAddedReceipt = {
	success: true;
	channelId: string;
	userIds: string[];
};
export type UserRemovedReceipt = {
	success: true;
	channelId: string;
	userId: string;
};
export type StatusSetReceipt = {
	success: true;
	/** The emoji code Pumble stores (e.g. `:palm_tree:`). */
	emoji: string;
	statusText: string;
	/** When it clears (epoch ms), or null for never. */
	expiresAt: number | null;
};

/** A channel as every host returns it (Get and Get Many alike): the channel's own fields, with its member IDs. */
export type FlatChannel = Channel & { users: string[] };

/** Pumble's `{ channel, users }` (an entry of /listChannels, the answer of /getChannel) as one flat object. */
export function flatChannel(entry: ChannelEntry): FlatChannel {
	return { ...entry.channel, users: entry.users ?? [] };
}

/** A channel as a query or body field: always by ID once names are resolved (see directory.ts). */
export function channelField(channelId: string): { channelId: string } {
	return { channelId };
}

/** A bare array, whatever came back (Pumble answers lists as bare arrays; a proxy may not). */
export function asArray<T>(value: T[]): T[] {
	return Array.isArray(value) ? value : [];
}

/** Replies of a thread: a bare array per the API descriptions, a `{messages}` envelope in some recordings. */
export function repliesOf<T>(answer: T[] | { messages?: T[] } | undefined | null): T[] {
	if (Array.isArray(answer)) return answer;
	return answer?.messages ?? [];
}

export function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function hasValues(value: unknown): boolean {
	if (Array.isArray(value)) return value.length > 0;
	return typeof value === 'string' && value.trim() !== '';
}

/** How a channel is named in messages: its ID, or its name in quotes. */
export function describeChannel(channel: ChannelRef): string {
	return 'id' in channel ? channel.id : `"${channel.name}"`;
}
