/** The core's errors as Node-RED shows them: the same message and hint as in n8n, on `msg.error` too. */
import { hintIn, PumbleApiError, PumbleInputError, type FixWording } from '../../../core';

/** Node-RED's words for the core's fixes (core/fixes.ts): the config node's fields and msg.payload. */
export const NODE_RED_FIX_WORDING: FixWording = {
	apiKey: () => 'Check the API key in the Pumble config node.',
	baseUrl: () => 'The base URL is the "Base URL" field of the Pumble config node.',
	requestsPerMinute: () => 'The budget is "Requests/min" in the Pumble config node.',
	timeout: () => 'The timeout is "Timeout (s)" in the Pumble config node.',
	asBot: () => 'With asBot set, add the API bot to the channel.',
	textValue: (fix) => `e.g. set msg.payload.${fix.field} to a string (JSON.stringify in a function node).`,
	idValue: (fix) => `e.g. msg.payload.${fix.field} = the id of the object, not the object.`,
	dateValue: (fix) => `e.g. msg.payload.${fix.field} = Date.now() + 3600000.`,
};

/** A core error's hint as a Node-RED user reads it. */
export const nodeRedHint = (error: PumbleApiError | PumbleInputError): string | undefined => hintIn(error, NODE_RED_FIX_WORDING);

export interface PumbleErrorInfo {
	message: string;
	hint?: string;
	/** `input`: bad input, nothing sent; `api`: Pumble's answer or a failed request. */
	kind: 'input' | 'api' | 'other';
	parameter?: string;
	status?: number;
	outcome?: string;
}

export function describeError(error: unknown): PumbleErrorInfo {
	if (error instanceof PumbleInputError) return { message: error.message, hint: nodeRedHint(error), kind: 'input', parameter: error.parameter };
	if (error instanceof PumbleApiError) return { message: error.message, hint: nodeRedHint(error), kind: 'api', status: error.status, outcome: error.outcome };
	return { message: error instanceof Error ? error.message : String(error), kind: 'other' };
}

/** One line for `node.error` and the Debug sidebar: what is wrong, then how to fix it. */
export function errorText(info: PumbleErrorInfo): string {
	return info.hint ? `${info.message} — ${info.hint}` : info.message;
}
