/**
 * The core's errors as Node-RED shows them. Node-RED builds `msg.error` for Catch nodes itself, from the
 * error handed to `done(err)`: `message` (its `toString()`), `source`, `stack`, and, when the error has them,
 * `code` and `cause` — nothing else (Flow.handleError, the same in 4.1 and 5.0). So the kind goes to
 * `msg.error.code` (a Switch node branches on it) and the facts to `msg.error.cause`:
 * `{ kind, httpStatus, hint, fix, itemIndex, parameter, pumbleCode, outcome }`; the hint in Node-RED's words
 * (NODE_RED_FIX_WORDING for the core's fixes).
 */
import { errorFacts, type ErrorFacts, type ErrorKind, type FixWording } from '../../../core';
import type { NodeMessage } from './red';

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

export type PumbleErrorInfo = ErrorFacts;

export function describeError(error: unknown): PumbleErrorInfo {
	return errorFacts(error, NODE_RED_FIX_WORDING);
}

/** One line for `node.error` and the Debug sidebar: what is wrong, then how to fix it. */
export function errorText(info: PumbleErrorInfo): string {
	return info.hint ? `${info.message} — ${info.hint}` : info.message;
}

/** `msg.error.cause` of a failed Pumble message. */
export interface PumbleErrorCause extends Omit<ErrorFacts, 'message'> {
	/** The message's place in its sequence (`msg.parts.index`, e.g. from a Split node); 0 for a lone message. */
	itemIndex: number;
}

export type PumbleNodeError = Error & { code: ErrorKind; cause: PumbleErrorCause };

/** The error for `done(err)`: the core's message and hint, `code` its kind, `cause` its facts, the core's stack. */
export function nodeRedError(error: unknown, msg: NodeMessage): PumbleNodeError {
	const { message, ...facts } = describeError(error);
	const parts = msg.parts as { index?: unknown } | undefined;
	const cause: PumbleErrorCause = { ...facts, itemIndex: typeof parts?.index === 'number' ? parts.index : 0 };
	const text = errorText({ message, ...facts });
	const result = new Error(text, { cause }) as PumbleNodeError;
	result.code = facts.kind;
	// Where the core threw, not where the node re-threw.
	if (error instanceof Error && error.stack) result.stack = `Error: ${text}\n${error.stack.split('\n').filter((line) => /^\s+at /.test(line)).join('\n')}`;
	return result;
}

/** A core error's hint as a Node-RED user reads it. */
export const nodeRedHint = (error: unknown): string | undefined => describeError(error).hint;
