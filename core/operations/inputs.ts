/** Checks of the neutral input shared by several operations: channels, people, limits, dates, recurrences. */
import { requireEmail } from '../api/users';
import { toRecurrence, type RecurrenceInput } from '../api/scheduled';
import { ID_PATTERN } from '../constants';
import { PumbleInputError } from '../errors';
import { laneKey, type Conversation, type LaneDirectory } from '../lanes/key';
import { requireId, requireInteger, toChannelRef, toEpochMs } from '../input/normalize';
import type { PumbleApi } from '../api';
import type { ChannelRef } from '../types';
import type { ChannelInput, InputContext, ListInput, UserInput, UserRef } from './types';

export const isBlank = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** The host's name of a field, for error messages. */
export const fieldOf = (context: InputContext, field: string): string => context.fields?.[field] ?? field;

export function channelRefOf(input: ChannelInput | undefined, context: InputContext, field = 'channel'): ChannelRef {
	const value = typeof input?.value === 'string' ? input.value.trim() : input?.value;
	const by = input?.by ?? (typeof value === 'string' && ID_PATTERN.test(value) ? 'id' : 'name');
	return toChannelRef(value, by, fieldOf(context, field));
}

/** An optional channel (a filter, a move): undefined when left empty. */
export function optionalChannelRefOf(input: ChannelInput | undefined, context: InputContext, field = 'channel'): ChannelRef | undefined {
	return input === undefined || isBlank(input.value) ? undefined : channelRefOf(input, context, field);
}

export function userRefOf(input: UserInput | undefined, context: InputContext, field = 'user'): UserRef {
	const parameter = fieldOf(context, field);
	const value = input?.value;
	if (isBlank(value)) {
		throw new PumbleInputError(parameter, 'No user chosen', 'Give their user ID or email, e.g. ada@example.com.', { code: 'pickFromList', field: parameter });
	}
	const by = input?.by ?? (String(value).includes('@') ? 'email' : 'id');
	return by === 'email' ? { email: requireEmail(value, parameter) } : { id: requireId(value, parameter, 'user ID') };
}

/** The user's ID: an email is looked up in the key's cached user list. */
export async function userIdOf(api: PumbleApi, user: UserRef): Promise<string> {
	return 'id' in user ? user.id : (await api.findUserByEmail(user.email)).id;
}

/** At most this many results; undefined = all. */
export function limitOf(input: ListInput, context: InputContext): number | undefined {
	if (input.returnAll === true) return undefined;
	return requireInteger(isBlank(input.limit) ? 50 : input.limit, fieldOf(context, 'limit'), 1, 1_000_000);
}

export function dateOf(value: unknown, context: InputContext, field: string): number {
	return toEpochMs(value, fieldOf(context, field), context.timezone);
}

export function optionalDateOf(value: unknown, context: InputContext, field: string): number | undefined {
	return isBlank(value) ? undefined : dateOf(value, context, field);
}

/** A repeat rule: a type (`DAILY`, …), or `{ type, endAfterOccurrences?, endDate? }`; `none` or null = "does not repeat". */
export type RecurrenceGiven = string | { type?: unknown; endAfterOccurrences?: unknown; endDate?: unknown } | null | undefined;

/** undefined = not given; null = does not repeat (stop an existing repetition). */
export function recurrenceOf(given: RecurrenceGiven, context: InputContext, field = 'recurrence'): RecurrenceInput | null | undefined {
	if (given === undefined || given === '') return undefined;
	if (given === null) return null;
	const rule = typeof given === 'object' ? given : { type: given };
	if (String(rule.type ?? '').toLowerCase() === 'none') return null;
	const parameter = fieldOf(context, field);
	const endDate = isBlank(rule.endDate) ? undefined : toEpochMs(rule.endDate, `${parameter}.endDate`, context.timezone);
	const recurrence: RecurrenceInput = { type: rule.type, endAfterOccurrences: rule.endAfterOccurrences, endDate };
	toRecurrence(recurrence, parameter); // checked now, before anything is sent
	return recurrence;
}

/** The lane of a write addressed to the conversation `conversationOf` names. */
export function laneOf<Valid>(conversationOf: (input: Valid) => Conversation | undefined) {
	return (directory: LaneDirectory, input: Valid): Promise<string | undefined> => laneKey(directory, conversationOf(input));
}

/** The lane of a write to the channel its input names. */
export function inChannel<Valid extends { channel: ChannelRef }>(directory: LaneDirectory, input: Valid): Promise<string | undefined> {
	return laneKey(directory, { channel: input.channel });
}

/** The first `limit` results; all when `limit` is undefined (for lists Pumble returns whole: users, channels, groups). */
export const upTo = <T>(list: T[], limit: number | undefined): T[] => (limit === undefined ? list : list.slice(0, limit));
