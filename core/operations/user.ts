/** Users and user groups: get (by ID or email), list, the key's user, custom status; list groups. */
import { requireFutureExpiry } from '../api/users';
import { ENDPOINTS } from '../http/endpoints';
import { PumbleInputError } from '../errors';
import { optionalText, toEmojiCode } from '../input/normalize';
import type { User } from '../types';
import { fieldOf, isBlank, limitOf, optionalDateOf, upTo, userIdOf, userRefOf } from './inputs';
import { read, readMany, write, type InputContext, type ListInput, type UserInput } from './types';

const STATUSES: Record<string, string> = { active: 'ACTIVATED', deactivated: 'DEACTIVATED', invited: 'INVITED' };

export interface UsersInput extends ListInput {
	/** active, deactivated or invited (or Pumble's ACTIVATED, …); all when empty. */
	status?: unknown;
	/** Whether bot accounts (API add-on bots, Pumble bots) are listed: yes unless false (both hosts' default). */
	includeBots?: boolean;
}

/** The status filter as Pumble spells it; either spelling is accepted (active / ACTIVATED). */
function statusOf(value: unknown, context: InputContext): string | undefined {
	if (isBlank(value)) return undefined;
	const text = String(value).trim();
	const status = STATUSES[text.toLowerCase()] ?? text.toUpperCase();
	if (!Object.values(STATUSES).includes(status)) {
		throw new PumbleInputError(fieldOf(context, 'status'), `"${text}" is not a user status`, 'Choose active, deactivated or invited.');
	}
	return status;
}

const isBot = (user: User) => user.isAddonBot === true || user.isPumbleBot === true;

export interface SetStatusInput {
	emoji: unknown;
	statusText?: unknown;
	/** Empty: never. */
	expiresAt?: unknown;
}

export const user = {
	get: read({
		endpoint: ENDPOINTS.listUsers,
		validate: (input: { user: UserInput }, context) => userRefOf(input.user, context),
		// Pumble has no "get user": it is found in the (briefly cached) workspace user list.
		run: async (api, ref) => api.getUser(await userIdOf(api, ref)),
	}),
	getAll: readMany({
		endpoint: ENDPOINTS.listUsers,
		validate: (input: UsersInput, context) => ({ status: statusOf(input.status, context), includeBots: input.includeBots !== false, limit: limitOf(input, context) }),
		async run(api, { status, includeBots, limit }) {
			// /listUsers has no paging or filters: the whole workspace comes at once, so filter and slice here.
			const users = (await api.listUsers()).filter((candidate) => (status === undefined || candidate.status === status) && (includeBots || !isBot(candidate)));
			return upTo(users, limit);
		},
	}),
	getMe: read({
		endpoint: ENDPOINTS.myInfo,
		validate: () => ({}),
		// Fresh, not the cached identity: the status or name may have just changed (e.g. Set Custom Status).
		run: (api) => api.myInfo({ fresh: true }),
	}),
	setStatus: write({
		endpoint: ENDPOINTS.customStatus,
		validate(input: SetStatusInput, context) {
			toEmojiCode(input.emoji, fieldOf(context, 'emoji'));
			const statusText = optionalText(input.statusText, fieldOf(context, 'statusText'), 100);
			const expiresAt = optionalDateOf(input.expiresAt, context, 'expiresAt');
			requireFutureExpiry(expiresAt, fieldOf(context, 'expiresAt'));
			return { emoji: input.emoji, statusText, expiresAt };
		},
		run: (api, input) => api.setCustomStatus(input),
	}),
};

export const userGroup = {
	getAll: readMany({
		endpoint: ENDPOINTS.listUserGroups,
		validate: (input: ListInput, context) => ({ limit: limitOf(input, context) }),
		async run(api, { limit }) {
			// /listUserGroups has no paging: everything comes at once, so slice here.
			return upTo(await api.listUserGroups(), limit);
		},
	}),
};
