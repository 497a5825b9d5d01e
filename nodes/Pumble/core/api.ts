/**
 * Every Pumble operation, once. Each method validates its input (PumbleInputError before any request),
 * builds the request exactly as Pumble expects it, and returns what Pumble answered. The n8n nodes, the
 * trigger, the benchmark and the scripts all go through here.
 */
import { TtlCache } from './cache';
import { PumbleClient } from './client';
import { ENDPOINTS } from './endpoints';
import { PumbleApiError, PumbleInputError } from './errors';
import {
	optionalBlocks,
	optionalId,
	optionalText,
	requireId,
	requireIdList,
	requireInteger,
	requireText,
	toEmojiCode,
} from './normalize';
import { collectByCursor } from './pagination';
import { ReconciledReceipt, ReconcileSettings, SendReconciler } from './reconcile';
import {
	Channel,
	ChannelEntry,
	ChannelRef,
	ChannelType,
	Message,
	MessagePage,
	MessageReceipt,
	Recurrence,
	RECURRENCE_TYPES,
	ScheduledMessage,
	SearchResult,
	User,
	UserGroup,
} from './types';

/** Page size for message and scheduled-message lists: 100 was seen working live; the documented 200 never was. */
export const PAGE_SIZE = 100;
/** searchMessages accepts 1–20 per page. */
export const SEARCH_PAGE_SIZE = 20;

const listCache = new TtlCache<unknown>(30_000);
const myInfoCache = new TtlCache<unknown>(10 * 60_000);

export type SearchSort = 'newest' | 'oldest' | 'relevance';

export interface SendMessageInput {
	channel: ChannelRef;
	text: unknown;
	asBot?: boolean;
	blocks?: unknown;
	threadRootId?: unknown;
}

export interface RecurrenceInput {
	type: unknown;
	endAfterOccurrences?: unknown;
	endDate?: number;
}

export class PumbleApi {
	/** Sends, replies and DMs whose outcome is unknown are looked for before being sent again (reconcile.ts). */
	readonly sends: SendReconciler;

	constructor(
		readonly client: PumbleClient,
		reconcile: Partial<ReconcileSettings> = {},
	) {
		this.sends = new SendReconciler(this, reconcile);
	}

	// ---------------------------------------------------------------- users

	/** The user who owns the key. Cached per key for a while: it does not change. */
	myInfo(options: { fresh?: boolean } = {}): Promise<User> {
		const key = `${this.client.identity}:myInfo`;
		if (options.fresh) myInfoCache.invalidate(key);
		return myInfoCache.get(key, () => this.client.call<User>(ENDPOINTS.myInfo)) as Promise<User>;
	}

	listUsers(options: { cached?: boolean } = {}): Promise<User[]> {
		return this.cachedList('listUsers', options.cached, () => this.client.call<User[]>(ENDPOINTS.listUsers));
	}

	listUserGroups(): Promise<UserGroup[]> {
		return this.client.call<UserGroup[]>(ENDPOINTS.listUserGroups).then(asArray);
	}

	/** The API has no "get user": it is found in the user list (cached briefly). */
	async getUser(userId: unknown): Promise<User> {
		const id = requireId(userId, 'user', 'user ID');
		const user = (await this.listUsers({ cached: true })).find((candidate) => candidate.id === id);
		if (!user) {
			throw new PumbleApiError({
				operation: 'listUsers',
				apiMessage: `No user with ID ${id} in this workspace`,
				hint: 'Pick the user from the list, or check the ID.',
				outcome: 'rejected',
			});
		}
		return user;
	}

	async findUserByEmail(email: unknown): Promise<User> {
		const wanted = typeof email === 'string' ? email.trim().toLowerCase() : '';
		if (!wanted.includes('@')) {
			throw new PumbleInputError('user', `"${String(email)}" is not an email address`, 'Give the email the person uses in Pumble, e.g. ada@example.com.');
		}
		const user = (await this.listUsers({ cached: true })).find((candidate) => candidate.email?.toLowerCase() === wanted);
		if (!user) {
			throw new PumbleInputError('user', `No Pumble user has the email ${wanted}`, 'Check the spelling, or pick the user from the list.');
		}
		return user;
	}

	async setCustomStatus(input: { emoji: unknown; statusText?: unknown; expiresAt?: number }): Promise<void> {
		const { code } = toEmojiCode(input.emoji, 'emoji');
		const status = optionalText(input.statusText, 'statusText', 100);
		// Pumble requires expiresAt; the Pumble client itself uses this far-future value for "never".
		const expiresAt = input.expiresAt ?? NEVER_EXPIRES;
		if (input.expiresAt !== undefined && input.expiresAt <= Date.now()) {
			throw new PumbleInputError('expiresAt', 'The expiry is in the past', 'Leave "expiresAt" empty for a status that never expires, or give a future date.');
		}
		await this.client.call(ENDPOINTS.customStatus, { body: { code, ...(status ? { status } : {}), expiresAt } });
	}

	// ---------------------------------------------------------------- channels

	listChannels(options: { cached?: boolean } = {}): Promise<ChannelEntry[]> {
		return this.cachedList('listChannels', options.cached, () => this.client.call<ChannelEntry[]>(ENDPOINTS.listChannels));
	}

	getChannel(channel: ChannelRef): Promise<ChannelEntry> {
		return this.client.call<ChannelEntry>(ENDPOINTS.getChannel, { query: channelQuery(channel) });
	}

	async createChannel(input: { name: unknown; type: unknown; description?: unknown }): Promise<{ id: string; name: string }> {
		const name = typeof input.name === 'string' ? input.name.trim().replace(/^#/, '') : '';
		if (!name) throw new PumbleInputError('name', 'The channel name is empty', 'Give the new channel a name, e.g. project-updates.');
		if (name.length > 80 || !/^[\p{L}\p{N}_\- ]+$/u.test(name)) {
			throw new PumbleInputError(
				'name',
				`"${name.slice(0, 80)}" is not a valid channel name`,
				'Use 1–80 letters, digits, spaces, "-" or "_" (Pumble lowercases the name and turns spaces into "-").',
			);
		}
		const type = String(input.type ?? '').toUpperCase();
		if (type !== 'PUBLIC' && type !== 'PRIVATE') {
			throw new PumbleInputError('type', `"${String(input.type)}" is not a channel type`, 'Choose "public" or "private".');
		}
		const description = optionalText(input.description, 'description', 250);
		const receipt = await this.client.call<{ id: string; name: string }>(ENDPOINTS.createChannel, {
			body: { name, type, ...(description ? { description } : {}) },
		});
		this.forgetList('listChannels');
		return receipt;
	}

	async addUsersToChannel(channel: ChannelRef, userIds: unknown): Promise<void> {
		const ids = requireIdList(userIds, 'userIds', 'user ID');
		await this.client.call(ENDPOINTS.addUsersToChannel, { body: { channelId: await this.channelId(channel), userIds: ids } });
		this.forgetList('listChannels');
	}

	async removeUserFromChannel(channel: ChannelRef, userId: unknown): Promise<void> {
		const id = requireId(userId, 'user', 'user ID');
		await this.client.call(ENDPOINTS.removeUserFromChannel, { body: { channelId: await this.channelId(channel), userId: id } });
		this.forgetList('listChannels');
	}

	/** The channel's ID, looking a name up in the (briefly cached) channel list when needed. */
	async channelId(channel: ChannelRef): Promise<string> {
		if ('id' in channel) return channel.id;
		const wanted = channel.name.toLowerCase();
		const matches = (await this.listChannels({ cached: true })).filter((entry) => entry.channel.name?.toLowerCase() === wanted);
		if (matches.length === 0) {
			throw new PumbleInputError(
				'channel',
				`No channel named "${channel.name}" is visible to this API key`,
				"Check the name, or pick the channel from the list. Private channels are visible only to their members.",
			);
		}
		return matches[0].channel.id;
	}

	// ---------------------------------------------------------------- messages

	sendMessage(input: SendMessageInput): Promise<ReconciledReceipt> {
		const text = requireText(input.text);
		const blocks = optionalBlocks(input.blocks);
		const threadRootId = optionalId(input.threadRootId, 'threadRootId', 'message ID');
		const body = {
			...channelBody(input.channel),
			text,
			...(input.asBot ? { asBot: true } : {}),
			...(blocks ? { blocks } : {}),
			...(threadRootId ? { threadRootId } : {}),
		};
		return this.sends.send({
			operation: 'sendMessage',
			target: { kind: 'channel', channel: input.channel, threadRootId },
			text,
			asBot: input.asBot === true,
			send: () => this.client.call<MessageReceipt>(ENDPOINTS.sendMessage, { body }),
		});
	}

	sendReply(input: { channel: ChannelRef; messageId: unknown; text: unknown; asBot?: boolean; alsoSendToChannel?: boolean }): Promise<ReconciledReceipt> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		const text = requireText(input.text);
		const body = {
			...channelBody(input.channel),
			messageId,
			text,
			...(input.asBot ? { asBot: true } : {}),
			...(input.alsoSendToChannel ? { alsoSendToChannel: true } : {}),
		};
		return this.sends.send({
			operation: 'sendReply',
			target: { kind: 'channel', channel: input.channel, threadRootId: messageId },
			text,
			asBot: input.asBot === true,
			send: () => this.client.call<MessageReceipt>(ENDPOINTS.sendReply, { body }),
		});
	}

	async dmUser(input: { userId: unknown; text: unknown; asBot?: boolean }): Promise<ReconciledReceipt> {
		const userId = requireId(input.userId, 'user', 'user ID');
		const text = requireText(input.text);
		const body = { userId, text, ...(input.asBot ? { asBot: true } : {}) };
		return this.sends.send({
			operation: 'dmUser',
			target: { kind: 'dmUser', userId },
			text,
			asBot: input.asBot === true,
			send: () => this.client.call<MessageReceipt>(ENDPOINTS.dmUser, { body }),
		});
	}

	async dmGroup(input: { userIds: unknown; text: unknown; asBot?: boolean }): Promise<ReconciledReceipt> {
		const userIds = requireIdList(input.userIds, 'userIds', 'user ID', { min: 2, max: 8 });
		const text = requireText(input.text);
		const body = { userIds, text, ...(input.asBot ? { asBot: true } : {}) };
		return this.sends.send({
			operation: 'dmGroup',
			target: { kind: 'dmGroup', userIds },
			text,
			asBot: input.asBot === true,
			send: () => this.client.call<MessageReceipt>(ENDPOINTS.dmGroup, { body }),
		});
	}

	async editMessage(input: { channel: ChannelRef; messageId: unknown; text: unknown; blocks?: unknown }): Promise<void> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		const text = requireText(input.text);
		const blocks = optionalBlocks(input.blocks);
		await this.client.call(ENDPOINTS.editMessage, {
			body: { messageId, channelId: await this.channelId(input.channel), text, ...(blocks ? { blocks } : {}) },
		});
	}

	async deleteMessage(input: { channel: ChannelRef; messageId: unknown }): Promise<void> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		await this.client.call(ENDPOINTS.deleteMessage, { query: { ...channelQuery(input.channel), messageId } });
	}

	fetchMessage(input: { channel: ChannelRef; messageId: unknown }): Promise<Message> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		return this.client.call<Message>(ENDPOINTS.fetchMessage, { query: { ...channelQuery(input.channel), messageId } });
	}

	listMessagesPage(input: { channel: ChannelRef; cursor?: string; limit?: number; strategy?: 'BEFORE' | 'AFTER' | 'AROUND' }): Promise<MessagePage> {
		return this.client.call<MessagePage>(ENDPOINTS.listMessages, {
			query: {
				...channelQuery(input.channel),
				...(input.cursor ? { cursor: input.cursor, strategy: input.strategy ?? 'BEFORE' } : {}),
				limit: input.limit ?? PAGE_SIZE,
			},
		});
	}

	/** A channel's messages, newest first; `limit` undefined = all. `after`/`before` are epoch ms (exclusive). */
	listMessages(input: { channel: ChannelRef; limit?: number; after?: number; before?: number }): Promise<Message[]> {
		const { after, before } = input;
		if (after !== undefined && before !== undefined && after >= before) {
			throw new PumbleInputError('filters.after', '"After" is not earlier than "Before"', 'Set "After" to a date before "Before", or leave one empty.');
		}
		return collectByCursor<Message>({
			pageSize: PAGE_SIZE,
			limit: input.limit,
			fetchPage: async (cursor, pageSize) => {
				const page = await this.listMessagesPage({ channel: input.channel, cursor, limit: pageSize });
				return { items: page.messages ?? [], hasMore: page.hasMoreBefore };
			},
			judge: (message) => {
				if (after !== undefined && message.timestampMilli <= after) return 'stop';
				if (before !== undefined && message.timestampMilli >= before) return 'skip';
				return 'keep';
			},
		});
	}

	/** Replies of a thread, newest first. Accepts both the bare array and a `{messages}` envelope. */
	getThreadReplies(input: { channel: ChannelRef; messageId: unknown; limit?: number }): Promise<Message[]> {
		const rootMessageId = requireId(input.messageId, 'messageId', 'message ID');
		return collectByCursor<Message>({
			pageSize: PAGE_SIZE,
			limit: input.limit,
			fetchPage: async (cursor, pageSize) => ({
				items: await this.threadRepliesPage({ channel: input.channel, rootMessageId, cursor, limit: pageSize }),
			}),
		});
	}

	/** One page of a thread's replies, newest first; the (inclusive) cursor pages to older replies. */
	async threadRepliesPage(input: { channel: ChannelRef; rootMessageId: string; cursor?: string; limit?: number }): Promise<Message[]> {
		const answer = await this.client.call<Message[] | { messages?: Message[] }>(ENDPOINTS.fetchThreadReplies, {
			query: {
				...channelQuery(input.channel),
				rootMessageId: input.rootMessageId,
				...(input.cursor ? { cursor: input.cursor } : {}),
				limit: input.limit ?? PAGE_SIZE,
			},
		});
		return Array.isArray(answer) ? answer : (answer?.messages ?? []);
	}

	/**
	 * Search. Up to 20 results come from one request in the chosen order. More are paged by time:
	 * newest first with `beforeTs` = oldest timestamp − 1 (as Pumble's clients do), or — for the oldest N —
	 * oldest first with `afterTs` = newest timestamp. Timestamps have second precision, so a page boundary
	 * can split a second, so the boundary seconds are read again and merged by ID when hits may be missing. Relevance cannot be paged: beyond 20, results come newest first.
	 */
	async searchMessages(input: {
		query?: unknown;
		from?: unknown;
		in?: unknown;
		after?: number;
		before?: number;
		limit?: number;
		sort?: SearchSort;
	}): Promise<Message[]> {
		const text = typeof input.query === 'string' && input.query.trim() !== '' ? input.query.trim() : undefined;
		const from = hasValues(input.from) ? requireIdList(input.from, 'filters.from', 'user ID') : undefined;
		const inChannels = hasValues(input.in) ? requireIdList(input.in, 'filters.in', 'channel ID') : undefined;
		if (!text && !from && !inChannels) {
			throw new PumbleInputError('query', 'Nothing to search for', 'Give a search text, or filter by author ("From") or channel ("In").');
		}
		if (text && text.length > 500) {
			throw new PumbleInputError('query', `The search text is ${text.length} characters long; Pumble allows 500`, 'Shorten the search text.');
		}
		const sort = input.sort ?? 'newest';
		const base = { ...(text ? { text } : {}), ...(from ? { from } : {}), ...(inChannels ? { in: inChannels } : {}) };
		const search = (window: { afterTs?: number; beforeTs?: number }, limit: number, strategy: string) =>
			this.client.call<SearchResult>(ENDPOINTS.searchMessages, { body: { ...base, ...definedOnly(window), limit, strategy } });

		if (input.limit !== undefined && input.limit <= SEARCH_PAGE_SIZE) {
			const strategy = sort === 'relevance' ? 'MOST_RELEVANT' : sort === 'oldest' ? 'OLDEST' : 'NEWEST';
			const page = await search({ afterTs: input.after, beforeTs: input.before }, input.limit, strategy);
			return page.content ?? [];
		}

		const oldestFirst = sort === 'oldest';
		const byId = new Map<string, Message>();
		const boundaries: number[] = [];
		const window = { afterTs: input.after, beforeTs: input.before };
		let total: number | undefined;
		for (let pageNumber = 0; pageNumber < 10_000; pageNumber++) {
			const page = await search(window, SEARCH_PAGE_SIZE, oldestFirst ? 'OLDEST' : 'NEWEST');
			const hits = page.content ?? [];
			total ??= page.totalElements;
			let added = 0;
			for (const hit of hits) if (!byId.has(hit.id)) (byId.set(hit.id, hit), added++);
			if (input.limit !== undefined && byId.size >= input.limit) break;
			if (hits.length === 0 || added === 0 || page.hasMore === false) break;
			const times = hits.map((hit) => hit.timestampMilli);
			if (oldestFirst) {
				const newest = Math.max(...times);
				boundaries.push(newest);
				window.afterTs = newest;
			} else {
				const oldest = Math.min(...times);
				boundaries.push(oldest);
				window.beforeTs = oldest - 1;
			}
		}
		// A boundary second may have been split by a page break: re-read those seconds when Pumble's total
		// says hits are missing, or when the walk stopped at the limit (the total cannot tell then).
		const limitReached = input.limit !== undefined && byId.size >= input.limit;
		if (limitReached || (total !== undefined && byId.size < total)) {
			for (const second of boundaries) {
				const page = await search({ afterTs: second - 1, beforeTs: second + 1000 }, SEARCH_PAGE_SIZE, 'NEWEST');
				for (const hit of page.content ?? []) if (!byId.has(hit.id)) byId.set(hit.id, hit);
			}
		}
		const sorted = [...byId.values()].sort((a, b) => b.timestampMilli - a.timestampMilli);
		if (oldestFirst) sorted.reverse();
		return input.limit !== undefined ? sorted.slice(0, input.limit) : sorted;
	}

	addReaction(input: { channel: ChannelRef; messageId: unknown; emoji: unknown }): Promise<{ status: string }> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		const { code, skinTone } = toEmojiCode(input.emoji);
		return this.channelId(input.channel).then((channelId) =>
			this.client.call<{ status: string }>(ENDPOINTS.addReaction, {
				body: { messageId, channelId, reaction: code, ...(skinTone ? { skinTone } : {}) },
			}),
		);
	}

	removeReaction(input: { channel: ChannelRef; messageId: unknown; emoji: unknown }): Promise<{ status: string }> {
		const messageId = requireId(input.messageId, 'messageId', 'message ID');
		const { code } = toEmojiCode(input.emoji);
		return this.channelId(input.channel).then((channelId) =>
			this.client.call<{ status: string }>(ENDPOINTS.removeReaction, { query: { channelId, messageId, reaction: code } }),
		);
	}

	// ---------------------------------------------------------------- scheduled messages

	async createScheduledMessage(input: {
		channel: ChannelRef;
		text: unknown;
		sendAt: number;
		threadRootId?: unknown;
		alsoSendToChannel?: boolean;
		recurrence?: RecurrenceInput;
		blocks?: unknown;
	}): Promise<MessageReceipt> {
		const text = requireText(input.text);
		requireFuture(input.sendAt, 'sendAt');
		const threadRootId = optionalId(input.threadRootId, 'options.threadRootId', 'message ID');
		const recurrence = toRecurrence(input.recurrence);
		const blocks = optionalBlocks(input.blocks, 'options.blocks');
		return this.client.call<MessageReceipt>(ENDPOINTS.createScheduledMessage, {
			body: {
				channelId: await this.channelId(input.channel),
				text,
				sendAt: input.sendAt,
				...(threadRootId ? { threadRootId } : {}),
				...(input.alsoSendToChannel ? { alsoSendToChannel: true } : {}),
				...(recurrence ? { recurrence } : {}),
				...(blocks ? { blocks } : {}),
			},
		});
	}

	fetchScheduledMessage(id: unknown): Promise<ScheduledMessage> {
		const scheduledMessageId = requireId(id, 'scheduledMessageId', 'scheduled message ID');
		return this.client.call<ScheduledMessage>(ENDPOINTS.fetchScheduledMessage, { query: { scheduledMessageId } });
	}

	async listScheduledMessages(input: { channel?: ChannelRef; limit?: number } = {}): Promise<ScheduledMessage[]> {
		const channelId = input.channel ? await this.channelId(input.channel) : undefined;
		return collectByCursor<ScheduledMessage>({
			pageSize: PAGE_SIZE,
			limit: input.limit,
			fetchPage: async (cursor, pageSize) => {
				const page = await this.client.call<{ scheduledMessages?: ScheduledMessage[]; hasMore?: boolean }>(ENDPOINTS.fetchScheduledMessages, {
					query: { ...(channelId ? { channelId } : {}), ...(cursor ? { cursor } : {}), limit: pageSize },
				});
				return { items: page.scheduledMessages ?? [], hasMore: page.hasMore ?? false };
			},
		});
	}

	/** Pumble needs channel, text and sendAt on every edit, so unchanged fields are read first. */
	async editScheduledMessage(input: {
		scheduledMessageId: unknown;
		channel?: ChannelRef;
		text?: unknown;
		sendAt?: number;
		recurrence?: RecurrenceInput | null;
	}): Promise<ScheduledMessage> {
		const scheduledMessageId = requireId(input.scheduledMessageId, 'scheduledMessageId', 'scheduled message ID');
		const text = input.text !== undefined ? requireText(input.text, 'updateFields.text') : undefined;
		if (input.sendAt !== undefined) requireFuture(input.sendAt, 'updateFields.sendAt');
		const recurrence = input.recurrence ? toRecurrence(input.recurrence) : input.recurrence;
		const channelId = input.channel ? await this.channelId(input.channel) : undefined;
		const current = await this.fetchScheduledMessage(scheduledMessageId);
		return this.client.call<ScheduledMessage>(ENDPOINTS.editScheduledMessage, {
			body: {
				scheduledMessageId,
				channelId: channelId ?? current.channelId,
				text: text ?? current.text,
				sendAt: input.sendAt ?? current.sendAt,
				// null stops the repetition; left out, Pumble keeps the current one.
				...(recurrence !== undefined ? { recurrence } : current.recurrence ? { recurrence: current.recurrence } : {}),
				...(current.blocks && text === undefined ? { blocks: current.blocks } : {}),
			},
		});
	}

	async deleteScheduledMessage(id: unknown): Promise<void> {
		const scheduledMessageId = requireId(id, 'scheduledMessageId', 'scheduled message ID');
		await this.client.call(ENDPOINTS.deleteScheduledMessage, { query: { scheduledMessageId } });
	}

	// ---------------------------------------------------------------- helpers

	private cachedList<T>(name: 'listChannels' | 'listUsers', cached: boolean | undefined, load: () => Promise<T[]>): Promise<T[]> {
		if (!cached) {
			const fresh = load().then(asArray);
			listCache.invalidate(`${this.client.identity}:${name}`);
			return fresh;
		}
		return listCache.get(`${this.client.identity}:${name}`, () => load().then(asArray)) as Promise<T[]>;
	}

	private forgetList(name: 'listChannels' | 'listUsers'): void {
		listCache.invalidate(`${this.client.identity}:${name}`);
	}
}

/** The value Pumble's own client sends for a status that never expires. */
export const NEVER_EXPIRES = 4_093_062_627_467;

export const CHANNEL_TYPES: Record<'public' | 'private' | 'direct' | 'self', ChannelType> = {
	public: 'PUBLIC',
	private: 'PRIVATE',
	direct: 'DIRECT',
	self: 'SELF',
};

function channelQuery(channel: ChannelRef): Record<string, string> {
	return 'id' in channel ? { channelId: channel.id } : { channel: channel.name };
}

const channelBody = channelQuery;

function asArray<T>(value: T[]): T[] {
	return Array.isArray(value) ? value : [];
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function hasValues(value: unknown): boolean {
	if (Array.isArray(value)) return value.length > 0;
	return typeof value === 'string' && value.trim() !== '';
}

function requireFuture(epochMs: number, parameter: string): void {
	if (epochMs <= Date.now()) {
		throw new PumbleInputError(parameter, `${new Date(epochMs).toISOString()} is in the past`, `Pumble sends scheduled messages only in the future: set "${parameter}" to a later time.`);
	}
}

function toRecurrence(input: RecurrenceInput | undefined): Recurrence | undefined {
	if (!input || input.type === undefined || input.type === '' || input.type === 'none') return undefined;
	const recurrenceType = String(input.type).toUpperCase() as Recurrence['recurrenceType'];
	if (!RECURRENCE_TYPES.includes(recurrenceType)) {
		throw new PumbleInputError('options.recurrence', `"${String(input.type)}" is not a recurrence`, `Choose one of ${RECURRENCE_TYPES.join(', ')}.`);
	}
	const endAfterOccurrences =
		input.endAfterOccurrences !== undefined && input.endAfterOccurrences !== '' && input.endAfterOccurrences !== 0
			? requireInteger(input.endAfterOccurrences, 'options.recurrence.endAfterOccurrences', 1, 9999)
			: undefined;
	return {
		recurrenceType,
		...(endAfterOccurrences ? { endAfterOccurrences } : {}),
		...(input.endDate !== undefined ? { endDate: input.endDate } : {}),
	};
}

export type { Channel };
