/** Turns core errors into n8n's: NodeApiError for Pumble's answers, NodeOperationError for bad input. */
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { hintIn, PumbleApiError, PumbleInputError, type Fix, type FixWording } from '../../../core';

/** n8n's words for the core's fixes (core/fixes.ts): the credential's fields, n8n's expressions and lists. */
export const N8N_FIX_WORDING: FixWording = {
	apiKey: () => 'Check the API Key of the "Pumble API" credential.',
	baseUrl: () => 'The base URL is the "Base URL" field of the "Pumble API" credential.',
	requestsPerMinute: () => 'The budget is "Requests per Minute" in the "Pumble API" credential (Show Advanced Settings).',
	timeout: () => 'The timeout is "Request Timeout (Seconds)" in the "Pumble API" credential (Show Advanced Settings).',
	asBot: () => 'With "Send as Bot" on, add the API bot to the channel.',
	textValue: (fix) => `For an expression, e.g. {{ JSON.stringify($json.data) }} in "${fix.field}".`,
	idValue: (fix) => `For an expression, point "${fix.field}" at the id field, e.g. {{ $json.id }}.`,
	dateValue: (fix) => `Or an expression in "${fix.field}", e.g. {{ $now.plus({ hours: 1 }) }}.`,
	pickFromList: (fix) => `Or pick the ${fix.field ?? 'item'} from the list.`,
	nothingToChange: (fix) => `Add at least one field under "${fix.field === 'updateFields' || fix.field === undefined ? 'Update Fields' : fix.field}": Channel, Text, Send At or Recurrence.`,
	redis: () => 'Redis is set by PUMBLE_RATE_LIMIT_REDIS_URL or n8n\'s queue mode (QUEUE_BULL_REDIS_*).',
};

/** A core error's hint as an n8n user reads it. */
export const n8nHint = (error: { hint?: string; fix?: Fix }): string | undefined => hintIn(error, N8N_FIX_WORDING);

export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof PumbleInputError) {
		return new NodeOperationError(node, `${error.message} [item ${itemIndex}]`, {
			itemIndex,
			description: n8nHint(error),
		});
	}
	if (error instanceof PumbleApiError) {
		// Only what Pumble said and what we know: never request options (they carry the ApiKey header).
		const response: JsonObject = {
			operation: error.operation,
			message: error.apiMessage,
			outcome: error.outcome,
			...(error.status !== undefined ? { httpCode: String(error.status) } : {}),
			...(error.code !== undefined ? { code: error.code } : {}),
		};
		return new NodeApiError(node, response, {
			itemIndex,
			message: `${error.message} [item ${itemIndex}]`,
			description: n8nHint(error),
			...(error.status !== undefined ? { httpCode: String(error.status) } : {}),
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, `${message} [item ${itemIndex}]`, { itemIndex });
}
