/** Users, user groups and the key user's custom status. The API has no "get user": users come from the list. */
import type { PumbleClient } from '../http/client';
import { NEVER_EXPIRES } from '../constants';
import { ENDPOINTS } from '../http/endpoints';
import { PumbleApiError, PumbleInputError } from '../errors';
import { optionalText, requireId, toEmojiCode } from '../input/normalize';
import type { User, UserGroup } from '../types';
import type { Directory } from './directory';
import { asArray, StatusSetReceipt } from './shape';

/** An email as the user list holds it (trimmed, lowercase), or a PumbleInputError. */
export function requireEmail(email: unknown, parameter = 'user'): string {
	const wanted = typeof email === 'string' ? email.trim().toLowerCase() : '';
	if (!wanted.includes('@')) {
		throw new PumbleInputError(parameter, `"${String(email)}" is not an email address`, 'Give the email the person uses in Pumble, e.g. ada@example.com.');
	}
	return wanted;
}

/** A status expiry, when there is one, must be in the future. */
export function requireFutureExpiry(expiresAt: number | undefined, parameter = 'expiresAt'): void {
	if (expiresAt !== undefined && expiresAt <= Date.now()) {
		throw new PumbleInputError(parameter, 'The expiry is in the past', `Leave "${parameter}" empty for a status that never expires, or give a future date.`);
	}
}

export class Users {
	constructor(
		private readonly client: PumbleClient,
		private readonly directory: Directory,
	) {}

	listUserGroups(): Promise<UserGroup[]> {
		return this.client.call<UserGroup[]>(ENDPOINTS.listUserGroups).then(asArray);
	}

	/** Found in the (briefly cached) user list. */
	async getUser(userId: unknown): Promise<User> {
		const id = requireId(userId, 'user', 'user ID');
		const user = (await this.directory.listUsers({ cached: true })).find((candidate) => candidate.id === id);
		if (!user) {
			throw new PumbleApiError({
				operation: 'listUsers',
				apiMessage: `No user with ID ${id} in this workspace`,
				hint: 'Check the ID.',
				fix: { code: 'pickFromList', field: 'user' },
				outcome: 'rejected',
			});
		}
		return user;
	}

	async findUserByEmail(email: unknown): Promise<User> {
		const wanted = requireEmail(email);
		const user = (await this.directory.listUsers({ cached: true })).find((candidate) => candidate.email?.toLowerCase() === wanted);
		if (!user) {
			throw new PumbleInputError('user', `No Pumble user has the email ${wanted}`, 'Check the spelling.', { code: 'pickFromList', field: 'user' });
		}
		return user;
	}

	/** Pumble answers with an empty body: the receipt echoes what is now set. */
	async setCustomStatus(input: { emoji: unknown; statusText?: unknown; expiresAt?: number }): Promise<StatusSetReceipt> {
		const { code } = toEmojiCode(input.emoji, 'emoji');
		const status = optionalText(input.statusText, 'statusText', 100);
		// Pumble requires expiresAt; the Pumble client itself uses this far-future value for "never".
		const expiresAt = input.expiresAt ?? NEVER_EXPIRES;
		requireFutureExpiry(input.expiresAt);
		await this.client.call(ENDPOINTS.customStatus, { body: { code, ...(status ? { status } : {}), expiresAt } });
		return { success: true, emoji: code, statusText: status ?? '', expiresAt: input.expiresAt ?? null };
	}
}
