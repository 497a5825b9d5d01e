/**
 * Adapts n8n to the Pumble core: requests go through `httpRequestWithAuthentication` (so n8n injects the
 * ApiKey header from the credential; this code never handles the header), asking for the full response
 * so the core sees statuses and Retry-After.
 */
import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import {
	classifyNetworkCode,
	DEFAULT_BASE_URL,
	DEFAULT_TIMEOUT_MS,
	identityOf,
	parseBody,
	PumbleApi,
	PumbleClient,
	Transport,
	TransportError,
	TransportRequest,
	TransportResponse,
} from '../core';

export type PumbleContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface PumbleCredentials {
	apiKey: string;
	baseUrl?: string;
	requestsPerMinute?: number;
	timeoutSeconds?: number;
}

export function normalizeBaseUrl(baseUrl: string | undefined): string {
	return (baseUrl?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
}

export function createN8nTransport(context: PumbleContext, baseUrl: string): Transport {
	return {
		async send(request: TransportRequest): Promise<TransportResponse> {
			// A fresh options object per call: the helper writes the credential header into it.
			const options: IHttpRequestOptions = {
				method: request.method,
				url: `${baseUrl}${request.path}`,
				qs: request.query ? Object.fromEntries(Object.entries(request.query).filter(([, v]) => v !== undefined)) : undefined,
				body: request.body as IHttpRequestOptions['body'],
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: request.timeoutMs,
			};
			let response: { statusCode: number; headers: Record<string, string | string[] | undefined>; body: unknown };
			try {
				response = await context.helpers.httpRequestWithAuthentication.call(context, 'pumbleApi', options);
			} catch (error) {
				throw new TransportError(classifyNetworkCode(networkCodeOf(error)), networkCodeOf(error) ?? 'UNKNOWN');
			}
			const body = response.body;
			return {
				status: response.statusCode,
				headers: response.headers ?? {},
				body: typeof body === 'string' ? parseBody(body) : body === undefined || body === null ? '' : body,
			};
		},
	};
}

function networkCodeOf(error: unknown): string | undefined {
	const candidate = error as JsonObject & { cause?: { code?: string }; code?: string; httpCode?: string };
	return (candidate?.httpCode as string | undefined) ?? candidate?.code ?? candidate?.cause?.code;
}

/** The Pumble API for this node execution, sharing the process-wide limiter of the key's user. */
export async function getPumbleApi(context: PumbleContext): Promise<PumbleApi> {
	const credentials = await context.getCredentials<PumbleCredentials>('pumbleApi');
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	const client = new PumbleClient({
		transport: createN8nTransport(context, baseUrl),
		identity: identityOf(credentials.apiKey),
		rateLimit: { limit: Number(credentials.requestsPerMinute) || 1000 },
		timeoutMs: credentials.timeoutSeconds ? Number(credentials.timeoutSeconds) * 1000 : DEFAULT_TIMEOUT_MS,
		events: {
			rateLimited: ({ operation, waitMs }) =>
				context.logger?.warn(`Pumble rate limit reached on ${operation}; waiting ${waitMs} ms before retrying`),
			retrying: ({ operation, reason, waitMs, attempt }) =>
				context.logger?.info(`Pumble ${operation}: ${reason}; retry ${attempt} in ${waitMs} ms`),
		},
	});
	return new PumbleApi(client);
}
