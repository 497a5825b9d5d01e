/**
 * What the poller reads from Pumble: a narrow reader, implemented over PumbleApi's public methods
 * (the one road to Pumble: shared limiter, retries, one error type). Tests give an in-memory one.
 */
import type { PumbleApi } from '../api';
import { processState } from '../processState';
import type { ChannelEntry, Message, MessagePage, User, UserGroup } from '../types';

export interface PollSource {
	/** Who reads (the credential's identity hash, never the key), when known: scopes what a trigger remembers. */
	readonly identity?: string;
	listMessagesPage(input: { channelId: string; cursor?: string; strategy?: 'BEFORE' | 'AFTER'; limit: number }): Promise<MessagePage>;
	/** Replies of a thread, newest first; an inclusive cursor pages to older replies. */
	threadRepliesPage(input: { channelId: string; rootId: string; cursor?: string; limit: number }): Promise<Message[]>;
	listChannels(): Promise<ChannelEntry[]>;
	/**
	 * A channel given by name, by the API's one rule: the cached channel list, read again once on a miss.
	 * Rejects with a PumbleInputError when no visible channel has that name.
	 */
	channelId(name: string): Promise<string>;
	myInfo(): Promise<User>;
	/** `fresh`: bypass any cache (an author was not in the cached list). */
	listUsers(options: { fresh: boolean }): Promise<User[]>;
	listUserGroups(): Promise<UserGroup[]>;
}

/** Users and groups change rarely; a poll that must judge authors reads them at most every 10 minutes. */
const WORKSPACE_TTL_MS = 10 * 60_000;
const users = processState.loadingCache<User[]>('poller.users', { ttlMs: WORKSPACE_TTL_MS });
const groups = processState.loadingCache<UserGroup[]>('poller.userGroups', { ttlMs: WORKSPACE_TTL_MS });

export function pollSourceFor(api: PumbleApi): PollSource {
	const identity = api.client.identity;
	return {
		identity,
		listMessagesPage: ({ channelId, cursor, strategy, limit }) => api.listMessagesPage({ channel: { id: channelId }, cursor, strategy, limit }),
		threadRepliesPage: ({ channelId, rootId, cursor, limit }) => api.threadRepliesPage({ channel: { id: channelId }, rootMessageId: rootId, cursor, limit }),
		listChannels: () => api.listChannels(),
		channelId: (name) => api.channelId({ name }),
		myInfo: () => api.myInfo(),
		listUsers: ({ fresh }) => {
			if (fresh) users.invalidate(identity);
			return users.get(identity, () => api.listUsers());
		},
		listUserGroups: () => groups.get(identity, () => api.listUserGroups()),
	};
}
