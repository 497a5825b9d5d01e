/** User operations: listUsers, listUserGroups, myInfo, customStatus. */
import { validationError } from '../validation';
import type { Input } from '../validation';
import { validateEmojiCode } from './fieldRules';
import type { User, UserGroup } from './records';
import type { WorkspaceState } from './state';

const EXPIRATIONS = ['never', 'min30', 'hour1', 'hour4', 'today', 'thisWeek', 'custom'] as const;

export function listUsers(ws: WorkspaceState): User[] {
	return ws.users;
}

export function listUserGroups(ws: WorkspaceState): UserGroup[] {
	return ws.userGroups;
}

export function myInfo(actor: User): User {
	return actor;
}

export function customStatus(ws: WorkspaceState, actor: User, input: Input): void {
	const code = input.optionalString('code');
	const status = input.optionalString('status') ?? '';
	const expiresAt = input.int('expiresAt', { min: 0 });
	const expiration = input.optionalEnum('expiration', EXPIRATIONS) ?? null;
	if (code === undefined) throw validationError('code must not be null');
	if (status.length > 100) throw validationError('status size must be between 0 and 100');
	// Empty code and status is how the Pumble client clears a status (IL's clear path).
	if (code === '' && status === '') {
		actor.customStatus = null;
		return;
	}
	validateEmojiCode('code', code, 102);
	// 0 means "never"; any other past instant was rejected in a live run.
	if (expiresAt !== 0 && expiresAt <= ws.env.now()) throw validationError('expiresAt must be in the future');
	actor.customStatus = { code, status, expiration, expiresAt, showUntil: expiresAt === 0 ? null : expiresAt };
}
