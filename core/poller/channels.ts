/**
 * Which channels one poll (or one sample) reads. One rule for both, and the same as every operation's
 * (PumbleApi.channelId): channels given by ID are taken as they are; channels given by name resolve
 * through the cached channel list, read again once when a name is not in it (a channel created or
 * renamed since). "All channels" is every channel, DM and group DM the key's user is a member of, and
 * not archived.
 */
import { ID_PATTERN } from '../constants';
import { PumbleInputError } from '../errors';
import type { ChannelEntry } from '../types';
import type { PollSource } from './source';

export interface ResolvedChannels {
	/** Channel IDs, in the order given, without repeats. */
	ids: string[];
	/** Names that no visible channel has, or that could not be looked up, with the reason. */
	unresolved: Array<{ ref: string; error: unknown }>;
}

const isId = (ref: string) => ID_PATTERN.test(ref);

export async function resolveChannels(source: PollSource, refs: string[]): Promise<ResolvedChannels> {
	const wanted = [...new Set(refs.map((c) => c.trim()).filter(Boolean))];
	const ids: string[] = [];
	const unresolved: ResolvedChannels['unresolved'] = [];
	let listFailed: unknown;
	for (const ref of wanted) {
		let id: string | undefined;
		if (isId(ref)) {
			id = ref.toLowerCase();
		} else if (listFailed !== undefined) {
			unresolved.push({ ref, error: listFailed });
		} else {
			try {
				id = await source.channelId(ref);
			} catch (error) {
				// An unknown name is this name's problem; a list that cannot be read is every name's.
				if (!(error instanceof PumbleInputError)) listFailed = error;
				unresolved.push({ ref, error });
			}
		}
		if (id && !ids.includes(id)) ids.push(id);
	}
	return { ids, unresolved };
}

/** Every channel the key's user is a member of, not archived (one listChannels and the cached myInfo). */
export async function memberChannels(source: PollSource): Promise<ChannelEntry[]> {
	const [entries, me] = await Promise.all([source.listChannels(), source.myInfo()]);
	return entries.filter((entry) => isMember(entry, me.id) && !entry.channel.isArchived);
}

/** When a channel was created (epoch ms), when Pumble says. */
export function createdAt(entry: ChannelEntry): number | undefined {
	const { timestampMilli, timestamp } = entry.channel as { timestampMilli?: unknown; timestamp?: unknown };
	if (typeof timestampMilli === 'number' && timestampMilli > 0) return timestampMilli;
	const parsed = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
	return Number.isNaN(parsed) ? undefined : parsed;
}

function isMember(entry: ChannelEntry, me: string): boolean {
	const flag = entry.channel.isMember;
	if (typeof flag === 'boolean') return flag;
	return Array.isArray(entry.users) && entry.users.includes(me);
}
