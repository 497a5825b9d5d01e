/** Reads n8n parameters into the core's inputs. Validation itself lives in the core. */
import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { ChannelRef, PumbleApi, PumbleInputError, toChannelRef, toEpochMs } from '../core';

export function getChannelRef(context: IExecuteFunctions, itemIndex: number, name = 'channel'): ChannelRef {
	const locator = context.getNodeParameter(name, itemIndex) as INodeParameterResourceLocator | string;
	if (typeof locator === 'string') return toChannelRef(locator, /^[0-9a-f]{24}$/i.test(locator.trim()) ? 'id' : 'name', name);
	return toChannelRef(locator.value, locator.mode === 'name' ? 'name' : 'id', name);
}

/** A user from a resource locator: by ID (list or typed), or by email (looked up in the cached user list). */
export async function getUserId(context: IExecuteFunctions, api: PumbleApi, itemIndex: number, name = 'user'): Promise<string> {
	const locator = context.getNodeParameter(name, itemIndex) as INodeParameterResourceLocator;
	if (locator.mode === 'email') return (await api.findUserByEmail(locator.value)).id;
	const value = typeof locator.value === 'string' ? locator.value.trim() : locator.value;
	if (!value) throw new PumbleInputError(name, 'No user chosen', 'Pick a user from the list, or give their ID or email.');
	return String(value);
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
	return returnAll ? undefined : (context.getNodeParameter('limit', itemIndex, 50) as number);
}
