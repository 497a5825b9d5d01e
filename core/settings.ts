/**
 * A credential's settings (API key aside) as the client needs them, whichever host holds the credential:
 * n8n's "Pumble API" credential and Node-RED's `pumble-config` node have the same fields.
 */
import { DEFAULT_BASE_URL } from './constants';

export interface ConnectionSettings extends Partial<Record<OperationLimitField, number | string>> {
	baseUrl?: string;
	requestsPerMinute?: number | string;
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

export function normalizeBaseUrl(baseUrl: string | undefined): string {
	return (baseUrl?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
}
