/**
 * The in-memory workspace and the 26 API operations acting on it.
 *
 * Records are stored plainly (JSON-serialisable, inspectable by tests); the API shapes are rendered
 * per request because some fields depend on the viewer (`isMember`, `isFollowing`).
 * Every operation validates its input before touching state, so a rejected request changes nothing.
 */
import { createHash } from 'node:crypto';

import { ADDON_BOT_OF, IDS, buildSeed } from './seed';
import { Input, channelNotFound, legacyError, notFound, validationError } from './validation';

// ---- stored records ---------------------------------------------------------------------------

export type ChannelType = 'PUBLIC' | 'PRIVATE' | 'DIRECT' | 'SELF';

export interface CustomStatus {
	code: string;
	status: string;
	expiration: string | null;
	expiresAt: number;
	showUntil: number | null;
}

export interface User {
	id: string;
	email: string;
	name: string;
	role: string;
	status: 'ACTIVATED' | 'DEACTIVATED' | 'INVITED';
	workspaceId: string;
	isAddonBot: boolean;
	isPumbleBot: boolean;
	title: string;
	phone: string;
	timeZoneId: string;
	automaticallyTimeZone: boolean;
	avatar: { fullPath: string; scaledPath: string };
	customStatus: CustomStatus | null;
}

export interface UserGroup {
	id: string;
	name: string;
	handle: string;
	description: string | null;
	disabled: boolean;
	createdBy: string;
	workspaceId: string;
	workspaceUserIds: string[];
}

export interface ChannelRecord {
	id: string;
	/** `""` for DIRECT and SELF channels. */
	name: string;
	channelType: ChannelType;
	description: string;
	creatorId: string;
	createdMilli: number;
	members: string[];
	isArchived: boolean;
	isMain: boolean;
}

export interface Reaction {
	user: string;
	code: string;
}

export interface MessageRecord {
	id: string;
	/** Insertion order: the tiebreak between messages sharing a (whole-second) timestamp. */
	seq: number;
	channelId: string;
	author: string;
	text: string;
	blocks: unknown[] | null;
	/** Whole seconds, as the API reports it. */
	timestampMilli: number;
	/** Untruncated arrival time; only surfaces as a thread's `lastMarkTimestampMilli`. */
	createdMilli: number;
	reactions: Reaction[];
	threadRootId: string | null;
	/** A reply posted with `alsoSendToChannel`: listed in the channel as well as the thread. */
	sentToChannel: boolean;
	edited: boolean;
}

export const RECURRENCE_TYPES = [
	'DAILY',
	'BUSINESSDAYS',
	'WEEKLY',
	'BIWEEKLY',
	'MONTHLY_NTH_WEEKDAY',
	'MONTHLY_LAST_WEEKDAY',
	'QUARTERLY_NTH_WEEKDAY',
	'QUARTERLY_LAST_WEEKDAY',
	'ANNUALLY',
] as const;

export interface Recurrence {
	recurrenceType: (typeof RECURRENCE_TYPES)[number];
	endAfterOccurrences: number | null;
	endDate: number | null;
}

export interface ScheduledRecord {
	id: string;
	seq: number;
	channelId: string;
	author: string;
	text: string;
	sendAt: number;
	blocks: unknown[] | null;
	threadRootId: string | null;
	alsoSendToChannel: boolean;
	recurrence: Recurrence | null;
}

// ---- rendered API objects ---------------------------------------------------------------------

export interface Channel {
	id: string;
	name: string;
	channelType: ChannelType;
	workspaceId: string;
	description: string;
	isMember: boolean;
	isMuted: boolean;
	isHidden: boolean;
	isArchived: boolean;
	isMain: boolean;
	isInitial: boolean;
	isAddonBot: boolean;
	isPumbleBot: boolean;
	notifyAboutRepliesInThreads: boolean;
	sectionId: string | null;
	creatorId: string;
	addedById: string | null;
	timestamp: string;
	timestampMilli: number;
	lastMessageTimestamp: string | null;
	lastMessageTimestampMilli: number | null;
	postingPermissions: {
		allowThreads: boolean;
		allowMentions: boolean;
		postingPermissionsGroup: 'EVERYONE';
		workspaceUserIds: string[];
	};
}

export interface ChannelListEntry {
	channel: Channel;
	users: string[];
}

export interface ThreadRootInfo {
	repliesCount: number;
	repliers: string[];
	lastReplyTimestamp: string;
	lastReplyTimestampMilli: number;
	lastMarkTimestamp: string;
	lastMarkTimestampMilli: number;
	isFollowing: boolean;
}

export interface ThreadReplyInfo {
	rootId: string;
	replySentToChannel: boolean;
	rootText: string;
}

export interface Message {
	id: string;
	channelId: string;
	workspaceId: string;
	author: string;
	authorAppId: string | null;
	text: string;
	timestamp: string;
	timestampMilli: number;
	subtype: string;
	blocks: unknown[] | null;
	attachments: unknown[];
	files: unknown[];
	reactions: Reaction[];
	linkPreviews: unknown[];
	threadRootInfo: ThreadRootInfo | null;
	threadReplyInfo: ThreadReplyInfo | null;
	edited: boolean;
	deleted: boolean;
}

export interface SearchHit extends Message {
	highlightedBlocks: unknown[];
}

export interface ScheduledMessage {
	id: string;
	channelId: string;
	workspaceId: string;
	author: string;
	text: string;
	sendAt: number;
	blocks: unknown[] | null;
	attachments: unknown[];
	files: unknown[];
	threadRootId: string | null;
	rootText: string | null;
	alsoSendToChannel: boolean;
	quotedMessage: null;
	recurrence: Recurrence | null;
}

export interface Receipt {
	id: string;
	channelId: string;
}

export interface MessagePage {
	messages: Message[];
	hasMoreBefore: boolean;
	hasMoreAfter: boolean;
}

export interface SearchResult {
	content: SearchHit[];
	totalElements: number;
	hasMore: boolean;
}

export interface WorkspaceSnapshot {
	workspaceId: string;
	users: User[];
	channels: ChannelRecord[];
	messages: MessageRecord[];
	scheduled: ScheduledRecord[];
	userGroups: UserGroup[];
}

export interface WorkspaceEnv {
	now(): number;
	cursorInclusive(): boolean;
	listAfterOrder(): 'newestFirst' | 'oldestFirst';
	botDm(): 'botInUserDm' | 'asUser' | 'botOwnDm';
}

export interface PostOptions {
	threadRootId?: string;
	timestampMilli?: number;
	asBot?: boolean;
	alsoSendToChannel?: boolean;
}

// ---- limits and helpers -----------------------------------------------------------------------

const TEXT_MAX = 10_000;
const MESSAGE_PAGE = { min: 1, max: 200 } as const;
const SEARCH_PAGE = { min: 1, max: 20 } as const;
const PAGE_STRATEGIES = ['BEFORE', 'AFTER', 'AROUND'] as const;
const SEARCH_STRATEGIES = ['MOST_RELEVANT', 'MOST_RECENT', 'NEWEST', 'OLDEST'] as const;
const EMOJI_CODE = /^:[a-z0-9_+\-]+:$/;
const CHANNEL_NAME = /^[a-z0-9_\- ]{1,80}$/;
const DM_MAX_OTHERS = 8;
const EXPIRATIONS = ['never', 'min30', 'hour1', 'hour4', 'today', 'thisWeek', 'custom'] as const;

type PageStrategy = (typeof PAGE_STRATEGIES)[number];

/** ISO-8601 UTC at second precision, as the API writes it: `2026-05-22T00:47:01Z`. */
export function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function wholeSeconds(ms: number): number {
	return Math.floor(ms / 1000) * 1000;
}

function chronological(a: MessageRecord, b: MessageRecord): number {
	return a.timestampMilli - b.timestampMilli || a.seq - b.seq;
}

/** A stable order that is deliberately not chronological, standing in for search relevance. */
function relevanceKey(id: string): string {
	return createHash('sha1').update(id).digest('hex');
}

function validateEmojiCode(name: string, code: string, maxLength: number): void {
	if (!EMOJI_CODE.test(code)) throw validationError(`${name} must be an emoji code in :name: form, e.g. :+1:`);
	if (code.length < 3 || code.length > maxLength) {
		throw validationError(`${name} size must be between 3 and ${maxLength}`);
	}
}

/**
 * One page of `items` (sorted oldest first) around an optional cursor index, as [start, end).
 * Inclusive cursors return the cursor item plus up to `limit` items in the paging direction,
 * which is why the real API hands back N+1 items after a cursor.
 */
function pageBounds(
	length: number,
	cursor: number | undefined,
	limit: number,
	strategy: PageStrategy,
	inclusive: boolean,
): { start: number; end: number; skip?: number } {
	if (cursor === undefined) return { start: Math.max(0, length - limit), end: length };
	switch (strategy) {
		case 'BEFORE':
			return { start: Math.max(0, cursor - limit), end: inclusive ? cursor + 1 : cursor };
		case 'AFTER':
			return { start: inclusive ? cursor : cursor + 1, end: Math.min(length, cursor + 1 + limit) };
		case 'AROUND': {
			const older = Math.floor(limit / 2);
			return {
				start: Math.max(0, cursor - older),
				end: Math.min(length, cursor + 1 + (limit - older)),
				skip: inclusive ? undefined : cursor,
			};
		}
	}
}

function takePage<T>(
	items: T[],
	cursor: number | undefined,
	limit: number,
	strategy: PageStrategy,
	inclusive: boolean,
): { page: T[]; hasMoreBefore: boolean; hasMoreAfter: boolean } {
	const { start, end, skip } = pageBounds(items.length, cursor, limit, strategy, inclusive);
	const page: T[] = [];
	for (let i = end - 1; i >= start; i--) if (i !== skip) page.push(items[i]);
	return { page, hasMoreBefore: start > 0, hasMoreAfter: end < items.length };
}

// ---- the workspace ----------------------------------------------------------------------------

export class Workspace {
	readonly id: string = IDS.workspace;
	users: User[] = [];
	channels: ChannelRecord[] = [];
	/** Insertion order; deleted messages are removed. */
	messages: MessageRecord[] = [];
	scheduled: ScheduledRecord[] = [];
	userGroups: UserGroup[] = [];

	private seq = 0;
	private idCounter = 0;

	constructor(private readonly env: WorkspaceEnv) {}

	/** Back to the seed. Arrays are replaced, so re-read `state.messages` etc. after a reset. */
	reset(seedMessages: number): void {
		const seed = buildSeed(this.env.now(), seedMessages);
		this.users = seed.users;
		this.channels = seed.channels;
		this.messages = seed.messages;
		this.userGroups = seed.userGroups;
		this.scheduled = [];
		this.seq = seed.messages.length;
		this.idCounter = 0;
	}

	snapshot(): WorkspaceSnapshot {
		return {
			workspaceId: this.id,
			users: this.users,
			channels: this.channels,
			messages: this.messages,
			scheduled: this.scheduled,
			userGroups: this.userGroups,
		};
	}

	userById(id: string): User | undefined {
		return this.users.find((u) => u.id === id);
	}

	// ---- channels -----------------------------------------------------------------------------

	listChannels(actor: User): ChannelListEntry[] {
		return this.channels.filter((c) => this.canSee(actor, c)).map((c) => this.entry(c, actor));
	}

	getChannel(actor: User, input: Input): ChannelListEntry {
		return this.entry(this.channelFrom(actor, input), actor);
	}

	createChannel(actor: User, input: Input): { id: string; name: string } {
		const rawName = input.string('name').trim().toLowerCase();
		const type = input.enum('type', ['PUBLIC', 'PRIVATE'] as const);
		const description = input.optionalString('description') ?? '';
		if (!CHANNEL_NAME.test(rawName)) {
			throw validationError('name must be 1 to 80 characters of letters, digits, "_", "-" or spaces');
		}
		if (description.length > 250) throw validationError('description size must be between 0 and 250');
		const name = rawName.replace(/ /g, '-');
		if (this.channels.some((c) => c.name === name && (c.channelType === 'PUBLIC' || c.channelType === 'PRIVATE'))) {
			throw legacyError('Channel name already taken');
		}
		const channel: ChannelRecord = {
			id: this.newId(),
			name,
			channelType: type,
			description,
			creatorId: actor.id,
			createdMilli: wholeSeconds(this.env.now()),
			members: [actor.id],
			isArchived: false,
			isMain: false,
		};
		this.channels.push(channel);
		return { id: channel.id, name: channel.name };
	}

	addUsersToChannel(actor: User, input: Input): void {
		const channelId = input.string('channelId');
		const userIds = input.optionalStringArray('userIds');
		if (userIds === undefined || userIds.length === 0) throw validationError('userIds must not be empty');
		const channel = this.visibleChannel(actor, channelId);
		this.requireGroupChannel(channel);
		const users = userIds.map((id) => this.activeUser(id));
		for (const user of users) if (!channel.members.includes(user.id)) channel.members.push(user.id);
	}

	removeUserFromChannel(actor: User, input: Input): void {
		const channelId = input.string('channelId');
		const userId = input.string('userId');
		const channel = this.visibleChannel(actor, channelId);
		this.requireGroupChannel(channel);
		const index = channel.members.indexOf(userId);
		if (index < 0) throw legacyError('User is not a member of this channel');
		channel.members.splice(index, 1);
	}

	// ---- messages -----------------------------------------------------------------------------

	sendMessage(actor: User, input: Input): Receipt {
		const text = input.text('text', TEXT_MAX);
		const blocks = input.optionalArray('blocks') ?? null;
		const asBot = input.bool('asBot');
		const threadRootId = input.optionalString('threadRootId');
		const alsoSendToChannel = input.bool('alsoSendToChannel');
		const channel = this.channelFrom(actor, input);
		const author = asBot ? this.botAuthor(actor, channel) : actor.id;
		const root = threadRootId === undefined ? undefined : this.threadRoot(channel, threadRootId);
		const message = this.insert(channel, author, text, { blocks, root, alsoSendToChannel });
		return { id: message.id, channelId: channel.id };
	}

	sendReply(actor: User, input: Input): Receipt {
		const rootId = input.string('messageId');
		const text = input.text('text', TEXT_MAX);
		const asBot = input.bool('asBot');
		const alsoSendToChannel = input.bool('alsoSendToChannel');
		const channel = this.channelFrom(actor, input);
		const author = asBot ? this.botAuthor(actor, channel) : actor.id;
		const root = this.threadRoot(channel, rootId);
		const message = this.insert(channel, author, text, { blocks: null, root, alsoSendToChannel });
		return { id: message.id, channelId: channel.id };
	}

	editMessage(actor: User, input: Input): void {
		const messageId = input.string('messageId');
		const channelId = input.string('channelId');
		const text = input.text('text', TEXT_MAX);
		const blocks = input.optionalArray('blocks') ?? null;
		const message = this.messageIn(this.visibleChannel(actor, channelId), messageId);
		if (!this.actsAs(actor, message.author)) throw legacyError('Only the author of a message can edit it');
		message.text = text;
		message.blocks = blocks;
		message.edited = true;
	}

	deleteMessage(actor: User, input: Input): void {
		const messageId = input.string('messageId');
		const message = this.messageIn(this.channelFrom(actor, input), messageId);
		if (!this.actsAs(actor, message.author) && actor.role !== 'OWNER') {
			throw legacyError('Only the author or a workspace owner can delete a message');
		}
		this.messages.splice(this.messages.indexOf(message), 1);
	}

	fetchMessage(actor: User, input: Input): Message {
		const messageId = input.string('messageId');
		if (input.has('channelId') || input.has('channel')) {
			return this.render(this.messageIn(this.channelFrom(actor, input), messageId), actor.id);
		}
		const message = this.messages.find((m) => m.id === messageId);
		const channel = message && this.channels.find((c) => c.id === message.channelId);
		if (!message || !channel || !this.canSee(actor, channel)) throw notFound();
		return this.render(message, actor.id);
	}

	listMessages(actor: User, input: Input): MessagePage {
		const { cursor, limit, strategy } = this.pageParams(input);
		const channel = this.channelFrom(actor, input);
		const listed = this.messages
			.filter((m) => m.channelId === channel.id && (m.threadRootId === null || m.sentToChannel))
			.sort(chronological);
		const { page, hasMoreBefore, hasMoreAfter } = takePage(
			listed,
			this.cursorIndex(listed, cursor),
			limit,
			strategy,
			this.env.cursorInclusive(),
		);
		// Same messages either way; oldest first puts the cursor first and the newest (the next cursor) last.
		if (strategy === 'AFTER' && this.env.listAfterOrder() === 'oldestFirst') page.reverse();
		return { messages: page.map((m) => this.render(m, actor.id)), hasMoreBefore, hasMoreAfter };
	}

	fetchThreadReplies(actor: User, input: Input): Message[] {
		const rootId = input.string('rootMessageId');
		const { cursor, limit, strategy } = this.pageParams(input);
		const root = this.threadRoot(this.channelFrom(actor, input), rootId);
		const replies = this.repliesTo(root);
		const { page } = takePage(replies, this.cursorIndex(replies, cursor), limit, strategy, this.env.cursorInclusive());
		return page.map((m) => this.render(m, actor.id));
	}

	searchMessages(actor: User, input: Input): SearchResult {
		const text = input.optionalString('text');
		const from = input.optionalStringArray('from');
		const within = input.optionalStringArray('in');
		const limit = input.optionalInt('limit', SEARCH_PAGE) ?? 10;
		const strategy = input.optionalEnum('strategy', SEARCH_STRATEGIES) ?? 'MOST_RELEVANT';
		const afterTs = input.optionalInt('afterTs');
		const beforeTs = input.optionalInt('beforeTs');
		if (text !== undefined && text.length > 1000) throw validationError('text size must be between 0 and 1000');
		if (!text?.trim() && !from?.length && !within?.length) {
			throw validationError('at least one of text, from or in must be given');
		}

		// A search index only covers what the caller can see; naming another channel finds nothing.
		const visible = new Set(this.channels.filter((c) => this.canSee(actor, c)).map((c) => c.id));
		const inChannels =
			within && within.length > 0
				? new Set(within.map((ref) => this.channels.find((c) => c.id === ref || (c.name !== '' && c.name === ref))?.id))
				: undefined;
		const needle = text?.trim().toLowerCase();
		const hits = this.messages.filter(
			(m) =>
				visible.has(m.channelId) &&
				(!inChannels || inChannels.has(m.channelId)) &&
				(!from?.length || from.includes(m.author)) &&
				(!needle || m.text.toLowerCase().includes(needle)) &&
				(afterTs === undefined || m.timestampMilli > afterTs) &&
				(beforeTs === undefined || m.timestampMilli < beforeTs),
		);

		if (strategy === 'OLDEST') hits.sort(chronological);
		else if (strategy === 'MOST_RELEVANT') {
			hits.sort((a, b) => (relevanceKey(a.id) < relevanceKey(b.id) ? -1 : 1));
		} else hits.sort((a, b) => chronological(b, a));

		return {
			content: hits.slice(0, limit).map((m) => ({ ...this.render(m, actor.id), highlightedBlocks: [] })),
			totalElements: hits.length,
			hasMore: hits.length > limit,
		};
	}

	addReaction(actor: User, input: Input): { status: 'ok' } {
		const { message, code } = this.reactionTarget(actor, input);
		if (!message.reactions.some((r) => r.user === actor.id && r.code === code)) {
			message.reactions.push({ user: actor.id, code });
		}
		return { status: 'ok' };
	}

	removeReaction(actor: User, input: Input): { status: 'ok' } {
		const { message, code } = this.reactionTarget(actor, input);
		message.reactions = message.reactions.filter((r) => !(r.user === actor.id && r.code === code));
		return { status: 'ok' };
	}

	dmUser(actor: User, input: Input): Receipt {
		const userId = input.optionalString('userId');
		const email = input.optionalString('email');
		const text = input.text('text', TEXT_MAX);
		const asBot = input.bool('asBot');
		if (userId === undefined && email === undefined) throw validationError('userId must not be null');
		const other = userId !== undefined ? this.activeUser(userId) : this.activeUserByEmail(email ?? '');
		if (other.id === actor.id) throw legacyError('You cannot send a direct message to yourself');
		return this.sendDm(actor, [other.id], text, asBot);
	}

	dmGroup(actor: User, input: Input): Receipt {
		const userIds = input.optionalStringArray('userIds');
		const emails = input.optionalStringArray('emails');
		const text = input.text('text', TEXT_MAX);
		const asBot = input.bool('asBot');
		if (userIds === undefined && emails === undefined) throw validationError('userIds must not be null');
		const others = (userIds ?? []).map((id) => this.activeUser(id).id);
		for (const email of emails ?? []) others.push(this.activeUserByEmail(email).id);
		// Naming yourself among the recipients is tolerated: you are in the conversation anyway.
		const recipients = others.filter((id) => id !== actor.id);
		if (new Set(recipients).size !== recipients.length) throw validationError('userIds must be distinct');
		if (recipients.length < 1 || recipients.length > DM_MAX_OTHERS) {
			throw validationError(`userIds must name between 1 and ${DM_MAX_OTHERS} other users`);
		}
		return this.sendDm(actor, recipients, text, asBot);
	}

	/** Traffic injected by tests: no visibility or rate checks, but the channel and root must exist. */
	postAs(userId: string, channelId: string, text: string, options: PostOptions = {}): Message {
		const poster = this.userById(userId);
		if (!poster) throw legacyError(`Could not find user ${userId}`);
		const channel = this.channels.find((c) => c.id === channelId);
		if (!channel) throw channelNotFound();
		const author = options.asBot ? (ADDON_BOT_OF[poster.id] ?? poster.id) : poster.id;
		const root = options.threadRootId === undefined ? undefined : this.threadRoot(channel, options.threadRootId);
		const message = this.insert(channel, author, text, {
			root,
			alsoSendToChannel: options.alsoSendToChannel,
			timestampMilli: options.timestampMilli,
		});
		return this.render(message, poster.id);
	}

	// ---- scheduled messages -------------------------------------------------------------------

	createScheduledMessage(actor: User, input: Input): Receipt {
		const channelId = input.string('channelId');
		const text = input.text('text', TEXT_MAX);
		const sendAt = this.futureSendAt(input);
		const blocks = input.optionalArray('blocks') ?? null;
		const threadRootId = input.optionalString('threadRootId') ?? null;
		const alsoSendToChannel = input.bool('alsoSendToChannel');
		const recurrence = this.recurrence(input);
		const channel = this.visibleChannel(actor, channelId);
		if (threadRootId !== null) this.threadRoot(channel, threadRootId);
		const record: ScheduledRecord = {
			id: this.newId(),
			seq: ++this.seq,
			channelId: channel.id,
			author: actor.id,
			text,
			sendAt,
			blocks,
			threadRootId,
			alsoSendToChannel,
			recurrence,
		};
		this.scheduled.push(record);
		return { id: record.id, channelId: record.channelId };
	}

	fetchScheduledMessages(actor: User, input: Input): { scheduledMessages: ScheduledMessage[]; hasMore: boolean } {
		const channelId = input.optionalString('channelId');
		const cursor = input.optionalString('cursor');
		const limit = input.optionalInt('limit', MESSAGE_PAGE) ?? 100;
		if (channelId !== undefined) this.visibleChannel(actor, channelId);
		const mine = this.scheduled
			.filter((s) => s.author === actor.id && (channelId === undefined || s.channelId === channelId))
			.sort((a, b) => a.sendAt - b.sendAt || a.seq - b.seq);
		let start = 0;
		if (cursor !== undefined) {
			const index = mine.findIndex((s) => s.id === cursor);
			if (index < 0) throw notFound();
			start = this.env.cursorInclusive() ? index : index + 1;
		}
		const end = Math.min(mine.length, start + limit);
		return {
			scheduledMessages: mine.slice(start, end).map((s) => this.renderScheduled(s)),
			hasMore: end < mine.length,
		};
	}

	fetchScheduledMessage(actor: User, input: Input): ScheduledMessage {
		return this.renderScheduled(this.ownScheduled(actor, input.string('scheduledMessageId')));
	}

	editScheduledMessage(actor: User, input: Input): ScheduledMessage {
		// The server insists on all four even when unchanged; report every missing one at once.
		const missing = ['scheduledMessageId', 'channelId', 'text', 'sendAt'].filter((name) => !input.has(name));
		if (missing.length > 0) throw validationError(missing.map((name) => `${name} must not be null`).join(', '));
		const id = input.string('scheduledMessageId');
		const channelId = input.string('channelId');
		const text = input.text('text', TEXT_MAX);
		const sendAt = this.futureSendAt(input);
		const blocks = input.optionalArray('blocks');
		// Left out: keep the current recurrence; null: stop repeating.
		const recurrence = input.isNull('recurrence') ? null : input.has('recurrence') ? this.recurrence(input) : undefined;
		const record = this.ownScheduled(actor, id);
		const channel = this.visibleChannel(actor, channelId);
		if (record.threadRootId !== null && channel.id !== record.channelId) {
			throw legacyError('A scheduled thread reply cannot move to another channel');
		}
		record.channelId = channel.id;
		record.text = text;
		record.sendAt = sendAt;
		if (blocks !== undefined) record.blocks = blocks;
		if (recurrence !== undefined) record.recurrence = recurrence;
		return this.renderScheduled(record);
	}

	deleteScheduledMessage(actor: User, input: Input): void {
		const record = this.ownScheduled(actor, input.string('scheduledMessageId'));
		this.scheduled.splice(this.scheduled.indexOf(record), 1);
	}

	// ---- users --------------------------------------------------------------------------------

	listUsers(): User[] {
		return this.users;
	}

	listUserGroups(): UserGroup[] {
		return this.userGroups;
	}

	myInfo(actor: User): User {
		return actor;
	}

	customStatus(actor: User, input: Input): void {
		const code = input.optionalString('code');
		const status = input.optionalString('status') ?? '';
		const expiresAt = input.int('expiresAt', { min: 0 });
		const expiration = input.optionalEnum('expiration', EXPIRATIONS) ?? null;
		if (code === undefined) throw validationError('code must not be null');
		if (status.length > 100) throw validationError('status size must be between 0 and 100');
		// Empty code and status is how the Pumble client clears a status (IL's clear path).
		if (code === '' && status === '') {
			actor.customStatus = null;
			return;
		}
		validateEmojiCode('code', code, 102);
		// 0 means "never"; any other past instant was rejected in a live run.
		if (expiresAt !== 0 && expiresAt <= this.env.now()) throw validationError('expiresAt must be in the future');
		actor.customStatus = { code, status, expiration, expiresAt, showUntil: expiresAt === 0 ? null : expiresAt };
	}

	// ---- internals ----------------------------------------------------------------------------

	private newId(): string {
		this.idCounter += 1;
		return '6651' + this.idCounter.toString(16).padStart(20, '0');
	}

	private canSee(user: User, channel: ChannelRecord): boolean {
		return channel.channelType === 'PUBLIC' || channel.members.includes(user.id);
	}

	/** `channelId` wins over `channel` (a name); DMs have no usable name. */
	private channelFrom(actor: User, input: Input): ChannelRecord {
		const channelId = input.optionalString('channelId');
		if (channelId !== undefined) return this.visibleChannel(actor, channelId);
		const name = input.optionalString('channel');
		if (name === undefined) throw validationError('channelId or channel must not be null');
		const channel = this.channels.find(
			(c) => c.name !== '' && c.name === name.replace(/^#/, '') && this.canSee(actor, c),
		);
		if (!channel) throw channelNotFound();
		return channel;
	}

	private visibleChannel(actor: User, channelId: string): ChannelRecord {
		const channel = this.channels.find((c) => c.id === channelId);
		if (!channel || !this.canSee(actor, channel)) throw channelNotFound();
		return channel;
	}

	private requireGroupChannel(channel: ChannelRecord): void {
		if (channel.channelType === 'DIRECT' || channel.channelType === 'SELF') {
			throw legacyError('Members of a direct conversation cannot be changed');
		}
	}

	private activeUser(id: string): User {
		const user = this.userById(id);
		if (!user || user.status !== 'ACTIVATED') throw legacyError(`Could not find user with identifier ${id}`);
		return user;
	}

	private activeUserByEmail(email: string): User {
		const user = this.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
		if (!user || user.status !== 'ACTIVATED') throw legacyError(`Could not find user with email ${email}`);
		return user;
	}

	/** Whether `actor` may treat `authorId` as itself: its own messages and its add-on bot's. */
	private actsAs(actor: User, authorId: string): boolean {
		return authorId === actor.id || authorId === ADDON_BOT_OF[actor.id];
	}

	/** The add-on bot is a user of its own: it needs its own membership to post into private channels. */
	private botAuthor(actor: User, channel: ChannelRecord): string {
		const bot = this.botOf(actor);
		if (channel.channelType === 'PRIVATE' && !channel.members.includes(bot)) {
			throw legacyError('The API add-on bot is not a member of this private channel; add it to the channel first');
		}
		return bot;
	}

	private botOf(actor: User): string {
		const bot = ADDON_BOT_OF[actor.id];
		if (bot === undefined) throw legacyError('This API key has no add-on bot');
		return bot;
	}

	private messageIn(channel: ChannelRecord, messageId: string): MessageRecord {
		const message = this.messages.find((m) => m.id === messageId && m.channelId === channel.id);
		if (!message) throw notFound();
		return message;
	}

	private threadRoot(channel: ChannelRecord, rootId: string): MessageRecord {
		const root = this.messageIn(channel, rootId);
		if (root.threadRootId !== null) throw legacyError('Replies can only be posted to a thread root message');
		return root;
	}

	private repliesTo(root: MessageRecord): MessageRecord[] {
		return this.messages.filter((m) => m.threadRootId === root.id).sort(chronological);
	}

	/**
	 * A DM as the `botDm` switch says: `botInUserDm` — the add-on bot posts in the user's own DM with the
	 * recipients; `asUser` — `asBot` is ignored; `botOwnDm` — the bot posts in a DM of its own with the
	 * recipients, which the key's user is not a member of and so cannot list or read.
	 */
	private sendDm(actor: User, recipients: string[], text: string, asBot: boolean): Receipt {
		const mode = asBot ? this.env.botDm() : 'asUser';
		const author = mode === 'asUser' ? actor.id : this.botOf(actor);
		const channel = this.directChannel(mode === 'botOwnDm' ? author : actor.id, recipients);
		const message = this.insert(channel, author, text, {});
		return { id: message.id, channelId: channel.id };
	}

	private directChannel(creatorId: string, others: string[]): ChannelRecord {
		const members = [creatorId, ...others];
		const wanted = [...members].sort().join(',');
		const existing = this.channels.find(
			(c) => c.channelType === 'DIRECT' && [...c.members].sort().join(',') === wanted,
		);
		if (existing) return existing;
		const channel: ChannelRecord = {
			id: this.newId(),
			name: '',
			channelType: 'DIRECT',
			description: '',
			creatorId,
			createdMilli: wholeSeconds(this.env.now()),
			members,
			isArchived: false,
			isMain: false,
		};
		this.channels.push(channel);
		return channel;
	}

	private insert(
		channel: ChannelRecord,
		author: string,
		text: string,
		options: { blocks?: unknown[] | null; root?: MessageRecord; alsoSendToChannel?: boolean; timestampMilli?: number },
	): MessageRecord {
		const now = options.timestampMilli ?? this.env.now();
		const message: MessageRecord = {
			id: this.newId(),
			seq: ++this.seq,
			channelId: channel.id,
			author,
			text,
			blocks: options.blocks ?? null,
			timestampMilli: wholeSeconds(now),
			createdMilli: now,
			reactions: [],
			threadRootId: options.root?.id ?? null,
			sentToChannel: options.root !== undefined && options.alsoSendToChannel === true,
			edited: false,
		};
		this.messages.push(message);
		return message;
	}

	private pageParams(input: Input): { cursor?: string; limit: number; strategy: PageStrategy } {
		return {
			cursor: input.optionalString('cursor'),
			limit: input.optionalInt('limit', MESSAGE_PAGE) ?? 100,
			strategy: input.optionalEnum('strategy', PAGE_STRATEGIES) ?? 'BEFORE',
		};
	}

	private cursorIndex(items: MessageRecord[], cursor: string | undefined): number | undefined {
		if (cursor === undefined) return undefined;
		const index = items.findIndex((m) => m.id === cursor);
		if (index < 0) throw notFound();
		return index;
	}

	private reactionTarget(actor: User, input: Input): { message: MessageRecord; code: string } {
		const messageId = input.string('messageId');
		const code = input.string('reaction');
		input.optionalInt('skinTone', { min: 1, max: 6 });
		validateEmojiCode('reaction', code, 100);
		if (input.has('channelId') || input.has('channel')) {
			return { message: this.messageIn(this.channelFrom(actor, input), messageId), code };
		}
		const message = this.messages.find((m) => m.id === messageId);
		const channel = message && this.channels.find((c) => c.id === message.channelId);
		if (!message || !channel || !this.canSee(actor, channel)) throw notFound();
		return { message, code };
	}

	private futureSendAt(input: Input): number {
		const sendAt = input.int('sendAt', { min: 0, max: 4_000_000_000_000 });
		if (sendAt <= this.env.now()) throw validationError('sendAt must be in the future');
		return sendAt;
	}

	private recurrence(input: Input): Recurrence | null {
		const recurrence = input.optionalObject('recurrence');
		if (!recurrence) return null;
		return {
			recurrenceType: recurrence.enum('recurrenceType', RECURRENCE_TYPES),
			endAfterOccurrences: recurrence.optionalInt('endAfterOccurrences', { min: 0, max: 9999 }) ?? null,
			endDate: recurrence.optionalInt('endDate', { min: 0 }) ?? null,
		};
	}

	private ownScheduled(actor: User, id: string): ScheduledRecord {
		const record = this.scheduled.find((s) => s.id === id && s.author === actor.id);
		if (!record) throw notFound();
		return record;
	}

	private entry(channel: ChannelRecord, viewer: User): ChannelListEntry {
		return { channel: this.renderChannel(channel, viewer), users: [...channel.members] };
	}

	private renderChannel(channel: ChannelRecord, viewer: User): Channel {
		let last: number | null = null;
		for (const m of this.messages) {
			if (m.channelId === channel.id && (last === null || m.timestampMilli > last)) last = m.timestampMilli;
		}
		return {
			id: channel.id,
			name: channel.name,
			channelType: channel.channelType,
			workspaceId: this.id,
			description: channel.description,
			isMember: channel.members.includes(viewer.id),
			isMuted: false,
			isHidden: false,
			isArchived: channel.isArchived,
			isMain: channel.isMain,
			isInitial: channel.isMain,
			isAddonBot: false,
			isPumbleBot: false,
			notifyAboutRepliesInThreads: true,
			sectionId: null,
			creatorId: channel.creatorId,
			addedById: null,
			timestamp: isoSeconds(channel.createdMilli),
			timestampMilli: channel.createdMilli,
			lastMessageTimestamp: last === null ? null : isoSeconds(last),
			lastMessageTimestampMilli: last,
			postingPermissions: {
				allowThreads: true,
				allowMentions: true,
				postingPermissionsGroup: 'EVERYONE',
				workspaceUserIds: [],
			},
		};
	}

	private render(message: MessageRecord, viewerId: string): Message {
		return {
			id: message.id,
			channelId: message.channelId,
			workspaceId: this.id,
			author: message.author,
			authorAppId: null,
			text: message.text,
			timestamp: isoSeconds(message.timestampMilli),
			timestampMilli: message.timestampMilli,
			subtype: '',
			blocks: message.blocks,
			attachments: [],
			files: [],
			reactions: message.reactions.map((r) => ({ ...r })),
			linkPreviews: [],
			threadRootInfo: message.threadRootId === null ? this.threadRootInfo(message, viewerId) : null,
			threadReplyInfo: message.threadRootId === null ? null : this.threadReplyInfo(message),
			edited: message.edited,
			deleted: false,
		};
	}

	private threadRootInfo(root: MessageRecord, viewerId: string): ThreadRootInfo | null {
		const replies = this.repliesTo(root);
		if (replies.length === 0) return null;
		const last = replies[replies.length - 1];
		const repliers = [...new Set(replies.map((r) => r.author))];
		return {
			repliesCount: replies.length,
			repliers,
			lastReplyTimestamp: isoSeconds(last.timestampMilli),
			lastReplyTimestampMilli: last.timestampMilli,
			lastMarkTimestamp: isoSeconds(last.createdMilli),
			lastMarkTimestampMilli: last.createdMilli,
			isFollowing: root.author === viewerId || repliers.includes(viewerId),
		};
	}

	private threadReplyInfo(reply: MessageRecord): ThreadReplyInfo {
		const rootId = reply.threadRootId ?? '';
		return {
			rootId,
			replySentToChannel: reply.sentToChannel,
			rootText: this.messages.find((m) => m.id === rootId)?.text ?? '',
		};
	}

	private renderScheduled(record: ScheduledRecord): ScheduledMessage {
		return {
			id: record.id,
			channelId: record.channelId,
			workspaceId: this.id,
			author: record.author,
			text: record.text,
			sendAt: record.sendAt,
			blocks: record.blocks,
			attachments: [],
			files: [],
			threadRootId: record.threadRootId,
			rootText:
				record.threadRootId === null ? null : (this.messages.find((m) => m.id === record.threadRootId)?.text ?? null),
			alsoSendToChannel: record.alsoSendToChannel,
			quotedMessage: null,
			recurrence: record.recurrence,
		};
	}
}
