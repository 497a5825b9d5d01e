/** Users and user groups: get (by ID or email), list, the key's user, custom status; list groups. */
import { optionalDateOf, userIdOf } from '../lib/params';
import type { ResourceOperations } from './types';

export const user: ResourceOperations = {
	get: {
		async run(api, p) {
			return api.getUser(await userIdOf(api, p));
		},
	},
	getAll: {
		async run(api, p) {
			const users = await api.listUsers();
			const includeBots = p.includeBots === true || p.includeBots === 'true';
			return users.filter((u) => (includeBots || (!u.isAddonBot && !u.isPumbleBot)) && (!p.status || u.status === String(p.status).toUpperCase()));
		},
	},
	getMe: {
		run: (api) => api.myInfo(),
	},
	setStatus: {
		run: (api, p) => api.setCustomStatus({ emoji: p.emoji, statusText: p.statusText, expiresAt: optionalDateOf(p, 'expiresAt') }),
	},
};

export const userGroup: ResourceOperations = {
	getAll: {
		run: (api) => api.listUserGroups(),
	},
};
