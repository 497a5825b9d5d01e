/** Small helpers that shape requests and answers the way Pumble sends and expects them. */
import type { ChannelRef } from '../types';

/** A channel as a query or body field: always by ID once names are resolved (see directory.ts). */
export function channelField(channelId: string): { channelId: string } {
	return { channelId };
}

/** A bare array, whatever came back (Pumble answers lists as bare arrays; a proxy may not). */
export function asArray<T>(value: T[]): T[] {
	return Array.isArray(value) ? value : [];
}

/** Replies of a thread: a bare array per the API descriptions, a `{messages}` envelope in some recordings. */
export function repliesOf<T>(answer: T[] | { messages?: T[] } | undefined | null): T[] {
	if (Array.isArray(answer)) return answer;
	return answer?.messages ?? [];
}

export function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function hasValues(value: unknown): boolean {
	if (Array.isArray(value)) return value.length > 0;
	return typeof value === 'string' && value.trim() !== '';
}

/** How a channel is named in messages: its ID, or its name in quotes. */
export function describeChannel(channel: ChannelRef): string {
	return 'id' in channel ? channel.id : `"${channel.name}"`;
}
