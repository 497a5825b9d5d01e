/** Users and user groups: get (by ID or email), list, the key's user, custom status; list groups. */
import type { SetStatusInput, UsersInput } from '../../../core';
import { listIn, userIn } from '../lib/params';
import type { ResourceFieldMaps } from './types';

export const user: ResourceFieldMaps = {
	get: { input: (p) => ({ user: userIn(p) }) },
	// Bots are listed unless `includeBots` is false (or "false"), as in the n8n node.
	getAll: { input: (p): UsersInput => ({ status: p.status, includeBots: !(p.includeBots === false || p.includeBots === 'false'), ...listIn(p) }) },
	getMe: { input: () => ({}) },
	setStatus: { input: (p): SetStatusInput => ({ emoji: p.emoji, statusText: p.statusText, expiresAt: p.expiresAt }) },
};

export const userGroup: ResourceFieldMaps = {
	getAll: { input: listIn },
};
