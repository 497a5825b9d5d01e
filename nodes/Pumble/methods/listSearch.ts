/**
 * The searchable lists behind the channel and user resource locators. They read the workspace lists
 * through a short cache (core/cache.ts) so typing in the dropdown does not spend the rate limit.
 */
import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import type { ChannelEntry, User } from '../../../core';
import { getPumbleApi } from '../transport';

const matches = (text: string, filter?: string) => !filter || text.toLowerCase().includes(filter.toLowerCase());

export function userLabel(user: User): string {
	const marks = [user.status === 'DEACTIVATED' ? 'deactivated' : '', user.isAddonBot || user.isPumbleBot ? 'bot' : ''].filter(Boolean);
	return `${user.name ?? user.email ?? user.id}${marks.length ? ` (${marks.join(', ')})` : ''}`;
}

/** "#general", "🔒 leadership", "DM: Bob", "DM: Bob, Carol", "Notes to self". */
export function channelLabel(entry: ChannelEntry, users: Map<string, User>, me?: string): string {
	const { channel } = entry;
	switch (channel.channelType) {
		case 'PUBLIC':
			return `#${channel.name}`;
		case 'PRIVATE':
			return `🔒 ${channel.name}`;
		case 'SELF':
			return 'Notes to self';
		case 'DIRECT': {
			const others = entry.users.filter((id) => id !== me);
			const names = (others.length ? others : entry.users).map((id) => users.get(id)?.name ?? id);
			return `DM: ${names.join(', ')}`;
		}
		default:
			return channel.name || channel.id;
	}
}

export async function searchChannels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const api = await getPumbleApi(this);
	const [entries, users, me] = await Promise.all([
		api.listChannels({ cached: true }),
		api.listUsers({ cached: true }),
		api.myInfo().catch(() => undefined),
	]);
	const byId = new Map(users.map((user) => [user.id, user]));
	const order = { PUBLIC: 0, PRIVATE: 1, DIRECT: 2, SELF: 3 } as Record<string, number>;
	const results: INodeListSearchItems[] = entries
		.filter((entry) => !entry.channel.isArchived)
		.map((entry) => ({ entry, name: channelLabel(entry, byId, me?.id) }))
		.filter(({ name }) => matches(name, filter))
		.sort((a, b) => (order[a.entry.channel.channelType] ?? 9) - (order[b.entry.channel.channelType] ?? 9) || a.name.localeCompare(b.name))
		.map(({ entry, name }) => ({ name, value: entry.channel.id }));
	return { results };
}

export async function searchUsers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const api = await getPumbleApi(this);
	const users = await api.listUsers({ cached: true });
	const results = users
		.map((user) => ({ user, name: userLabel(user) }))
		.filter(({ user, name }) => matches(`${name} ${user.email ?? ''}`, filter))
		// Active people first, then bots and deactivated accounts.
		.sort((a, b) => rank(a.user) - rank(b.user) || a.name.localeCompare(b.name))
		.map(({ user, name }) => ({ name, value: user.id }));
	return { results };
}

function rank(user: User): number {
	return (user.status === 'DEACTIVATED' ? 2 : 0) + (user.isAddonBot || user.isPumbleBot ? 1 : 0);
}
