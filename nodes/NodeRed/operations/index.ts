/**
 * Every operation of the `pumble` node, by resource and operation (the catalogue's names: core/catalogue.ts),
 * as field maps: a message's parameters → the entry's neutral input, checked by the entry before anything is sent.
 */
import { catalogueEntry, PumbleInputError, type CatalogueEntry, type InputContext } from '../../../core';
import type { Params } from '../lib/params';
import { channel } from './channel';
import { message } from './message';
import { reaction } from './reaction';
import { scheduledMessage } from './scheduledMessage';
import type { FieldMap, ResourceFieldMaps } from './types';
import { user, userGroup } from './user';

export const OPERATIONS: Record<string, ResourceFieldMaps> = { message, reaction, channel, scheduledMessage, user, userGroup };

/** Node-RED reads a date and time without an offset as UTC (there is no flow time zone). */
const TIMEZONE = 'UTC';

export interface CheckedMessage {
	entry: CatalogueEntry;
	/** The entry's input, checked: what its lane and its run take. */
	valid: unknown;
}

/** The operation's entry and its checked input; a PumbleInputError (nothing sent) for an unknown operation or bad input. */
export function checkedInput(resource: string, operation: string, params: Params): CheckedMessage {
	const entry = catalogueEntry(resource, operation);
	const map: FieldMap | undefined = Object.hasOwn(OPERATIONS, resource) && Object.hasOwn(OPERATIONS[resource], operation) ? OPERATIONS[resource][operation] : undefined;
	if (!entry || !map) {
		throw new PumbleInputError('operation', `Unknown Pumble operation "${resource}.${operation}"`, 'Set msg.resource and msg.operation, or choose them in the node.');
	}
	const context: InputContext = { timezone: TIMEZONE, fields: map.fields };
	return { entry, valid: entry.validate(map.input(params), context) };
}

export type { FieldMap };
