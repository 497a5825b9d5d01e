/**
 * Records rendered as the API objects: per request, because some fields depend on the viewer
 * (`isMember`, `isFollowing`) or on other records (last message, thread counts, root text).
 */
import type {
	Channel,
	ChannelListEntry,
	Message,
	ScheduledMessage,
	ThreadReplyInfo,
	ThreadRootInfo,
} from './apiObjects';
import type { ChannelRecord, MessageRecord, ScheduledRecord, User } from './records';
import type { WorkspaceState } from './state';

/** ISO-8601 UTC at second precision, as the API writes it: `2026-05-22T00:47:01Z`. */
export function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function renderEntry(ws: WorkspaceState, channel: ChannelRecord, viewer: User): ChannelListEntry {
	return { channel: renderChannel(ws, channel, viewer), users: [...channel.members] };
}

function renderChannel(ws: WorkspaceState, channel: ChannelRecord, viewer: User): Channel {
	let last: number | null = null;
	for (const m of ws.messages) {
		if (m.channelId === channel.id && (last === null || m.timestampMilli > last)) last = m.timestampMilli;
	}
	return {
		id: channel.id,
		name: channel.name,
		channelType: channel.channelType,
		workspaceId: ws.id,
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

export function renderMessage(ws: WorkspaceState, message: MessageRecord, viewerId: string): Message {
	return {
		id: message.id,
		channelId: message.channelId,
		workspaceId: ws.id,
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
		threadRootInfo: message.threadRootId === null ? threadRootInfo(ws, message, viewerId) : null,
		threadReplyInfo: message.threadRootId === null ? null : threadReplyInfo(ws, message),
		edited: message.edited,
		deleted: false,
	};
}

function threadRootInfo(ws: WorkspaceState, root: MessageRecord, viewerId: string): ThreadRootInfo | null {
	const replies = ws.repliesTo(root);
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

function threadReplyInfo(ws: WorkspaceState, reply: MessageRecord): ThreadReplyInfo {
	const rootId = reply.threadRootId ?? '';
	return {
		rootId,
		replySentToChannel: reply.sentToChannel,
		rootText: ws.messages.find((m) => m.id === rootId)?.text ?? '',
	};
}

export function renderScheduled(ws: WorkspaceState, record: ScheduledRecord): ScheduledMessage {
	return {
		id: record.id,
		channelId: record.channelId,
		workspaceId: ws.id,
		author: record.author,
		text: record.text,
		sendAt: record.sendAt,
		blocks: record.blocks,
		attachments: [],
		files: [],
		threadRootId: record.threadRootId,
		rootText:
			record.threadRootId === null ? null : (ws.messages.find((m) => m.id === record.threadRootId)?.text ?? null),
		alsoSendToChannel: record.alsoSendToChannel,
		quotedMessage: null,
		recurrence: record.recurrence,
	};
}
