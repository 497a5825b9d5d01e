/**
 * The "Simplify" outputs: the fields a workflow (or an AI agent) usually needs, in a stable shape,
 * instead of Pumble's full objects with notification settings, avatars and link previews.
 */
import type { IDataObject } from 'n8n-workflow';
import type { Message, Reaction, User } from '../../../core';

export interface SimplifiedReaction {
	emoji: string;
	count: number;
	users: string[];
}

/** Pumble lists one entry per user per emoji; people think "👍 ×3". */
export function groupReactions(reactions: Reaction[] | null | undefined): SimplifiedReaction[] {
	const byEmoji = new Map<string, SimplifiedReaction>();
	for (const { code, user } of reactions ?? []) {
		const group = byEmoji.get(code) ?? { emoji: code, count: 0, users: [] };
		group.count++;
		group.users.push(user);
		byEmoji.set(code, group);
	}
	return [...byEmoji.values()];
}

export function simplifyMessage(message: Message): IDataObject {
	return {
		id: message.id,
		channelId: message.channelId,
		author: message.author,
		text: message.text,
		timestamp: message.timestamp,
		timestampMilli: message.timestampMilli,
		// A thread root counts its replies; a reply points at its root. Pumble has no top-level threadRootId.
		repliesCount: message.threadRootInfo?.repliesCount ?? 0,
		threadRootId: message.threadReplyInfo?.rootId ?? null,
		reactions: groupReactions(message.reactions) as unknown as IDataObject[],
	};
}

export function simplifyUser(user: User): IDataObject {
	return {
		id: user.id,
		name: user.name ?? null,
		email: user.email ?? null,
		status: user.status ?? null,
		role: user.role ?? null,
		isBot: user.isAddonBot === true || user.isPumbleBot === true,
	};
}

/** Pumble objects as n8n items: simplified, or as Pumble returned them. */
export function messagesOut(messages: Message[], simplify: boolean): IDataObject[] {
	return simplify ? messages.map(simplifyMessage) : (messages as unknown as IDataObject[]);
}

export function usersOut(users: User[], simplify: boolean): IDataObject[] {
	return simplify ? users.map(simplifyUser) : (users as unknown as IDataObject[]);
}
