/**
 * The one rule for which lane a write goes in: the conversation it is addressed to, whatever the host and
 * however the conversation is written. A channel given as `general`, `#general` or its ID is one lane (names
 * resolve through the key's cached channel directory); a message and a reaction to one channel share it; a
 * person given by ID or by email is one lane; a group of people is one lane whatever the order of their IDs.
 */
import type { PumbleApi } from '../api';
import type { ChannelRef } from '../types';

/** The conversation a write is addressed to, in the hosts' neutral terms. */
export type Conversation =
	/** A channel (or an existing conversation) by ID or by name. */
	| { channel: ChannelRef }
	/** A direct message to one person: a user ID or an email. */
	| { user: unknown }
	/** A group direct message: the people's user IDs (a list, or a comma-separated string). */
	| { users: unknown };

/** What resolving a conversation needs from the API: the cached directory, nothing that writes. */
export type LaneDirectory = Pick<PumbleApi, 'channelId' | 'findUserByEmail'>;

/**
 * The lane of work addressed to `to`, or undefined for work that needs no order (nothing addressed).
 *
 * A name or an email that cannot be resolved (unknown yet, or the directory cannot be read now) keeps a lane
 * of its own spelling, normalized: the work itself then fails with the input error that says why, or — a
 * channel created since — still runs in order with every other write that names it the same way. The lookup
 * costs no extra request: the write resolves the same name through the same cache.
 */
export async function laneKey(directory: LaneDirectory, to: Conversation | undefined): Promise<string | undefined> {
	if (!to) return undefined;
	if ('channel' in to) {
		const ref = to.channel;
		if ('id' in ref) return `channel:${ref.id.trim().toLowerCase()}`;
		const name = normalName(ref.name);
		try {
			return `channel:${(await directory.channelId({ name })).toLowerCase()}`;
		} catch {
			return `channel-name:${name}`;
		}
	}
	if ('user' in to) {
		const user = String(to.user ?? '').trim().toLowerCase();
		if (!user.includes('@')) return `user:${user}`;
		try {
			return `user:${(await directory.findUserByEmail(user)).id.toLowerCase()}`;
		} catch {
			return `user-email:${user}`;
		}
	}
	const raw = Array.isArray(to.users) ? to.users : String(to.users ?? '').split(/[\s,;]+/);
	const ids = raw.map((id) => String(id && typeof id === 'object' && 'id' in id ? (id as { id: unknown }).id : id).trim().toLowerCase());
	return `users:${[...new Set(ids)].filter(Boolean).sort().join(',')}`;
}

function normalName(name: string): string {
	return name.trim().replace(/^#/, '').toLowerCase();
}
