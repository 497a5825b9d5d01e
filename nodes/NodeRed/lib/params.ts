/**
 * A message's parameters (`msg.payload` merged with the node's fields, read once: lib/inputs.ts) as the
 * pieces of a catalogue entry's neutral input. Only the shapes are chosen here; the entry checks the values.
 */
import type { ChannelInput, ListInput, UserInput } from '../../../core';

export type Params = Record<string, unknown>;

/** A channel by ID or by name (`general`, `#general`): the entry tells them apart by their shape. */
export const channelIn = (params: Params, name = 'channel'): ChannelInput => ({ value: params[name] });

/** A person by ID or by email: the entry tells them apart by their shape. */
export const userIn = (params: Params, name = 'user'): UserInput => ({ value: params[name] });

/** A flag from a message: `true` or the text `"true"` (a typed input or a template gives text). */
export const flag = (params: Params, name: string): boolean => params[name] === true || params[name] === 'true';

/** Return All (`returnAll: true`) or at most `limit` (the entry's default: 50). */
export const listIn = (params: Params): ListInput => ({ returnAll: flag(params, 'returnAll'), limit: params.limit });

/** A value that was given: neither missing nor the empty text. */
export const isGiven = (value: unknown): boolean => value !== undefined && value !== '';
