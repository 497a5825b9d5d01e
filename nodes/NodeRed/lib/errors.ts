/** The core's errors as Node-RED shows them: the same message and hint as in n8n, on `msg.error` too. */
import { PumbleApiError, PumbleInputError } from '../../../core';

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
	if (error instanceof PumbleInputError) return { message: error.message, hint: error.hint, kind: 'input', parameter: error.parameter };
	if (error instanceof PumbleApiError) return { message: error.message, hint: error.hint, kind: 'api', status: error.status, outcome: error.outcome };
	return { message: error instanceof Error ? error.message : String(error), kind: 'other' };
}

/** One line for `node.error` and the Debug sidebar: what is wrong, then how to fix it. */
export function errorText(info: PumbleErrorInfo): string {
	return info.hint ? `${info.message} — ${info.hint}` : info.message;
}
