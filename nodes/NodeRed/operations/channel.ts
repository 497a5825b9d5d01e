/** Channels: create, get, list (optionally by type), add users, remove a user. */
import type { ChannelsInput, CreateChannelInput } from '../../../core';
import { channelIn, listIn, userIn } from '../lib/params';
import type { ResourceFieldMaps } from './types';

export const channel: ResourceFieldMaps = {
	create: { input: (p): CreateChannelInput => ({ name: p.name, type: p.type, description: p.description }) },
	get: { input: (p) => ({ channel: channelIn(p) }) },
	// `types` (or `type`): a list or a comma-separated text of public, private, direct, self.
	getAll: { input: (p): ChannelsInput => ({ types: p.types ?? p.type, ...listIn(p) }) },
	addUsers: { input: (p) => ({ channel: channelIn(p), userIds: p.userIds }) },
	removeUser: { input: (p) => ({ channel: channelIn(p), user: userIn(p) }) },
};
