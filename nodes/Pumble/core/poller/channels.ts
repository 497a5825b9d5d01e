/**
 * Which channels one poll (or one sample) reads. One rule for both: channels given by ID are taken as
 * they are; channels given by name resolve through the cached channel list, read again once when a
 * name is not in it (a channel created or renamed since). "All channels" is every channel, DM and
 * group DM the key's user is a member of, and not archived.
 */
import { PumbleApiError } from '../errors';
import { ID_PATTERN } from '../normalize';
import type { ChannelEntry } from '../types';
import type { PollSource } from './source';

export interface ResolvedChannels {
	/** Channel IDs, in the order given, without repeats. */
	ids: string[];
	/** Names that no visible channel has, or that could not be looked up, with the reason. */
	unresolved: Array<{ ref: string; error: unknown }>;
}

const isId = (ref: string) => ID_PATTERN.test(ref);
const nameOf = (ref: string) => ref.replace(/^#/, '').toLowerCase();

export async function resolveChannels(source: PollSource, refs: string[]): Promise<ResolvedChannels> {
	const wanted = [...new Set(refs.map((c) => c.trim()).filter(Boolean))];
	const names = wanted.filter((ref) => !isId(ref));
	let byName = new Map<string, string>();
	const unresolved: ResolvedChannels['unresolved'] = [];
	if (names.length > 0) {
		try {
			byName = namesOf(await source.listChannels({ cached: true }));
			if (names.some((ref) => !byName.has(nameOf(ref)))) byName = namesOf(await source.listChannels({ cached: false }));
		} catch (error) {
			for (const ref of names) unresolved.push({ ref, error });
		}
	}
	const ids: string[] = [];
	for (const ref of wanted) {
		const id = isId(ref) ? ref.toLowerCase() : byName.get(nameOf(ref));
		if (id) {
			if (!ids.includes(id)) ids.push(id);
		} else if (!unresolved.some((u) => u.ref === ref)) {
			unresolved.push({ ref, error: unknownName(ref) });
		}
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

function namesOf(entries: ChannelEntry[]): Map<string, string> {
	const byName = new Map<string, string>();
	for (const entry of entries) {
		const name = entry.channel.name ? String(entry.channel.name).toLowerCase() : '';
		if (name && !byName.has(name)) byName.set(name, entry.channel.id);
	}
	return byName;
}

function unknownName(ref: string): PumbleApiError {
	return new PumbleApiError({
		operation: 'listChannels',
		apiMessage: `No channel named "${ref}" is visible to this API key`,
		hint: 'Pick the channel from the list, or check the name. Private channels are visible only to their members.',
		outcome: 'rejected',
	});
}
