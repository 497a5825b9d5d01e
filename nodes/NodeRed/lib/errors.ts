/**
 * The core's errors as Node-RED shows them. Node-RED builds `msg.error` for Catch nodes itself, from the
 * error handed to `done(err)`: `message` (its `toString()`), `source`, `stack`, and, when the error has them,
 * `code` and `cause` — nothing else (Flow.handleError, the same in 4.1 and 5.0). So the kind goes to
 * `msg.error.code` (a Switch node branches on it) and the facts to `msg.error.cause`:
 * `{ kind, httpStatus, hint, fix, itemIndex, parameter, pumbleCode, outcome }`; the hint in Node-RED's words
 * (NODE_RED_FIX_WORDING: every fix of the core, with the node's fields as the editor labels them).
 */
import { errorFacts, type ErrorFacts, type ErrorKind, type Fix, type FixCode } from '../../../core';
import type { NodeMessage } from './red';

/** The `pumble` node's typed-input fields, by their msg.payload name, as the editor labels them (pumble.html). */
export const EDITOR_LABELS: Readonly<Record<string, string>> = {
	channel: 'Channel',
	user: 'User',
	users: 'Users',
	messageId: 'Message ID',
	text: 'Text',
	emoji: 'Emoji',
	scheduledMessageId: 'Scheduled ID',
	sendAt: 'Send at',
	query: 'Search',
};

/** Where a Node-RED user sets a parameter: the node's field where the editor has one, and msg.payload. */
function whereToSet(field: string | undefined): string {
	if (!field) return 'msg.payload';
	const label = EDITOR_LABELS[field];
	return label ? `the node's "${label}" field or msg.payload.${field}` : `msg.payload.${field}`;
}

/** Node-RED's words for every one of the core's fixes (core/fixes.ts): the config node's fields, the node's fields, msg.payload. */
export const NODE_RED_FIX_WORDING: Record<FixCode, (fix: Fix) => string> = {
	apiKey: () => 'Check the API key in the Pumble config node.',
	baseUrl: () => 'The base URL is the "Base URL" field of the Pumble config node.',
	requestsPerMinute: () => 'The budget is "Requests/min" in the Pumble config node.',
	timeout: () => 'The timeout is "Timeout (s)" in the Pumble config node.',
	asBot: () => 'With msg.payload.asBot set to true, add the API bot to the channel.',
	textValue: (fix) => `e.g. set msg.payload.${fix.field ?? 'text'} to a string (JSON.stringify in a function node).`,
	idValue: (fix) => `e.g. msg.payload.${fix.field ?? 'id'} = the id of the object, not the object.`,
	dateValue: (fix) => `e.g. msg.payload.${fix.field ?? 'sendAt'} = Date.now() + 3600000.`,
	pickFromList: (fix) =>
		fix.field === 'channel' || fix.field === 'user'
			? `Or pick the ${fix.field} with the list button beside the node's "${EDITOR_LABELS[fix.field]}" field (the config node deployed).`
			: `Set ${whereToSet(fix.field)}.`,
	redis: () => "The shared limit's Redis is PUMBLE_RATE_LIMIT_REDIS_URL in the environment Node-RED starts in.",
	nothingToChange: () =>
		`Set at least one of msg.payload.channel, msg.payload.text, msg.payload.sendAt or msg.payload.recurrence (or the node's "Channel", "Text" or "Send at" field).`,
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
