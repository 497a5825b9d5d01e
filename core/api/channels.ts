/** Channels: read one, create one, add and remove members. Names resolve through the directory. */
import type { PumbleClient } from '../http/client';
import { ENDPOINTS } from '../http/endpoints';
import { PumbleInputError } from '../errors';
import { optionalText, requireId, requireIdList } from '../input/normalize';
import type { ChannelEntry, ChannelRef, ChannelType } from '../types';
import type { Directory } from './directory';
import type { UserRemovedReceipt, UsersAddedReceipt } from './shape';

export const CHANNEL_TYPES: Record<'public' | 'private' | 'direct' | 'self', ChannelType> = {
	public: 'PUBLIC',
	private: 'PRIVATE',
	direct: 'DIRECT',
	self: 'SELF',
};

/**
 * A new channel's name, type and description as Pumble takes them, or a PumbleInputError. `nameOf` gives the
 * host's name of a field (`name`, `type`, `description`) for the error; the neutral name by default.
 */
export function channelSpec(
	input: { name: unknown; type: unknown; description?: unknown },
	nameOf: (field: string) => string = (field) => field,
): { name: string; type: 'PUBLIC' | 'PRIVATE'; description?: string } {
	const name = typeof input.name === 'string' ? input.name.trim().replace(/^#/, '') : '';
	if (!name) throw new PumbleInputError(nameOf('name'), 'The channel name is empty', `Give the new channel a name in "${nameOf('name')}", e.g. project-updates.`);
	if (name.length > 80 || !/^[\p{L}\p{N}_\- ]+$/u.test(name)) {
		throw new PumbleInputError(
			nameOf('name'),
			`"${name.slice(0, 80)}" is not a valid channel name`,
			'Use 1–80 letters, digits, spaces, "-" or "_" (Pumble lowercases the name and turns spaces into "-").',
		);
	}
	const type = String(input.type ?? '').toUpperCase();
	if (type !== 'PUBLIC' && type !== 'PRIVATE') {
		throw new PumbleInputError(nameOf('type'), `"${String(input.type)}" is not a channel type`, `Set "${nameOf('type')}" to "public" or "private".`);
	}
	return { name, type, description: optionalText(input.description, nameOf('description'), 250) };
}

export class Channels {
	constructor(
		private readonly client: PumbleClient,
		private readonly directory: Directory,
	) {}

	async getChannel(channel: ChannelRef): Promise<ChannelEntry> {
		return this.client.call<ChannelEntry>(ENDPOINTS.getChannel, { query: { channelId: await this.directory.channelId(channel) } });
	}

	async createChannel(input: { name: unknown; type: unknown; description?: unknown }): Promise<{ id: string; name: string }> {
		const { name, type, description } = channelSpec(input);
		const receipt = await this.client.call<{ id: string; name: string }>(ENDPOINTS.createChannel, {
			body: { name, type, ...(description ? { description } : {}) },
		});
		this.directory.forget('listChannels');
		return receipt;
	}

	async addUsersToChannel(channel: ChannelRef, userIds: unknown): Promise<UsersAddedReceipt> {
		const ids = requireIdList(userIds, 'userIds', 'user ID');
		const channelId = await this.directory.channelId(channel);
		await this.client.call(ENDPOINTS.addUsersToChannel, { body: { channelId, userIds: ids } });
		this.directory.forget('listChannels');
		return { success: true, channelId, userIds: ids };
	}

	async removeUserFromChannel(channel: ChannelRef, userId: unknown): Promise<UserRemovedReceipt> {
		const id = requireId(userId, 'user', 'user ID');
		const channelId = await this.directory.channelId(channel);
		await this.client.call(ENDPOINTS.removeUserFromChannel, { body: { channelId, userId: id } });
		this.directory.forget('listChannels');
		return { success: true, channelId, userId: id };
	}
}
