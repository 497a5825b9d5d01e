import type { Fix } from './fixes';
import type { NetworkFailure } from './http/transport';

/**
 * What we know about whether Pumble acted on a failed request:
 * - `rejected`: Pumble answered with an error; nothing changed;
 * - `notProcessed`: Pumble refused before processing (429) or the request never left (refused connection,
 *   cancelled before it was sent);
 * - `unknown`: the connection broke, timed out, or a server error came back — a write may or may not have happened.
 */
export type FailureOutcome = 'rejected' | 'notProcessed' | 'unknown';

/** Pumble answers errors in two shapes: `{error}` (handlers) and `{message, localizedMessage, code}` (validation). */
export interface PumbleErrorBody {
	error?: string;
	message?: string;
	localizedMessage?: string;
	code?: number;
}

const FORBIDDEN_HINT =
	'Pumble answers 403 for several reasons: the API key is wrong or was deleted (`/api-keys list` in Pumble shows your keys), ' +
	"the key's user lacks permission, the channel is private and the user — or, posting as the bot, the API bot — is not a member, " +
	'a parameter failed validation, or the object does not exist.';

export class PumbleApiError extends Error {
	/** HTTP status, when a response arrived. */
	readonly status?: number;
	/** Pumble's numeric error code from the structured shape (e.g. 404100 not found, 400000 validation). */
	readonly code?: number;
	/** Pumble's own words, or the network failure. */
	readonly apiMessage: string;
	/** What the user can do about it, in no host's terms (see `fix` and core/fixes.ts). */
	readonly hint: string;
	/** The setting or field that fixes it, for the host to name in its own terms. */
	readonly fix?: Fix;
	readonly outcome: FailureOutcome;
	readonly operation: string;
	readonly networkFailure?: NetworkFailure;
	/** The execution was cancelled (n8n's Stop, a timeout): with `notProcessed` the request never left. */
	readonly cancelled: boolean;

	constructor(init: {
		operation: string;
		apiMessage: string;
		hint: string;
		fix?: Fix;
		outcome: FailureOutcome;
		status?: number;
		code?: number;
		networkFailure?: NetworkFailure;
		cancelled?: boolean;
	}) {
		const statusText = init.status !== undefined ? ` (HTTP ${init.status}${init.code !== undefined ? `, code ${init.code}` : ''})` : '';
		super(`Pumble ${init.operation} failed${statusText}: ${init.apiMessage}`);
		this.name = 'PumbleApiError';
		this.operation = init.operation;
		this.status = init.status;
		this.code = init.code;
		this.apiMessage = init.apiMessage;
		this.hint = init.hint;
		this.fix = init.fix;
		this.outcome = init.outcome;
		this.networkFailure = init.networkFailure;
		this.cancelled = init.cancelled === true;
	}

	get isNotFound(): boolean {
		return this.code === 404100 || /not found|could not find/i.test(this.apiMessage);
	}

	/** Builds the error from an HTTP error response, whatever its body shape. */
	static fromResponse(operation: string, status: number, body: unknown): PumbleApiError {
		const { text, code } = readErrorBody(body);
		const apiMessage = text || `HTTP ${status} without an error message`;
		return new PumbleApiError({
			operation,
			status,
			code,
			apiMessage,
			...hintFor(status, code, apiMessage, body),
			outcome: status === 429 ? 'notProcessed' : status >= 500 ? 'unknown' : 'rejected',
		});
	}
}

/** Bad input found before any request was sent. The hosts word it (n8n: a NodeOperationError). */
export class PumbleInputError extends Error {
	constructor(
		/** The parameter at fault, as the user knows it (e.g. `messageId`). */
		readonly parameter: string,
		message: string,
		/** How to fix it, in no host's terms. */
		readonly hint: string,
		/** The fix for the host to word (an example in its own syntax, its field's label). */
		readonly fix?: Fix,
	) {
		super(message);
		this.name = 'PumbleInputError';
	}
}

function readErrorBody(body: unknown): { text: string; code?: number } {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const b = body as PumbleErrorBody;
		const text = b.error ?? b.localizedMessage ?? b.message ?? '';
		const code = typeof b.code === 'number' ? b.code : undefined;
		return { text: String(text), code };
	}
	if (typeof body === 'string' && body.trim() !== '') {
		if (/^\s*</.test(body)) {
			const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
			return { text: `an HTML page${title ? ` ("${title}")` : ''} instead of JSON — a proxy or gateway answered` };
		}
		return { text: body.trim().slice(0, 300) };
	}
	return { text: '' };
}

function hintFor(status: number, code: number | undefined, text: string, body: unknown): { hint: string; fix?: Fix } {
	if (status === 401 || /invalid api key|api key/i.test(text)) {
		return { hint: 'The API key was not accepted; generate a new key with `/api-keys generate` in Pumble if needed.', fix: { code: 'apiKey' } };
	}
	if (status === 403) {
		if (code === 404100 || /not found|could not find/i.test(text)) {
			return {
				hint: 'Pumble could not find it (Pumble answers 403 for "not found"). Check the ID, and that the key\'s user can see it: private channels need membership, and posting as the bot, the API bot must be a member too.',
				fix: { code: 'asBot' },
			};
		}
		if (code === 400000 || /^\[.*\]$/.test(text) || /must not|allowed values|invalid/i.test(text)) {
			return { hint: `Pumble rejected a parameter: ${text}. Fix the value and run again.` };
		}
		return { hint: FORBIDDEN_HINT, fix: { code: 'apiKey' } };
	}
	if (status === 404) {
		return { hint: 'Pumble does not know this endpoint: check the base URL (default https://pumble-api-keys.addons.marketplace.cake.com).', fix: { code: 'baseUrl' } };
	}
	if (status === 429) {
		return {
			hint: 'Pumble kept answering "too many requests" after the retries. Lower the requests per minute if other tools share this key, or spread the work over time.',
			fix: { code: 'requestsPerMinute' },
		};
	}
	if (status >= 500) {
		return {
			hint:
				typeof body === 'string' && /^\s*</.test(body)
					? 'A proxy between this machine and Pumble failed. Try again later; if a write was involved, check in Pumble whether it happened before re-running.'
					: 'Pumble had a server error. Try again later; if a write was involved, check in Pumble whether it happened before re-running.',
		};
	}
	return { hint: 'Unexpected answer from Pumble.' };
}
