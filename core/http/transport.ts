/**
 * The only contract between the Pumble core and whatever performs HTTP.
 * In n8n it is `httpRequestWithAuthentication` (see ../transport/index.ts); standalone it is axios
 * (./axiosTransport.ts, reached through ../withAxios.ts only). A transport never throws for an HTTP
 * status: statuses are data the client interprets. It throws a TransportError only when no complete
 * response arrived.
 */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export type QueryValue = string | number | boolean | undefined;

export interface TransportRequest {
	method: HttpMethod;
	/** Path with a leading slash, e.g. `/sendMessage`. */
	path: string;
	query?: Record<string, QueryValue>;
	body?: unknown;
	timeoutMs: number;
	/** The execution's cancel signal: a transport aborts the request when it fires. */
	signal?: AbortSignal;
}

export interface TransportResponse {
	status: number;
	/** Lower-case header names. */
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the body was JSON, `''` when empty, else the raw text (an HTML error page, say). */
	body: unknown;
}

export interface Transport {
	send(request: TransportRequest): Promise<TransportResponse>;
}

/**
 * Why no response arrived. What matters for retries is whether the server may have acted:
 * - `refused`: nothing reached the server (connection refused, DNS failure) — safe to retry anything;
 * - `reset`, `timeout`, `badResponse`: the request may have been processed — the outcome is unknown;
 * - `cancelled`: the caller aborted it (n8n's Stop button, the execution timeout). Not a timeout: whether it
 *   reached Pumble is unknown, and it is never repeated.
 */
export type NetworkFailure = 'refused' | 'reset' | 'timeout' | 'badResponse' | 'cancelled';

export class TransportError extends Error {
	constructor(
		readonly failure: NetworkFailure,
		/** The low-level code (ECONNRESET, ECONNABORTED, …) for diagnostics. Never contains secrets. */
		readonly code: string,
	) {
		super(describeFailure(failure));
		this.name = 'TransportError';
	}

	/** True when the server certainly did not act on the request. */
	get certainlyNotProcessed(): boolean {
		return this.failure === 'refused';
	}
}

/**
 * The low-level code stays out of the message: n8n's NodeApiError replaces any message that mentions
 * ECONNRESET, ETIMEDOUT… with its generic "you can retry immediately", which is wrong for a write whose
 * outcome is unknown. The code is kept on the error (`code`) for diagnostics.
 */
function describeFailure(failure: NetworkFailure): string {
	switch (failure) {
		case 'refused':
			return 'Could not connect to Pumble; the request was not sent';
		case 'timeout':
			return 'Pumble did not answer in time';
		case 'reset':
			return 'The connection to Pumble was interrupted before an answer arrived';
		case 'badResponse':
			return "Pumble's answer was cut off or unreadable";
		case 'cancelled':
			return 'The request was cancelled before Pumble answered';
	}
}

const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
/** axios (ERR_CANCELED), fetch/undici and Node (AbortError, ABORT_ERR), our own sleep (CancelledError). */
const CANCELLED = new Set(['ERR_CANCELED', 'AbortError', 'ABORT_ERR', 'CancelledError']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'UND_ERR_SOCKET']);

/** Maps a low-level error code (or an error name) to the failure classes above; unknown codes count as outcome-unknown. */
export function classifyNetworkCode(code: string | undefined): NetworkFailure {
	if (code && CANCELLED.has(code)) return 'cancelled';
	if (code && REFUSED.has(code)) return 'refused';
	if (code && TIMEOUT.has(code)) return 'timeout';
	if (code && RESET.has(code)) return 'reset';
	return 'badResponse';
}

/** Parses a response body the way the Pumble API sends it: JSON, empty, or (from proxies) text. */
export function parseBody(raw: string): unknown {
	if (raw === '') return '';
	try {
		return JSON.parse(raw);
	} catch {
		return raw;
	}
}
