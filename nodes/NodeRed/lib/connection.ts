/**
 * A config node's settings → the core's PumbleApi. Every client of one Pumble user shares that user's
 * rate limiter through the core's process-wide registry (and through Redis when PUMBLE_RATE_LIMIT_REDIS_URL
 * or n8n's QUEUE_BULL_REDIS_* settings are set), whichever node or flow made it.
 */
import { ClientEvents, clientOptionsOf, ConnectionSettings, createAxiosTransport, PumbleApi, PumbleClient } from '../../../core/withAxios';

/** `requester`: who the requests are for in the user's limiter (turns and reserve, core/limiter/rollingWindow.ts): one node. */
export function createPumbleApi(apiKey: string, settings: ConnectionSettings, events?: ClientEvents, signal?: AbortSignal, requester?: string): PumbleApi {
	const { baseUrl, ...options } = clientOptionsOf(apiKey, settings);
	const client = new PumbleClient({
		...options,
		transport: createAxiosTransport({ apiKey, baseUrl }),
		events,
		signal,
		requester,
	});
	return new PumbleApi(client);
}
