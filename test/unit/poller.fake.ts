/**
 * An in-memory Pumble for the poller's unit tests: listMessages with an inclusive (or exclusive) message-ID
 * cursor and BEFORE/AFTER strategies, newest first (AFTER: either order), hasMoreBefore/hasMoreAfter; fetchThreadReplies as a
 * bare array, newest first; threadRootInfo on roots; second-precision timestamps; 403s for unknown
 * channels and cursors; reactions (`{ user, code }`, one per user and emoji) and edits (`edited`, or no flag
 * at all when `editedFlag` is 'absent'). Every call is counted so tests can assert the cost of a poll.
 */
import { PumbleApiError, PumbleInputError } from '../../core/errors';
import type { PollSource } from '../../core/poller';
import type { ChannelEntry, Message, MessagePage, Reaction, User, UserGroup } from '../../core/types';

export const ME = 'aaaaaaaaaaaaaaaaaaaa0001';
export const BOB = 'aaaaaaaaaaaaaaaaaaaa0002';
export const CAROL = 'aaaaaaaaaaaaaaaaaaaa0003';
export const BOT = 'aaaaaaaaaaaaaaaaaaaa00b0';
export const TEAM = 'bbbbbbbbbbbbbbbbbbbb0001';
export const OTHERS = 'bbbbbbbbbbbbbbbbbbbb0002';

interface Record_ {
	id: string;
	seq: number;
	channelId: string;
	author: string;
	text: string;
	ms: number;
	root?: string;
	toChannel?: boolean;
	blocks?: unknown[];
	reactions: Reaction[];
	edited: boolean;
}

export interface Call {
	op: string;
	channelId?: string;
	cursor?: string;
	strategy?: string;
	limit?: number;
	rootId?: string;
}

export class FakePumble implements PollSource {
	now = Date.UTC(2026, 4, 22, 9, 0, 0);
	records: Record_[] = [];
	channels = new Map<string, { type: string; name?: string; members: string[]; created: number }>();
	calls: Call[] = [];
	/** Channels answering 403 to everything. */
	broken = new Set<string>();
	/** Errors to throw on the next matching calls. */
	faults: Array<{ op: string; error: Error }> = [];
	cursorInclusive = true;
	/** `null` for hasMoreAfter/hasMoreBefore, as some answers might carry. */
	nullFlags = false;
	/** Page order of listMessages with strategy=AFTER (unverified against Pumble: both are served). */
	afterOrder: 'newestFirst' | 'oldestFirst' = 'newestFirst';
	/** 'absent': messages carry no `edited` flag (the recordings neither show nor rule it out). */
	editedFlag: 'boolean' | 'absent' = 'boolean';
	groups: UserGroup[] = [
		{ id: TEAM, name: 'Team', handle: 'team', workspaceUserIds: [ME, BOB] },
		{ id: OTHERS, name: 'Others', handle: 'others', workspaceUserIds: [BOB, CAROL] },
	];
	users: User[] = [
		{ id: ME, name: 'Ada' },
		{ id: BOB, name: 'Bob' },
		{ id: CAROL, name: 'Carol' },
		{ id: BOT, name: 'API', isAddonBot: true },
	];
	private seq = 0;

	addChannel(id: string, options: { type?: string; name?: string; members?: string[]; created?: number } = {}): void {
		this.channels.set(id, { type: options.type ?? 'PUBLIC', name: options.name, members: options.members ?? [ME, BOB, CAROL], created: options.created ?? this.now });
	}

	post(channelId: string, author: string, text: string, options: { root?: string; toChannel?: boolean; blocks?: unknown[]; at?: number } = {}): Message {
		this.seq++;
		const record: Record_ = {
			id: `cccc${String(this.seq).padStart(20, '0')}`,
			seq: this.seq,
			channelId,
			author,
			text,
			ms: Math.floor((options.at ?? this.now) / 1000) * 1000,
			...(options.root ? { root: options.root } : {}),
			...(options.toChannel ? { toChannel: true } : {}),
			...(options.blocks ? { blocks: options.blocks } : {}),
			reactions: [],
			edited: false,
		};
		this.records.push(record);
		return this.render(record);
	}

	/** addReaction: once per user and emoji. */
	react(id: string, user: string, code: string): void {
		const record = this.record(id);
		if (!record.reactions.some((r) => r.user === user && r.code === code)) record.reactions.push({ user, code });
	}

	unreact(id: string, user: string, code: string): void {
		const record = this.record(id);
		record.reactions = record.reactions.filter((r) => !(r.user === user && r.code === code));
	}

	/** editMessage: new text, and the message is marked as edited. */
	edit(id: string, text: string): void {
		const record = this.record(id);
		record.text = text;
		record.edited = true;
	}

	private record(id: string): Record_ {
		const found = this.records.find((r) => r.id === id);
		if (!found) throw new Error(`no message ${id}`);
		return found;
	}

	remove(id: string): void {
		this.records = this.records.filter((r) => r.id !== id);
	}

	tick(ms: number): void {
		this.now += ms;
	}

	count(op?: string): number {
		return op ? this.calls.filter((c) => c.op === op).length : this.calls.length;
	}

	// ---- PollSource

	async listMessagesPage(input: { channelId: string; cursor?: string; strategy?: 'BEFORE' | 'AFTER'; limit: number }): Promise<MessagePage> {
		this.calls.push({ op: 'listMessages', channelId: input.channelId, cursor: input.cursor, strategy: input.strategy, limit: input.limit });
		this.fault('listMessages');
		this.readable(input.channelId);
		const listed = this.records.filter((r) => r.channelId === input.channelId && (!r.root || r.toChannel)).sort(chronological);
		const { page, hasMoreBefore, hasMoreAfter } = this.page(listed, input.cursor, input.limit, input.strategy ?? 'BEFORE');
		return {
			messages: page.map((r) => this.render(r)),
			hasMoreBefore: this.nullFlags ? null : hasMoreBefore,
			hasMoreAfter: this.nullFlags ? null : hasMoreAfter,
		};
	}

	async threadRepliesPage(input: { channelId: string; rootId: string; cursor?: string; limit: number }): Promise<Message[]> {
		this.calls.push({ op: 'fetchThreadReplies', channelId: input.channelId, rootId: input.rootId, cursor: input.cursor, limit: input.limit });
		this.fault('fetchThreadReplies');
		this.readable(input.channelId);
		if (!this.records.some((r) => r.id === input.rootId && r.channelId === input.channelId)) throw notFound('fetchThreadReplies');
		const replies = this.records.filter((r) => r.root === input.rootId).sort(chronological);
		return this.page(replies, input.cursor, input.limit, 'BEFORE').page.map((r) => this.render(r));
	}

	/** The channel list as of the last time it was read (PumbleApi keeps it briefly for names). */
	private cachedChannels?: ChannelEntry[];

	/** The API's rule for names: the cached list, read again once on a miss. */
	async channelId(name: string): Promise<string> {
		const wanted = name.trim().replace(/^#/, '').toLowerCase();
		const find = (entries: ChannelEntry[]) => entries.find((e) => e.channel.name?.toLowerCase() === wanted)?.channel.id;
		const hit = this.cachedChannels ? find(this.cachedChannels) : undefined;
		const found = hit ?? find(await this.listChannels());
		if (!found) throw new PumbleInputError('channel', `No channel named "${name}" is visible to this API key`, 'Check the name.');
		return found;
	}

	async listChannels(): Promise<ChannelEntry[]> {
		this.calls.push({ op: 'listChannels' });
		this.fault('listChannels');
		return (this.cachedChannels = [...this.channels.entries()]
			.filter(([, c]) => c.type === 'PUBLIC' || c.members.includes(ME))
			.map(([id, c]) => ({
				channel: { id, name: c.name, channelType: c.type, isMember: c.members.includes(ME), timestampMilli: c.created },
				users: [...c.members],
			})));
	}

	async myInfo(): Promise<User> {
		this.calls.push({ op: 'myInfo' });
		return { id: ME, name: 'Ada' };
	}

	async listUsers(): Promise<User[]> {
		this.calls.push({ op: 'listUsers' });
		return this.users;
	}

	async listUserGroups(): Promise<UserGroup[]> {
		this.calls.push({ op: 'listUserGroups' });
		return this.groups;
	}

	// ---- helpers

	private fault(op: string): void {
		const index = this.faults.findIndex((f) => f.op === op);
		if (index >= 0) throw this.faults.splice(index, 1)[0].error;
	}

	private readable(channelId: string): void {
		const channel = this.channels.get(channelId);
		if (!channel || this.broken.has(channelId) || (channel.type !== 'PUBLIC' && !channel.members.includes(ME))) {
			throw PumbleApiError.fromResponse('listMessages', 403, { error: 'Could not find channel with that identifier' });
		}
	}

	private page(items: Record_[], cursor: string | undefined, limit: number, strategy: string) {
		let start: number;
		let end: number;
		if (cursor === undefined) {
			start = Math.max(0, items.length - limit);
			end = items.length;
		} else {
			const at = items.findIndex((r) => r.id === cursor);
			if (at < 0) throw notFound('listMessages');
			if (strategy === 'AFTER') {
				start = this.cursorInclusive ? at : at + 1;
				end = Math.min(items.length, at + 1 + limit);
			} else {
				start = Math.max(0, at - limit);
				end = this.cursorInclusive ? at + 1 : at;
			}
		}
		const page = items.slice(start, end);
		const oldestFirst = cursor !== undefined && strategy === 'AFTER' && this.afterOrder === 'oldestFirst';
		return { page: oldestFirst ? page : page.reverse(), hasMoreBefore: start > 0, hasMoreAfter: end < items.length };
	}

	render(r: Record_): Message {
		const replies = this.records.filter((x) => x.root === r.id).sort(chronological);
		const last = replies[replies.length - 1];
		return {
			id: r.id,
			channelId: r.channelId,
			author: r.author,
			text: r.text,
			timestamp: new Date(r.ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
			timestampMilli: r.ms,
			blocks: r.blocks ?? null,
			threadRootInfo: !r.root && last ? { repliesCount: replies.length, lastReplyTimestampMilli: last.ms } : null,
			threadReplyInfo: r.root ? { rootId: r.root, replySentToChannel: !!r.toChannel } : null,
			reactions: r.reactions.map((x) => ({ ...x })),
			...(this.editedFlag === 'boolean' ? { edited: r.edited } : {}),
		};
	}
}

function chronological(a: Record_, b: Record_): number {
	return a.ms - b.ms || a.seq - b.seq;
}

function notFound(operation: string): PumbleApiError {
	return PumbleApiError.fromResponse(operation, 403, { message: 'Not found', localizedMessage: 'Not found', code: 404100 });
}
