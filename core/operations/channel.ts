/** Channels: create, get, list (optionally by type), add people, remove a person. */
import { CHANNEL_TYPES, channelSpec } from '../api/channels';
import { flatChannel } from '../api/shape';
import { ENDPOINTS } from '../http/endpoints';
import { PumbleInputError } from '../errors';
import { requireIdList } from '../input/normalize';
import type { ChannelType } from '../types';
import { channelRefOf, fieldOf, inChannel, isBlank, limitOf, upTo, userIdOf, userRefOf } from './inputs';
import { orderedWrite, read, readMany, write, type ChannelInput, type InputContext, type ListInput, type UserInput } from './types';

export interface CreateChannelInput {
	name: unknown;
	/** public (the default) or private. */
	type?: unknown;
	description?: unknown;
}

export interface ChannelsInput extends ListInput {
	/** Channel types (public, private, direct, self): a list, or a comma-separated string; all when empty. */
	types?: unknown;
}

function typesOf(value: unknown, context: InputContext): ChannelType[] {
	const given = isBlank(value) ? [] : Array.isArray(value) ? value : String(value).split(/[\s,]+/).filter(Boolean);
	return given.map((type) => {
		const known = CHANNEL_TYPES[String(type).trim().toLowerCase() as keyof typeof CHANNEL_TYPES];
		if (!known) {
			throw new PumbleInputError(fieldOf(context, 'types'), `"${String(type)}" is not a channel type`, `Use any of ${Object.keys(CHANNEL_TYPES).join(', ')}.`);
		}
		return known;
	});
}

export const channel = {
	create: write({
		endpoint: ENDPOINTS.createChannel,
		validate: (input: CreateChannelInput, context) =>
			channelSpec({ name: input.name, type: isBlank(input.type) ? 'public' : input.type, description: input.description }, (field) => fieldOf(context, field)),
		run: (api, input) => api.createChannel(input),
	}),
	get: read({
		endpoint: ENDPOINTS.getChannel,
		validate: (input: { channel: ChannelInput }, context) => channelRefOf(input.channel, context),
		run: async (api, ref) => flatChannel(await api.getChannel(ref)),
	}),
	getAll: readMany({
		endpoint: ENDPOINTS.listChannels,
		validate: (input: ChannelsInput, context) => ({ types: typesOf(input.types, context), limit: limitOf(input, context) }),
		async run(api, { types, limit }) {
			// /listChannels has no paging or filters: everything comes at once, so filter and slice here.
			const entries = (await api.listChannels()).filter((entry) => types.length === 0 || types.includes(entry.channel.channelType as ChannelType));
			return upTo(entries, limit).map(flatChannel);
		},
	}),
	addUsers: orderedWrite({
		endpoint: ENDPOINTS.addUsersToChannel,
		validate: (input: { channel: ChannelInput; userIds: unknown }, context) => ({
			channel: channelRefOf(input.channel, context),
			userIds: requireIdList(input.userIds, fieldOf(context, 'userIds'), 'user ID'),
		}),
		lane: inChannel,
		run: (api, input) => api.addUsersToChannel(input.channel, input.userIds),
	}),
	removeUser: orderedWrite({
		endpoint: ENDPOINTS.removeUserFromChannel,
		validate: (input: { channel: ChannelInput; user: UserInput }, context) => ({ channel: channelRefOf(input.channel, context), user: userRefOf(input.user, context) }),
		lane: inChannel,
		run: async (api, input) => api.removeUserFromChannel(input.channel, await userIdOf(api, input.user)),
	}),
};
