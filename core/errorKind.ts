/**
 * What kind of failure an error is, in words a flow can branch on, with the facts that go with it
 * (HTTP status, Pumble's code, the parameter at fault, whether Pumble acted). Host-neutral: the Node-RED
 * node puts them on `msg.error`; any host may show them.
 */
import { PumbleApiError, PumbleInputError, type FailureOutcome } from './errors';
import { hintIn, type Fix, type FixWording } from './fixes';

export type ErrorKind =
	/** Bad input: found before anything was sent, or a parameter Pumble rejected. Fix the input. */
	| 'bad-input'
	/** The API key was not accepted. */
	| 'unauthorized'
	/** Pumble could not find it (or the key's user cannot see it). */
	| 'not-found'
	/** Pumble refused for another reason (permission, membership). */
	| 'refused'
	/** Pumble kept answering 429 after the retries. */
	| 'rate-limit'
	/** Pumble had a server error (5xx); a write may or may not have happened. */
	| 'server'
	/** No usable answer: refused connection, reset, timeout, unreadable answer. */
	| 'network'
	/** Cancelled (the node closed, the run was stopped) before Pumble answered. */
	| 'cancelled'
	| 'unknown';

export const ERROR_KINDS: readonly ErrorKind[] = ['bad-input', 'unauthorized', 'not-found', 'refused', 'rate-limit', 'server', 'network', 'cancelled', 'unknown'];

export interface ErrorFacts {
	kind: ErrorKind;
	/** The error's message (what is wrong), without the hint. */
	message: string;
	/** How to fix it: the core's neutral hint, with the host's words for its fix (core/fixes.ts). */
	hint?: string;
	/** The setting or field that fixes it (core/fixes.ts), for a flow to act on. */
	fix?: Fix;
	/** The HTTP status of Pumble's answer, when one arrived. */
	httpStatus?: number;
	/** Pumble's numeric error code (e.g. 404100), when its answer had one. */
	pumbleCode?: number;
	/** The parameter at fault, for bad input found before sending. */
	parameter?: string;
	/** Whether Pumble acted: `rejected` (nothing changed), `notProcessed`, or `unknown` (check before re-running a write). */
	outcome?: FailureOutcome;
}

function apiKind(error: PumbleApiError): ErrorKind {
	if (error.cancelled) return 'cancelled';
	const status = error.status;
	if (status === undefined) return error.networkFailure === 'cancelled' ? 'cancelled' : 'network';
	if (status === 401) return 'unauthorized';
	if (status === 429) return 'rate-limit';
	if (status >= 500) return 'server';
	if (error.isNotFound) return 'not-found';
	if (status === 403 && /invalid api key|api key/i.test(error.apiMessage)) return 'unauthorized';
	if (error.code === 400000 || status === 400 || status === 422 || /^\[.*\]$/.test(error.apiMessage) || /must not|allowed values|invalid/i.test(error.apiMessage)) return 'bad-input';
	if (status === 403) return 'refused';
	return 'unknown';
}

/** The error's kind and facts; `wording` is the host's words for the fixes (none: the neutral hint alone). */
export function errorFacts(error: unknown, wording: FixWording = {}): ErrorFacts {
	if (error instanceof PumbleInputError) {
		return { kind: 'bad-input', message: error.message, hint: hintIn(error, wording), parameter: error.parameter, ...(error.fix ? { fix: error.fix } : {}) };
	}
	if (error instanceof PumbleApiError) {
		return {
			kind: apiKind(error),
			message: error.message,
			hint: hintIn(error, wording),
			...(error.fix ? { fix: error.fix } : {}),
			...(error.status !== undefined ? { httpStatus: error.status } : {}),
			...(error.code !== undefined ? { pumbleCode: error.code } : {}),
			outcome: error.outcome,
		};
	}
	return { kind: 'unknown', message: error instanceof Error ? error.message : String(error) };
}
