/** Channels: create, get, list (optionally by type), add users, remove a user. */
import { CHANNEL_TYPES, flatChannel } from '../../../core';
import { channelConversation, channelOf, Params, userIdOf } from '../lib/params';
import type { ResourceOperations } from './types';

function typesOf(p: Params): string[] {
	const raw = p.types ?? p.type;
	const list = Array.isArray(raw) ? raw : typeof raw === 'string' && raw.trim() ? raw.split(/[\s,]+/) : [];
	return list.map((type) => CHANNEL_TYPES[String(type).toLowerCase() as keyof typeof CHANNEL_TYPES] ?? String(type).toUpperCase());
}

export const channel: ResourceOperations = {
	create: {
		run: (api, p) => api.createChannel({ name: p.name, type: p.type ?? 'PUBLIC', description: p.description }),
	},
	get: {
		async run(api, p) {
			const ref = channelOf(p);
			return flatChannel(await api.getChannel({ id: await api.channelId(ref) }));
		},
	},
	getAll: {
		async run(api, p) {
			const types = typesOf(p);
			const entries = await api.listChannels();
			return entries.filter((entry) => types.length === 0 || types.includes(String(entry.channel.channelType))).map(flatChannel);
		},
	},
	addUsers: {
		conversation: channelConversation,
		run: (api, p) => api.addUsersToChannel(channelOf(p), p.userIds),
	},
	removeUser: {
		conversation: channelConversation,
		run: async (api, p) => api.removeUserFromChannel(channelOf(p), await userIdOf(api, p)),
	},
};
