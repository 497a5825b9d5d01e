/** What the workspace stores: plain, JSON-serialisable records that tests can inspect (`sandbox.state`). */

export type ChannelType = 'PUBLIC' | 'PRIVATE' | 'DIRECT' | 'SELF';

export interface CustomStatus {
	code: string;
	status: string;
	expiration: string | null;
	expiresAt: number;
	showUntil: number | null;
}

/** Stored and rendered alike: `listUsers` and `myInfo` answer the record itself. */
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

/** Stored and rendered alike. */
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

export interface WorkspaceSnapshot {
	workspaceId: string;
	users: User[];
	channels: ChannelRecord[];
	messages: MessageRecord[];
	scheduled: ScheduledRecord[];
	userGroups: UserGroup[];
}

/** Messages oldest first; insertion order breaks ties within a second. */
export function chronological(a: MessageRecord, b: MessageRecord): number {
	return a.timestampMilli - b.timestampMilli || a.seq - b.seq;
}
