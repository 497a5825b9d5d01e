import axios, { AxiosError } from 'axios';
import { DEFAULT_BASE_URL } from '../constants';
import { classifyNetworkCode, parseBody, Transport, TransportError, TransportRequest, TransportResponse } from './transport';

/**
 * Standalone transport (the sandbox, benchmarks, scripts, tests), reached through ../withAxios.ts; the n8n
 * nodes use n8n's own HTTP helper and never load axios. It never rethrows an axios error: those carry the
 * request config, headers included, and so the API key. The request's cancel signal aborts it.
 */
export function createAxiosTransport(options: { apiKey: string; baseUrl?: string }): Transport {
	const http = axios.create({
		baseURL: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
		headers: { ApiKey: options.apiKey, Accept: 'application/json' },
		validateStatus: () => true,
		responseType: 'text',
		transformResponse: (data: unknown) => data,
		maxRedirects: 0,
	});
	return {
		async send(request: TransportRequest): Promise<TransportResponse> {
			const response = await http
				.request<string>({
					method: request.method,
					url: request.path,
					params: request.query,
					data: request.body,
					timeout: request.timeoutMs,
					...(request.signal ? { signal: request.signal } : {}),
				})
				.catch((error: AxiosError) => {
					const code = error.code ?? (request.signal?.aborted ? 'ERR_CANCELED' : 'UNKNOWN');
					return new TransportError(classifyNetworkCode(code), code);
				});
			if (response instanceof TransportError) throw response;
			return {
				status: response.status,
				headers: Object.fromEntries(
					Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), v as string | string[] | undefined]),
				),
				body: parseBody(typeof response.data === 'string' ? response.data : ''),
			};
		},
	};
}
