/**
 * The deterministic seed workspace. Every ID is fixed so tests and demos can hard-code them;
 * only timestamps move, relative to the sandbox clock at start/reset.
 */
import type { ChannelRecord, MessageRecord, User, UserGroup } from './workspace/records';

/** Fixed entity IDs: `6650` + 20 hex digits, e.g. `665000000000000000000010`. */
export function fixedId(n: number): string {
	return '6650' + n.toString(16).padStart(20, '0');
}

export const IDS = {
	workspace: fixedId(0x01),
	ada: fixedId(0x10),
	bob: fixedId(0x11),
	carol: fixedId(0x12),
	/** Deactivated. */
	dave: fixedId(0x13),
	pumbleBot: fixedId(0x14),
	/** The add-on bot ("API") that `asBot: true` posts as, one per key user. */
	adaBot: fixedId(0x15),
	bobBot: fixedId(0x16),
	carolBot: fixedId(0x17),
	general: fixedId(0x20),
	random: fixedId(0x21),
	/** PRIVATE: Ada and Bob are members, Ada's bot is not. */
	leadership: fixedId(0x22),
	/** PRIVATE: Bob and Carol only, so invisible to Ada. */
	hiring: fixedId(0x23),
	adaBobDm: fixedId(0x24),
	/** DIRECT with Ada, Bob and Carol. */
	groupDm: fixedId(0x25),
	adaSelf: fixedId(0x26),
	bobSelf: fixedId(0x27),
	carolSelf: fixedId(0x28),
	userGroup: fixedId(0x30),
	/** A thread in #random: Bob's root with replies from Ada and Carol. */
	randomThreadRoot: fixedId(0x40),
} as const;

export type SandboxIds = { readonly [K in keyof typeof IDS]: string };

export type KeyUser = 'ada' | 'bob' | 'carol';

export const KEY_USERS: readonly KeyUser[] = ['ada', 'bob', 'carol'];

export const DEFAULT_KEYS: Record<KeyUser, string> = {
	ada: 'pumble-sandbox-key-ada',
	bob: 'pumble-sandbox-key-bob',
	carol: 'pumble-sandbox-key-carol',
};

/** Which add-on bot belongs to which key user; the API itself never exposes this link. */
export const ADDON_BOT_OF: Readonly<Record<string, string>> = {
	[IDS.ada]: IDS.adaBot,
	[IDS.bob]: IDS.bobBot,
	[IDS.carol]: IDS.carolBot,
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const GENERAL_TEXTS = [
	'Good morning everyone!',
	'Standup in 10 minutes',
	'Deploy of v1.4.2 finished',
	'Who is up for lunch?',
	'PR #42 needs a review',
	'The build is green again',
	'Reminder: retro on Friday',
	'Incident resolved, postmortem to follow',
	'Can someone check the staging logs?',
	'Release notes are in the wiki',
];

export interface Seed {
	users: User[];
	channels: ChannelRecord[];
	messages: MessageRecord[];
	userGroups: UserGroup[];
}

function user(
	id: string,
	name: string,
	email: string,
	extra: Partial<Pick<User, 'role' | 'status' | 'isAddonBot' | 'isPumbleBot' | 'title' | 'timeZoneId'>> = {},
): User {
	return {
		id,
		email,
		name,
		role: extra.role ?? 'USER',
		status: extra.status ?? 'ACTIVATED',
		workspaceId: IDS.workspace,
		isAddonBot: extra.isAddonBot ?? false,
		isPumbleBot: extra.isPumbleBot ?? false,
		title: extra.title ?? '',
		phone: '',
		timeZoneId: extra.timeZoneId ?? 'UTC',
		automaticallyTimeZone: false,
		avatar: {
			fullPath: `https://files.example.com/avatars/${id}.png`,
			scaledPath: `https://files.example.com/avatars/${id}_128.png`,
		},
		customStatus: null,
	};
}

export function buildSeed(now: number, generalMessages: number): Seed {
	const nowSec = Math.floor(now / 1000) * 1000;
	const created = nowSec - 30 * DAY;
	const humans = [IDS.ada, IDS.bob, IDS.carol];

	const users: User[] = [
		user(IDS.ada, 'Ada Lovelace', 'ada@example.com', { role: 'OWNER', title: 'Founder', timeZoneId: 'Europe/Belgrade' }),
		user(IDS.bob, 'Bob Martin', 'bob@example.com', { title: 'Engineer', timeZoneId: 'America/New_York' }),
		user(IDS.carol, 'Carol Shaw', 'carol@example.com', { title: 'Designer', timeZoneId: 'Asia/Tokyo' }),
		user(IDS.dave, 'Dave Cutler', 'dave@example.com', { status: 'DEACTIVATED' }),
		user(IDS.pumbleBot, 'Pumble', 'pumble-bot@example.com', { isPumbleBot: true }),
		user(IDS.adaBot, 'API', 'api-bot-ada@example.com', { isAddonBot: true }),
		user(IDS.bobBot, 'API', 'api-bot-bob@example.com', { isAddonBot: true }),
		user(IDS.carolBot, 'API', 'api-bot-carol@example.com', { isAddonBot: true }),
	];

	const channel = (
		id: string,
		name: string,
		channelType: ChannelRecord['channelType'],
		members: string[],
		extra: Partial<ChannelRecord> = {},
	): ChannelRecord => ({
		id,
		name,
		channelType,
		description: '',
		creatorId: IDS.ada,
		createdMilli: created,
		members,
		isArchived: false,
		isMain: false,
		...extra,
	});

	const channels: ChannelRecord[] = [
		channel(IDS.general, 'general', 'PUBLIC', [...humans], { isMain: true, description: 'Company-wide announcements' }),
		channel(IDS.random, 'random', 'PUBLIC', [...humans]),
		channel(IDS.leadership, 'leadership', 'PRIVATE', [IDS.ada, IDS.bob]),
		channel(IDS.hiring, 'hiring', 'PRIVATE', [IDS.bob, IDS.carol], { creatorId: IDS.bob }),
		channel(IDS.adaBobDm, '', 'DIRECT', [IDS.ada, IDS.bob]),
		channel(IDS.groupDm, '', 'DIRECT', [IDS.ada, IDS.bob, IDS.carol]),
		channel(IDS.adaSelf, '', 'SELF', [IDS.ada]),
		channel(IDS.bobSelf, '', 'SELF', [IDS.bob], { creatorId: IDS.bob }),
		channel(IDS.carolSelf, '', 'SELF', [IDS.carol], { creatorId: IDS.carol }),
	];

	const messages: MessageRecord[] = [];
	const add = (
		id: string,
		channelId: string,
		author: string,
		text: string,
		timestampMilli: number,
		threadRootId: string | null = null,
	): MessageRecord => {
		const message: MessageRecord = {
			id,
			seq: messages.length + 1,
			channelId,
			author,
			text,
			blocks: null,
			timestampMilli,
			createdMilli: timestampMilli,
			reactions: [],
			threadRootId,
			sentToChannel: false,
			edited: false,
		};
		messages.push(message);
		return message;
	};

	// Ten minutes apart over the last hours, except that every 7-message run ends with three messages
	// sharing one second: same-second ties are what break naive timestamp cursors.
	let previous = 0;
	for (let i = 0; i < generalMessages; i++) {
		const ts = i % 7 === 3 || i % 7 === 4 ? previous : nowSec - (generalMessages - i) * 10 * MINUTE;
		const text = `${GENERAL_TEXTS[i % GENERAL_TEXTS.length]} (seed ${i + 1})`;
		add(fixedId(0x10000 + i), IDS.general, humans[i % humans.length], text, ts);
		previous = ts;
	}
	if (generalMessages >= 2) {
		messages[generalMessages - 2].reactions.push({ user: IDS.bob, code: ':+1:' }, { user: IDS.carol, code: ':+1:' });
	}

	const root = add(IDS.randomThreadRoot, IDS.random, IDS.bob, 'Where should we hold the offsite?', nowSec - 180 * MINUTE);
	add(fixedId(0x41), IDS.random, IDS.ada, 'Somewhere with good coffee', nowSec - 170 * MINUTE, root.id);
	add(fixedId(0x42), IDS.random, IDS.carol, 'Lisbon gets my vote', nowSec - 160 * MINUTE, root.id);
	add(fixedId(0x43), IDS.leadership, IDS.bob, 'Budget review next week', nowSec - 120 * MINUTE);
	add(fixedId(0x44), IDS.hiring, IDS.carol, 'Two designer candidates on Thursday', nowSec - 90 * MINUTE);
	add(fixedId(0x45), IDS.adaBobDm, IDS.bob, 'Hi Ada, got a minute?', nowSec - 60 * MINUTE);
	add(fixedId(0x46), IDS.groupDm, IDS.carol, 'Lunch at noon?', nowSec - 45 * MINUTE);

	const userGroups: UserGroup[] = [
		{
			id: IDS.userGroup,
			name: 'Team',
			handle: 'team',
			description: 'The core team',
			disabled: false,
			createdBy: IDS.ada,
			workspaceId: IDS.workspace,
			workspaceUserIds: [IDS.ada, IDS.bob],
		},
	];

	return { users, channels, messages, userGroups };
}
