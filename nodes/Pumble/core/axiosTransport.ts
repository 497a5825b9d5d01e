import axios, { AxiosError } from 'axios';
import { classifyNetworkCode, parseBody, Transport, TransportError, TransportRequest, TransportResponse } from './transport';

export const DEFAULT_BASE_URL = 'https://pumble-api-keys.addons.marketplace.cake.com';

/**
 * Standalone transport (tests, benchmarks, scripts). It never rethrows an axios error: those carry the
 * request config, headers included, and so the API key.
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
				})
				.catch((error: AxiosError) => {
					const code = error.code ?? 'UNKNOWN';
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
