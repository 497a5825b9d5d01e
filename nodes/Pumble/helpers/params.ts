/** Reads n8n parameters into the core's inputs. Validation itself lives in the core. */
import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import type { ChannelInput, ListInput, RecurrenceGiven, UserInput } from '../../../core';
import { ChannelRef, ID_PATTERN, PumbleApi, PumbleInputError, RecurrenceInput, requireInteger, toChannelRef, toEpochMs } from '../../../core';

type LocatorValue = INodeParameterResourceLocator | string | undefined | null;

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** Whether a resource locator (or plain value) was left empty, e.g. an optional channel filter. */
export function isEmptyLocator(locator: unknown): boolean {
	if (locator && typeof locator === 'object' && 'value' in locator) return isBlank((locator as INodeParameterResourceLocator).value);
	return isBlank(locator);
}

/** A channel from a resource locator value: From list / By ID give an ID, By name a name. */
export function toChannelRefFromLocator(locator: LocatorValue, parameter = 'channel'): ChannelRef {
	if (typeof locator === 'string' || locator === undefined || locator === null) {
		const text = (locator ?? '').trim();
		return toChannelRef(text, ID_PATTERN.test(text) ? 'id' : 'name', parameter);
	}
	return toChannelRef(locator.value, locator.mode === 'name' ? 'name' : 'id', parameter);
}

export function getChannelRef(context: IExecuteFunctions, itemIndex: number, name = 'channel'): ChannelRef {
	return toChannelRefFromLocator(context.getNodeParameter(name, itemIndex) as LocatorValue, name);
}

/** A user from a resource locator value: by ID (list or typed), or by email (looked up in the cached user list). */
export async function toUserIdFromLocator(api: PumbleApi, locator: LocatorValue, parameter = 'user'): Promise<string> {
	const mode = locator && typeof locator === 'object' ? locator.mode : 'id';
	const raw = locator && typeof locator === 'object' ? locator.value : locator;
	if (mode === 'email') return (await api.findUserByEmail(raw)).id;
	if (isBlank(raw)) throw new PumbleInputError(parameter, 'No user chosen', 'Pick a user from the list, or give their ID or email.');
	return String(raw).trim();
}

export async function getUserId(context: IExecuteFunctions, api: PumbleApi, itemIndex: number, name = 'user'): Promise<string> {
	return toUserIdFromLocator(api, context.getNodeParameter(name, itemIndex) as LocatorValue, name);
}

/** An n8n date-time parameter as epoch ms; naive times are read in the workflow's time zone. */
export function getDate(context: IExecuteFunctions, value: unknown, parameter: string): number {
	return toEpochMs(value, parameter, context.getTimezone());
}

export function optionalDate(context: IExecuteFunctions, value: unknown, parameter: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return getDate(context, value, parameter);
}

export function getOptions(context: IExecuteFunctions, itemIndex: number, name = 'options'): IDataObject {
	return (context.getNodeParameter(name, itemIndex, {}) as IDataObject) ?? {};
}

export function getLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? undefined : requireInteger(context.getNodeParameter('limit', itemIndex, 50), 'limit', 1, 1_000_000);
}

export function getSimplify(context: IExecuteFunctions, itemIndex: number): boolean {
	return context.getNodeParameter('simplify', itemIndex, true) as boolean;
}

/**
 * The recurrence fixedCollection (`{ rule: { type, endAfterOccurrences, endDate } }`) as the core's input.
 * undefined = not set; null = "Does Not Repeat" (remove an existing recurrence).
 */
export function getRecurrence(context: IExecuteFunctions, value: unknown, parameter: string): RecurrenceInput | null | undefined {
	const rule = (value as { rule?: IDataObject } | undefined)?.rule;
	if (!rule) return undefined;
	if (rule.type === 'none') return null;
	return {
		type: rule.type,
		endAfterOccurrences: rule.endAfterOccurrences,
		endDate: optionalDate(context, rule.endDate, `${parameter}.endDate`),
	};
}

// ---------------------------------------------------------------- n8n parameters → the catalogue's neutral input

const isLocator = (value: unknown): value is INodeParameterResourceLocator => typeof value === 'object' && value !== null && 'value' in value;

/** A Channel locator as the catalogue's input: By Name gives a name, From List / By ID an ID; a plain value (an expression) is an ID when shaped like one. */
export function channelInputOf(locator: unknown): ChannelInput {
	if (isLocator(locator)) return { value: locator.value, by: locator.mode === 'name' ? 'name' : 'id' };
	return { value: locator };
}

export const channelInput = (context: IExecuteFunctions, itemIndex: number, name = 'channel'): ChannelInput =>
	channelInputOf(context.getNodeParameter(name, itemIndex));

/** An optional Channel locator (a filter, a move): undefined when left empty. */
export const optionalChannelInputOf = (locator: unknown): ChannelInput | undefined => (isEmptyLocator(locator) ? undefined : channelInputOf(locator));

/** A User locator as the catalogue's input: By Email gives an email, From List / By ID an ID; a plain value is an email when it has an @. */
export function userInputOf(locator: unknown): UserInput {
	if (isLocator(locator)) return { value: locator.value, by: locator.mode === 'email' ? 'email' : 'id' };
	return { value: locator };
}

export const userInput = (context: IExecuteFunctions, itemIndex: number, name = 'user'): UserInput => userInputOf(context.getNodeParameter(name, itemIndex));

/** Return All and Limit (its field's default, 50, when not shown). */
export function listInput(context: IExecuteFunctions, itemIndex: number): ListInput {
	return { returnAll: context.getNodeParameter('returnAll', itemIndex, false) === true, limit: context.getNodeParameter('limit', itemIndex, 50) };
}

/** The recurrence fixedCollection (`{ rule: { type, endAfterOccurrences, endDate } }`); undefined = not set, type `none` = does not repeat. */
export function recurrenceInput(value: unknown): RecurrenceGiven {
	const rule = (value as { rule?: IDataObject } | undefined)?.rule;
	return rule ? { type: rule.type, endAfterOccurrences: rule.endAfterOccurrences, endDate: rule.endDate } : undefined;
}
