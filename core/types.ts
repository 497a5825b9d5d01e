/** Pumble objects as the API-key add-on returns them (as recorded in test/contract/recorded). Optional fields may be absent or null. */

export type ChannelType = 'PUBLIC' | 'PRIVATE' | 'DIRECT' | 'SELF';

export interface Reaction {
	user: string;
	code: string;
}

export interface ThreadRootInfo {
	repliesCount: number;
	repliers?: string[];
	lastReplyTimestamp?: string;
	lastReplyTimestampMilli?: number;
	[key: string]: unknown;
}

export interface ThreadReplyInfo {
	rootId: string;
	replySentToChannel?: boolean;
	rootText?: string;
}

export interface Message {
	id: string;
	channelId: string;
	workspaceId?: string;
	author: string;
	text: string;
	timestamp: string;
	/** Epoch ms, truncated to whole seconds by Pumble. */
	timestampMilli: number;
	subtype?: string;
	blocks?: unknown[] | null;
	attachments?: unknown[];
	files?: unknown[];
	reactions?: Reaction[];
	threadRootInfo?: ThreadRootInfo | null;
	threadReplyInfo?: ThreadReplyInfo | null;
	edited?: boolean;
	deleted?: boolean;
	[key: string]: unknown;
}

export interface Channel {
	id: string;
	name?: string;
	channelType: ChannelType | string;
	workspaceId?: string;
	description?: string;
	isArchived?: boolean;
	[key: string]: unknown;
}

/** What `/listChannels` (one per entry) and `/getChannel` return. */
export interface ChannelEntry {
	channel: Channel;
	/** Member user IDs. */
	users: string[];
	pinnedMessages?: unknown[];
}

export interface User {
	id: string;
	email?: string;
	name?: string;
	role?: string;
	status?: 'ACTIVATED' | 'DEACTIVATED' | 'INVITED' | string;
	workspaceId?: string;
	isAddonBot?: boolean;
	isPumbleBot?: boolean;
	[key: string]: unknown;
}

export interface UserGroup {
	id: string;
	name: string;
	handle?: string;
	workspaceUserIds?: string[];
	[key: string]: unknown;
}

export type RecurrenceType =
	| 'DAILY'
	| 'BUSINESSDAYS'
	| 'WEEKLY'
	| 'BIWEEKLY'
	| 'MONTHLY_NTH_WEEKDAY'
	| 'MONTHLY_LAST_WEEKDAY'
	| 'QUARTERLY_NTH_WEEKDAY'
	| 'QUARTERLY_LAST_WEEKDAY'
	| 'ANNUALLY';

export const RECURRENCE_TYPES: RecurrenceType[] = [
	'DAILY',
	'BUSINESSDAYS',
	'WEEKLY',
	'BIWEEKLY',
	'MONTHLY_NTH_WEEKDAY',
	'MONTHLY_LAST_WEEKDAY',
	'QUARTERLY_NTH_WEEKDAY',
	'QUARTERLY_LAST_WEEKDAY',
	'ANNUALLY',
];

export interface Recurrence {
	recurrenceType: RecurrenceType;
	endAfterOccurrences?: number;
	endDate?: number;
}

export interface ScheduledMessage {
	id: string;
	channelId: string;
	author?: string;
	text: string;
	sendAt: number;
	threadRootId?: string | null;
	alsoSendToChannel?: boolean | null;
	recurrence?: Recurrence | null;
	blocks?: unknown[] | null;
	[key: string]: unknown;
}

/** `{id, channelId}` from sendMessage, sendReply, dmUser, dmGroup, createScheduledMessage. */
export interface MessageReceipt {
	id: string;
	channelId: string;
}

export interface SearchResult {
	content: Array<Message & { highlightedBlocks?: unknown[] }>;
	totalElements?: number;
	hasMore?: boolean;
}

export interface MessagePage {
	messages: Message[];
	hasMoreBefore?: boolean | null;
	hasMoreAfter?: boolean | null;
}

/** A channel as the user names it: by ID, or by name (public/private channels only). */
export type ChannelRef = { id: string } | { name: string };
