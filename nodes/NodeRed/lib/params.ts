/**
 * Reads the plain parameters of a Node-RED message (`msg.payload` merged over the node's fields) into the
 * core's inputs. Validation itself stays in the core: these helpers only choose between the shapes a
 * flow may give (an ID or a name, an ID or an email, a date string or epoch ms).
 */
import { ChannelRef, Conversation, ID_PATTERN, PumbleApi, PumbleInputError, requireInteger, toChannelRef, toEpochMs } from '../../../core';

export type Params = Record<string, unknown>;

const isBlank = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** A channel by ID, or by name (with or without `#`): names resolve through the core's cached channel list. */
export function channelOf(params: Params, name = 'channel'): ChannelRef {
	const value = params[name];
	const text = typeof value === 'string' ? value.trim() : value;
	return toChannelRef(text, typeof text === 'string' && ID_PATTERN.test(text) ? 'id' : 'name', name);
}

/** The channel a write is addressed to, for its lane (core/lanes/key.ts). */
export function channelConversation(params: Params): Conversation {
	return { channel: channelOf(params) };
}

export function optionalChannelOf(params: Params, name = 'channel'): ChannelRef | undefined {
	return isBlank(params[name]) ? undefined : channelOf(params, name);
}

/** A user by ID, or by email (looked up in the core's cached user list). */
export async function userIdOf(api: PumbleApi, params: Params, name = 'user'): Promise<string> {
	const value = params[name];
	if (isBlank(value)) throw new PumbleInputError(name, `No "${name}" given`, `Set "${name}" to a user ID or an email, e.g. ada@example.com.`);
	const text = String(value).trim();
	return text.includes('@') ? (await api.findUserByEmail(text)).id : text;
}

/** A date as epoch ms: ISO string, or epoch milliseconds. Times without a zone are read as UTC. */
export function dateOf(params: Params, name: string): number {
	return toEpochMs(params[name], name, 'UTC');
}

export function optionalDateOf(params: Params, name: string): number | undefined {
	return isBlank(params[name]) ? undefined : dateOf(params, name);
}

/** Return All (`returnAll: true`) or at most `limit` (default 50), as n8n's Get Many does. */
export function limitOf(params: Params): number | undefined {
	if (params.returnAll === true || params.returnAll === 'true') return undefined;
	return requireInteger(isBlank(params.limit) ? 50 : params.limit, 'limit', 1, 1_000_000);
}

export function flag(params: Params, name: string): boolean {
	return params[name] === true || params[name] === 'true';
}
