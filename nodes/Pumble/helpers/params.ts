/** Reads n8n parameters into the catalogue's neutral inputs (core/operations/). Validation itself lives in the core. */
import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import type { ChannelInput, ListInput, RecurrenceGiven, UserInput } from '../../../core';
import { toEpochMs } from '../../../core';

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** Whether a resource locator (or plain value) was left empty, e.g. an optional channel filter. */
export function isEmptyLocator(locator: unknown): boolean {
	if (locator && typeof locator === 'object' && 'value' in locator) return isBlank((locator as INodeParameterResourceLocator).value);
	return isBlank(locator);
}

/** An n8n date-time parameter as epoch ms; naive times are read in the workflow's time zone. */
export function getDate(context: IExecuteFunctions, value: unknown, parameter: string): number {
	return toEpochMs(value, parameter, context.getTimezone());
}

export function getOptions(context: IExecuteFunctions, itemIndex: number, name = 'options'): IDataObject {
	return (context.getNodeParameter(name, itemIndex, {}) as IDataObject) ?? {};
}

export function getSimplify(context: IExecuteFunctions, itemIndex: number): boolean {
	return context.getNodeParameter('simplify', itemIndex, true) as boolean;
}

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
