/**
 * Adapts n8n to the Pumble core: requests go through `httpRequestWithAuthentication` (so n8n injects the
 * ApiKey header from the credential; this code never handles the header), asking for the full response
 * so the core sees statuses and Retry-After. The rate limiter is the process-wide one (per Pumble user;
 * shared through Redis in queue mode, see core/limiter/redisSettings.ts); the credential's advanced fields set
 * the user's budget and any per-operation limits the user knows.
 */
import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
	Logger,
} from 'n8n-workflow';
import {
	classifyNetworkCode,
	clientOptionsOf,
	parseBody,
	PumbleApi,
	PumbleClient,
	rateLimiters,
	Transport,
	TransportError,
	TransportRequest,
	TransportResponse,
	throwIfCancelled,
	type LimiterLogger,
	type OperationLimitField,
	type WaitReason,
} from '../../../core';
import { createFetchTransport } from '../../../core/http/fetchTransport';

/** n8n's words for why a request waits for the user's budget (core/limiter/events.ts: the reasons). */
export const N8N_WAIT_MESSAGES: Record<WaitReason, string> = {
	otherRequester: 'waiting for the shared Pumble budget: another workflow is using it',
	ownUse: 'waiting for the Pumble budget: this workflow has used it',
};

export type PumbleContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IWebhookFunctions;

/** The credential's fields (the per-operation limits are those of core/settings.ts). */
export interface PumbleCredentials extends Partial<Record<OperationLimitField, number>> {
	apiKey: string;
	baseUrl?: string;
	requestsPerMinute?: number;
	reservePercent?: number | string;
	timeoutSeconds?: number;
}

/**
 * Who the requests of this context are for, in the user's limiter (turns and reserve are per requester):
 * the execution, a Send and Wait's edits (its answer page and its expiry), the trigger's poll of one
 * workflow, or the editor's list lookups. Process-local names, never in Redis.
 */
export function requesterOf(context: PumbleContext, detached: boolean): string {
	const executionId = (() => {
		try {
			return 'getExecutionId' in context ? String(context.getExecutionId()) : '';
		} catch {
			return '';
		}
	})();
	if (detached || 'getRequestObject' in context) return `sendAndWait:${executionId}`;
	if ('__emit' in context) return `poll:${context.getWorkflow().id ?? ''}:${context.getNode().name}`;
	if ('getInputData' in context) return `execution:${executionId}`;
	return 'editor';
}

export { normalizeBaseUrl, operationLimitsOf } from '../../../core/settings';

/** n8n's cancel signal of this execution (the Stop button, the execution timeout), where the context has one. */
export function cancelSignalOf(context: PumbleContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal?.() : undefined;
}

export function createN8nTransport(context: PumbleContext, baseUrl: string): Transport {
	return {
		async send(request: TransportRequest): Promise<TransportResponse> {
			// A cancelled request never leaves. n8n-core's helper also aborts it in flight: it sets
			// `abortSignal` to the execution's cancel signal itself; ours is the same signal, or one the core
			// derived from it (TransportRequest.signal).
			const signal = request.signal ?? cancelSignalOf(context);
			throwIfCancelled(signal);
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
				...(signal ? { abortSignal: signal } : {}),
			};
			let response: { statusCode: number; headers: Record<string, string | string[] | undefined>; body: unknown } | undefined;
			let failure: unknown;
			try {
				response = await context.helpers.httpRequestWithAuthentication.call(context, 'pumbleApi', options);
			} catch (error) {
				failure = error;
			}
			if (!response) {
				// The core maps this to a PumbleApiError, which the router turns into a NodeApiError. Aborted by
				// the signal = cancelled, whatever code n8n's helper gave the abort.
				if (signal?.aborted) throw new TransportError('cancelled', networkCodeOf(failure) ?? 'ERR_CANCELED');
				throw new TransportError(classifyNetworkCode(networkCodeOf(failure)), networkCodeOf(failure) ?? 'UNKNOWN');
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

/**
 * n8n's logger as the process-wide limiter's. Built apart from any context: the limiter outlives the
 * execution, and a closure made in `getPumbleApi` would keep its context (with all of the execution's
 * items and parameters) alive until the next execution replaced the logger.
 */
function limiterLogOf(logger: Logger): LimiterLogger {
	return {
		warn: (message) => logger.warn(message),
		info: (message) => logger.info(message),
		debug: (message) => logger.debug(message),
	};
}

/** The Pumble API for this node execution, sharing the process-wide limiter of the key's user. */
/**
 * `detached`: for work that outlives the execution (Send and Wait's expiry timer). n8n's request helper of
 * an execution that has gone on waiting does not answer reliably (n8n 2.41.1), so such work uses Node's
 * fetch (core/http/fetchTransport.ts), with the same credential and the same per-user limiter, and no cancel signal.
 */
export async function getPumbleApi(context: PumbleContext, options: { detached?: boolean } = {}): Promise<PumbleApi> {
	const credentials = await context.getCredentials<PumbleCredentials>('pumbleApi');
	const { baseUrl, ...connection } = clientOptionsOf(credentials.apiKey, credentials);
	if (context.logger) rateLimiters.setLogger(limiterLogOf(context.logger));
	const client = new PumbleClient({
		...connection,
		transport: options.detached ? createFetchTransport({ apiKey: credentials.apiKey, baseUrl }) : createN8nTransport(context, baseUrl),
		signal: options.detached ? undefined : cancelSignalOf(context),
		requester: requesterOf(context, options.detached === true),
		events: {
			// Once per node run: the first request that waits for the shared budget says why.
			waiting: onceFor(({ operation, reason }) => context.logger?.info(`Pumble ${operation}: ${N8N_WAIT_MESSAGES[reason]}`)),
			rateLimited: ({ operation, waitMs, scope }) =>
				context.logger?.warn(
					scope === 'user'
						? `Pumble rate limit reached on ${operation}; waiting ${waitMs} ms before retrying`
						: scope === 'operation'
							? `Pumble limits ${operation} on its own; slowing it down and retrying in ${waitMs} ms`
							: `Pumble refused one ${operation} (429); retrying it in ${waitMs} ms`,
				),
			retrying: ({ operation, reason, waitMs, attempt }) =>
				context.logger?.info(`Pumble ${operation}: ${reason}; retry ${attempt} in ${waitMs} ms`),
		},
	});
	return new PumbleApi(client);
}

/** A listener called for the first event only. */
function onceFor<E>(listener: (event: E) => void): (event: E) => void {
	let done = false;
	return (event) => {
		if (done) return;
		done = true;
		listener(event);
	};
}
