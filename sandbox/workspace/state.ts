/**
 * The workspace's state: the record arrays, reset to the seed, and the few writes every operation shares
 * (new IDs, inserting a message, opening a DM). Access rules live in access.ts, API shapes in render.ts.
 */
import { IDS, buildSeed } from '../seed';
import type { ChannelRecord, MessageRecord, ScheduledRecord, User, UserGroup, WorkspaceSnapshot } from './records';
import { chronological } from './records';

/** What the workspace reads from the sandbox's options on every request. */
export interface WorkspaceEnv {
	now(): number;
	cursorInclusive(): boolean;
	listAfterOrder(): 'newestFirst' | 'oldestFirst';
	botDm(): 'botInUserDm' | 'asUser' | 'botOwnDm';
}

export interface InsertOptions {
	blocks?: unknown[] | null;
	root?: MessageRecord;
	alsoSendToChannel?: boolean;
	timestampMilli?: number;
}

/**
 * A change the App platform (sandbox/app/) turns into a delivered event. Emitted from the one place each kind of
 * change happens, so every API (the key API, the App API, admin posts) produces it.
 */
export type WorkspaceChange =
	| { kind: 'messageCreated'; message: MessageRecord }
	| { kind: 'messageEdited'; message: MessageRecord }
	| { kind: 'reactionAdded'; message: MessageRecord; userId: string; code: string }
	| { kind: 'channelCreated'; channel: ChannelRecord };

export function wholeSeconds(ms: number): number {
	return Math.floor(ms / 1000) * 1000;
}

export class WorkspaceState {
	readonly id: string = IDS.workspace;
	users: User[] = [];
	channels: ChannelRecord[] = [];
	/** Insertion order; deleted messages are removed. */
	messages: MessageRecord[] = [];
	scheduled: ScheduledRecord[] = [];
	userGroups: UserGroup[] = [];

	/** Listeners of changes (the App platform); none by default. */
	readonly changeListeners = new Set<(change: WorkspaceChange) => void>();

	private seq = 0;
	private idCounter = 0;

	constructor(readonly env: WorkspaceEnv) {}

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

	notify(change: WorkspaceChange): void {
		for (const listener of this.changeListeners) listener(change);
	}

	userById(id: string): User | undefined {
		return this.users.find((u) => u.id === id);
	}

	newId(): string {
		this.idCounter += 1;
		return '6651' + this.idCounter.toString(16).padStart(20, '0');
	}

	/** The next insertion number, shared by messages and scheduled messages. */
	nextSeq(): number {
		this.seq += 1;
		return this.seq;
	}

	insert(channel: ChannelRecord, author: string, text: string, options: InsertOptions): MessageRecord {
		const now = options.timestampMilli ?? this.env.now();
		const message: MessageRecord = {
			id: this.newId(),
			seq: this.nextSeq(),
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
		this.notify({ kind: 'messageCreated', message });
		return message;
	}

	/** The DIRECT channel of exactly `creatorId` and `others`, opened on first use. */
	directChannel(creatorId: string, others: string[]): ChannelRecord {
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

	repliesTo(root: MessageRecord): MessageRecord[] {
		return this.messages.filter((m) => m.threadRootId === root.id).sort(chronological);
	}
}
