/**
 * One look for a send in Pumble: which conversations it may be in, who may be its author, and a read of
 * their newest messages back to the send's first second. Reads go through a narrow reader (`SendLookup`,
 * which PumbleApi provides), never around it.
 */
import type { ChannelEntry, Message, MessagePage, User } from '../types';
import { answeredSends } from './answered';
import { carriesText, findDirectChannel, wantedTexts } from './matching';
import type { ReconciledSend, ReconcileSettings } from './index';

/** What a look reads: a subset of PumbleApi. */
export interface SendLookup {
	/** The key's name (its hash): whose answered sends count. */
	readonly identity: string;
	myInfo(): Promise<User>;
	listUsers(options: { cached?: boolean }): Promise<User[]>;
	listChannels(options?: { cached?: boolean }): Promise<ChannelEntry[]>;
	listMessagesPage(input: { channel: { id: string }; cursor?: string; limit?: number }): Promise<MessagePage>;
	threadRepliesPage(input: { channel: { id: string }; rootMessageId: string; cursor?: string; limit?: number }): Promise<Message[]>;
}

export type LookResult =
	| { kind: 'found'; message: Message; channelId: string }
	| { kind: 'none' }
	/** More than one message could be this send's: claiming one could take another item's or worker's. */
	| { kind: 'ambiguous'; count: number; messages: Message[] }
	/** The message may be where this key cannot read. */
	| { kind: 'unreadable'; why: string }
	/** Not found, but not yet known whether it would be visible (a later look may know more). */
	| { kind: 'undecided'; why: string };

interface Where {
	conversations: string[];
	threadRootId?: string;
	authors: Set<string>;
	/** Set when "nothing found" would not mean "not posted". */
	undecided?: string;
}

export class Lookout {
	constructor(
		private readonly lookup: SendLookup,
		private readonly settings: Pick<ReconcileSettings, 'lookPageSize' | 'lookMaxPages'>,
	) {}

	/** `claimed`: the messages that are taken (default: the sends this process already reported). */
	async look(request: ReconciledSend, since: number, claimed: (id: string) => boolean = (id) => answeredSends.has(this.lookup.identity, id)): Promise<LookResult> {
		const where = await this.whereToLook(request);
		if ('kind' in where) return where;
		const wanted = wantedTexts(request.text, request.blocks);
		const matches: Message[] = [];
		for (const channelId of where.conversations) {
			for (const message of await this.recent(channelId, where.threadRootId, since)) {
				if (!where.authors.has(message.author) || !carriesText(message, wanted)) continue;
				if (claimed(message.id)) continue;
				matches.push({ ...message, channelId: message.channelId ?? channelId });
			}
		}
		if (matches.length > 1) return { kind: 'ambiguous', count: matches.length, messages: matches };
		if (matches.length === 1) return { kind: 'found', message: matches[0], channelId: matches[0].channelId };
		return where.undecided ? { kind: 'undecided', why: where.undecided } : { kind: 'none' };
	}

	/** The conversations a send may have landed in, and its possible authors. */
	private async whereToLook(request: ReconciledSend): Promise<Where | LookResult> {
		const { target } = request;
		const me = (await this.lookup.myInfo()).id;
		const bots = request.asBot ? await this.bots() : [];
		if (target.kind === 'channel') {
			return { conversations: [target.channelId], threadRootId: target.threadRootId, authors: new Set(request.asBot ? bots : [me]) };
		}
		const entries = await this.lookup.listChannels();
		const mine = findDirectChannel(entries, new Set([me, ...target.userIds]));
		if (!request.asBot) {
			// No such conversation: the DM was not posted (Pumble opens the conversation with the first message).
			return mine ? { conversations: [mine], authors: new Set([me]) } : { kind: 'none' };
		}
		// "Send as Bot" DMs: Pumble may post them by the bot in the user's DM, as the user there, or by the bot
		// in a DM of its own with the recipients (no description of the API says which). Look wherever this key can read.
		const conversations = new Set<string>();
		if (mine) conversations.add(mine);
		for (const bot of bots) {
			const own = findDirectChannel(entries, new Set([bot, ...target.userIds]));
			if (own) conversations.add(own);
		}
		const visible = new Set(entries.map((entry) => entry.channel.id));
		const lastBotDm = answeredSends.lastBotDm(this.lookup.identity);
		if (lastBotDm !== undefined && !visible.has(lastBotDm)) {
			return { kind: 'unreadable', why: "Pumble posts this key's bot DMs in a conversation of the bot's own, which this key cannot read" };
		}
		const known = lastBotDm !== undefined || (await this.botPostsIn(mine, bots));
		return {
			conversations: [...conversations],
			authors: new Set([me, ...bots]),
			// Not knowing yet where bot DMs go, a look that finds nothing proves nothing.
			...(known ? {} : { undecided: "no answered bot DM of this key shows yet where Pumble posts them, so a look that finds nothing proves nothing" }),
		};
	}

	private async bots(): Promise<string[]> {
		return (await this.lookup.listUsers({ cached: true })).filter((user) => user.isAddonBot === true).map((user) => user.id);
	}

	/** Whether an add-on bot ever posted in the user's DM (evidence that bot DMs land where this key reads). */
	private async botPostsIn(channelId: string | undefined, bots: string[]): Promise<boolean> {
		if (!channelId || bots.length === 0) return false;
		const page = await this.lookup.listMessagesPage({ channel: { id: channelId }, limit: this.settings.lookPageSize });
		return (page.messages ?? []).some((message) => bots.includes(message.author));
	}

	/** The conversation's (or thread's) messages at or after `since`, newest first. */
	private async recent(channelId: string, threadRootId: string | undefined, since: number): Promise<Message[]> {
		const found: Message[] = [];
		const seen = new Set<string>();
		let cursor: string | undefined;
		const limit = this.settings.lookPageSize;
		for (let page = 0; page < this.settings.lookMaxPages; page++) {
			const messages = threadRootId
				? await this.lookup.threadRepliesPage({ channel: { id: channelId }, rootMessageId: threadRootId, cursor, limit })
				: ((await this.lookup.listMessagesPage({ channel: { id: channelId }, cursor, limit })).messages ?? []);
			let added = 0;
			let reachedOlder = false;
			for (const message of messages) {
				if (seen.has(message.id)) continue;
				seen.add(message.id);
				added++;
				if (message.timestampMilli < since) reachedOlder = true;
				else found.push(message);
			}
			const last = messages[messages.length - 1];
			if (reachedOlder || added === 0 || !last || messages.length < limit) break;
			cursor = last.id;
		}
		return found;
	}
}
