/**
 * A credential's settings (API key aside) as the client needs them, whichever host holds the credential:
 * n8n's "Pumble API" credential and Node-RED's `pumble-config` node have the same fields.
 */
import { DEFAULT_BASE_URL } from './constants';

export interface ConnectionSettings {
	baseUrl?: string;
	requestsPerMinute?: number | string;
	timeoutSeconds?: number | string;
	messagesPerMinute?: number | string;
	repliesPerMinute?: number | string;
	reactionsPerMinute?: number | string;
	channelsPerMinute?: number | string;
	scheduledMessagesPerMinute?: number | string;
}

/** Credential field → the operation class (endpoint.rateClass) it limits. */
export const OPERATION_LIMIT_FIELDS = {
	messagesPerMinute: 'sendMessage',
	repliesPerMinute: 'sendReply',
	reactionsPerMinute: 'reaction',
	channelsPerMinute: 'createChannel',
	scheduledMessagesPerMinute: 'createScheduledMessage',
} as const satisfies Partial<Record<keyof ConnectionSettings, string>>;

/** The per-operation limits a credential declares (0 or empty: not declared). */
export function operationLimitsOf(settings: ConnectionSettings): Record<string, number> | undefined {
	const limits: Record<string, number> = {};
	for (const [field, rateClass] of Object.entries(OPERATION_LIMIT_FIELDS)) {
		const value = Number(settings[field as keyof typeof OPERATION_LIMIT_FIELDS]);
		if (Number.isFinite(value) && value >= 1) limits[rateClass] = Math.floor(value);
	}
	return Object.keys(limits).length > 0 ? limits : undefined;
}

export function normalizeBaseUrl(baseUrl: string | undefined): string {
	return (baseUrl?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
}
