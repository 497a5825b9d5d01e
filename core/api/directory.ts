/**
 * The workspace's directory as this key sees it: the key's user, the users and the channels, cached
 * briefly per key identity, and the one rule for a channel given by name — look it up in the cached
 * channel list, read the list afresh once on a miss, and refuse an unknown name before any write.
 */
import type { PumbleClient } from '../http/client';
import { ENDPOINTS } from '../http/endpoints';
import { PumbleInputError } from '../errors';
import { processState } from '../processState';
import type { ChannelEntry, ChannelRef, User } from '../types';
import { asArray } from './shape';

/** Lists change rarely, and typing in n8n's searchable lists would otherwise spend the user's budget. */
const LIST_TTL_MS = 30_000;
/** The key's user does not change. */
const MY_INFO_TTL_MS = 10 * 60_000;

/** Per key identity and list; bounded like every process-wide cache (core/processState.ts). */
const listCache = processState.loadingCache<unknown>('api.lists', { ttlMs: LIST_TTL_MS, maxEntries: 2_000 });
/**
 * Names just looked up in a freshly read list and not found: asked again within moments (a lane resolved the
 * name just before the write that names it), the answer stands without reading the list once more.
 */
const freshMisses = processState.loadingCache<true>('api.channelMisses', { ttlMs: 2_000, maxEntries: 2_000 });
const myInfoCache = processState.loadingCache<unknown>('api.myInfo', { ttlMs: MY_INFO_TTL_MS, maxEntries: 1_000 });

export type CachedList = 'listChannels' | 'listUsers';

export class Directory {
	constructor(private readonly client: PumbleClient) {}

	private key(name: string): string {
		return `${this.client.identity}:${name}`;
	}

	/** The user who owns the key. Cached per key for a while: it does not change. */
	myInfo(options: { fresh?: boolean } = {}): Promise<User> {
		if (options.fresh) myInfoCache.invalidate(this.key('myInfo'));
		return myInfoCache.get(this.key('myInfo'), () => this.client.call<User>(ENDPOINTS.myInfo)) as Promise<User>;
	}

	listUsers(options: { cached?: boolean } = {}): Promise<User[]> {
		return this.list('listUsers', options.cached, () => this.client.call<User[]>(ENDPOINTS.listUsers));
	}

	listChannels(options: { cached?: boolean } = {}): Promise<ChannelEntry[]> {
		return this.list('listChannels', options.cached, () => this.client.call<ChannelEntry[]>(ENDPOINTS.listChannels));
	}

	/**
	 * The channel's ID. A name is looked up in the cached channel list; on a miss the list is read afresh
	 * once (the channel may be newer than the cache); still unknown → a PumbleInputError, before any write.
	 */
	async channelId(channel: ChannelRef): Promise<string> {
		if ('id' in channel) return channel.id;
		const missKey = this.key(`channel:${channel.name.trim().replace(/^#/, '').toLowerCase()}`);
		if (freshMisses.peek(missKey)) throw unknownChannel(channel.name);
		let loaded = false;
		const cached = (await listCache.get(this.key('listChannels'), () => {
			loaded = true;
			return this.client.call<ChannelEntry[]>(ENDPOINTS.listChannels).then(asArray);
		})) as ChannelEntry[];
		// A list read just now is fresh already; an older one may predate the channel.
		const found = findByName(cached, channel.name) ?? (loaded ? undefined : findByName(await this.listChannels(), channel.name));
		if (found) return found;
		void freshMisses.get(missKey, () => Promise.resolve(true));
		throw unknownChannel(channel.name);
	}

	/** After a write that changes a list (a new channel, new members), the next read is fresh. */
	forget(name: CachedList): void {
		listCache.invalidate(this.key(name));
		if (name === 'listChannels') freshMisses.clear(); // a channel created now may be one just missed
	}

	private list<T>(name: CachedList, cached: boolean | undefined, load: () => Promise<T[]>): Promise<T[]> {
		if (!cached) {
			const fresh = load().then(asArray);
			// The fresh answer replaces the cached one for later cached reads.
			listCache.invalidate(this.key(name));
			return listCache.get(this.key(name), () => fresh) as Promise<T[]>;
		}
		return listCache.get(this.key(name), () => load().then(asArray)) as Promise<T[]>;
	}
}

function unknownChannel(name: string): PumbleInputError {
	return new PumbleInputError('channel', `No channel named "${name}" is visible to this API key`, 'Check the name. Private channels are visible only to their members.', {
		code: 'pickFromList',
		field: 'channel',
	});
}

function findByName(entries: ChannelEntry[], name: string): string | undefined {
	const wanted = name.trim().replace(/^#/, '').toLowerCase();
	return entries.find((entry) => typeof entry.channel.name === 'string' && entry.channel.name.toLowerCase() === wanted)?.channel.id;
}
