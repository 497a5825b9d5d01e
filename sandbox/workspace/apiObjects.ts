/** The API objects the workspace answers with, rendered per request from the records. */
import type { ChannelType, Reaction, Recurrence } from './records';

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

/** `{id, channelId}` from sendMessage, sendReply, dmUser, dmGroup and createScheduledMessage. */
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
