/**
 * A transport on Node's own fetch (no dependency), for work that outlives an n8n execution, such as Send and
 * Wait's expiry timer: n8n's request helper of an execution that has moved on does not answer reliably
 * (seen in n8n 2.41.1). Same contract as the other transports: statuses and headers as received, bodies
 * parsed, network failures as TransportError. The key is sent as the ApiKey header and never kept elsewhere.
 */
import { DEFAULT_BASE_URL } from '../constants';
import { classifyNetworkCode, parseBody, Transport, TransportError, TransportRequest, TransportResponse } from './transport';

function failureCode(error: unknown, request: TransportRequest, timedOut: boolean): string {
	if (request.signal?.aborted) return 'ERR_CANCELED';
	if (timedOut) return 'ECONNABORTED';
	const cause = (error as { cause?: { code?: unknown } })?.cause;
	return typeof cause?.code === 'string' ? cause.code : 'UNKNOWN';
}

export function createFetchTransport(options: { apiKey: string; baseUrl?: string }): Transport {
	const base = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
	return {
		async send(request: TransportRequest): Promise<TransportResponse> {
			const url = new URL(`${base}${request.path}`);
			for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
			const timeout = AbortSignal.timeout(request.timeoutMs);
			const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
			const hasBody = request.body !== undefined;
			const received = await fetch(url, {
				method: request.method,
				headers: { ApiKey: options.apiKey, Accept: 'application/json', ...(hasBody ? { 'Content-Type': 'application/json' } : {}) },
				body: hasBody ? JSON.stringify(request.body) : undefined,
				redirect: 'manual',
				signal,
			})
				.then(async (response) => ({ response, text: await response.text() }))
				.catch((error: unknown) => {
					const code = failureCode(error, request, timeout.aborted);
					return new TransportError(classifyNetworkCode(code), code);
				});
			if (received instanceof TransportError) throw received;
			const { response, text } = received;
			const headers: Record<string, string> = {};
			response.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
			return { status: response.status, headers, body: parseBody(text) };
		},
	};
}
