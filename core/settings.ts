/**
 * A credential's settings (API key aside) as the client needs them, whichever host holds the credential:
 * n8n's "Pumble API" credential and Node-RED's `pumble-config` node have the same fields.
 */
import { DEFAULT_BASE_URL } from './constants';
import { DEFAULT_TIMEOUT_MS, identityOf } from './http/client';
import { DEFAULT_RESERVE_SHARE } from './limiter/types';

export interface ConnectionSettings extends Partial<Record<OperationLimitField, number | string>> {
	baseUrl?: string;
	requestsPerMinute?: number | string;
	/** Percent of each minute's budget the busiest workflow leaves to the others (RESERVE_SETTING). */
	reservePercent?: number | string;
	timeoutSeconds?: number | string;
}

/**
 * The per-operation limits a credential may declare: its field, its label, what Pumble counts against it, and
 * the operation class (`endpoint.rateClass`) the limiter applies it to. n8n's credential form, the n8n
 * transport and Node-RED's config node all read this one table.
 */
export const OPERATION_LIMITS = [
	{ name: 'messagesPerMinute', displayName: 'Messages per Minute', counts: 'new messages and direct messages (Send)', rateClass: 'sendMessage' },
	{ name: 'repliesPerMinute', displayName: 'Replies per Minute', counts: 'thread replies (Reply in Thread)', rateClass: 'sendReply' },
	{ name: 'reactionsPerMinute', displayName: 'Reactions per Minute', counts: 'reactions added or removed', rateClass: 'reaction' },
	{ name: 'channelsPerMinute', displayName: 'Channel Creations per Minute', counts: 'channels created', rateClass: 'createChannel' },
	{
		name: 'scheduledMessagesPerMinute',
		displayName: 'Scheduled Messages per Minute',
		counts: 'scheduled messages created',
		rateClass: 'createScheduledMessage',
	},
] as const;

export type OperationLimitField = (typeof OPERATION_LIMITS)[number]['name'];

/** The per-operation limits a credential declares (0 or empty: not declared). */
export function operationLimitsOf(settings: ConnectionSettings): Record<string, number> | undefined {
	const limits: Record<string, number> = {};
	for (const { name: field, rateClass } of OPERATION_LIMITS) {
		const value = Number(settings[field]);
		if (Number.isFinite(value) && value >= 1) limits[rateClass] = Math.floor(value);
	}
	return Object.keys(limits).length > 0 ? limits : undefined;
}

/** The reserve for other requesters: the field's name, default and bound, for n8n's credential and Node-RED's config node (each words its label). */
export const RESERVE_SETTING = {
	name: 'reservePercent',
	default: DEFAULT_RESERVE_SHARE * 100,
	max: 50,
} as const;

/** The reserve share (0–0.5) a credential asks for; empty or unreadable: the default (5 %). */
export function reserveShareOf(settings: ConnectionSettings): number {
	const raw = settings.reservePercent;
	const value = raw === undefined || raw === '' ? NaN : Number(raw);
	if (!Number.isFinite(value) || value < 0) return DEFAULT_RESERVE_SHARE;
	return Math.min(RESERVE_SETTING.max, value) / 100;
}

export function normalizeBaseUrl(baseUrl: string | undefined): string {
	return (baseUrl?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/**
 * The one recipe from a connection's settings to the client's options (n8n's credential, Node-RED's config
 * node): the key's identity, the base URL, the user's budget, the declared per-operation limits and the
 * timeout. An empty, zero or unreadable number means the default. The host adds its transport, events,
 * cancel signal and requester.
 */
export function clientOptionsOf(apiKey: string, settings: ConnectionSettings): ConnectionOptions {
	const requestsPerMinute = Number(settings.requestsPerMinute);
	const timeoutSeconds = Number(settings.timeoutSeconds);
	return {
		identity: identityOf(apiKey),
		baseUrl: normalizeBaseUrl(settings.baseUrl),
		rateLimit: { limit: requestsPerMinute >= 1 ? Math.floor(requestsPerMinute) : DEFAULT_REQUESTS_PER_MINUTE, reserveShare: reserveShareOf(settings) },
		operationLimits: operationLimitsOf(settings),
		timeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : DEFAULT_TIMEOUT_MS,
	};
}

/** Pumble's documented limit per user. */
export const DEFAULT_REQUESTS_PER_MINUTE = 1000;

export interface ConnectionOptions {
	identity: string;
	baseUrl: string;
	rateLimit: { limit: number; reserveShare: number };
	operationLimits: Record<string, number> | undefined;
	timeoutMs: number;
}
