/**
 * Cancellation (n8n's Stop button, the execution timeout) at every wait point of a request: before it
 * leaves, queued in the limiter, in flight, during a Retry-After pause and during a backoff. A request
 * cancelled before it left is "not sent" and never repeated; a write cancelled in flight is "outcome
 * unknown", reported once; after cancellation no further request leaves. Cancellation is not a timeout.
 * Waits are real here (the client's own cancellable sleep); the signal ends them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	classifyNetworkCode,
	PumbleApiError,
	PumbleClient,
	Transport,
	TransportError,
	TransportRequest,
	TransportResponse,
	UserRateLimiter,
} from '../../core';
import { ENDPOINTS } from '../../core/http/endpoints';
import { createAxiosTransport } from '../../core/withAxios';

type Answer = (request: TransportRequest) => Promise<TransportResponse>;

function world(answers: Answer[], options: { limit?: number; windowMs?: number } = {}) {
	const controller = new AbortController();
	const sent: string[] = [];
	const transport: Transport = {
		async send(request) {
			sent.push(`${request.method} ${request.path}`);
			const answer = answers.shift();
			if (!answer) throw new Error('no more scripted answers');
			return answer(request);
		},
	};
	const limiter = new UserRateLimiter(`cancel-${Math.random()}`, { limit: options.limit ?? 1000, windowMs: options.windowMs ?? 60_000, maxConcurrent: 10 });
	const client = new PumbleClient({ transport, identity: 'cancel-test', limiter, signal: controller.signal, random: () => 0.5 });
	return { client, sent, controller };
}

const ok: Answer = async () => ({ status: 200, headers: {}, body: { id: 'm1', channelId: 'c1' } });
/** Answers, then cancels the execution (as if Stop were pressed while the client waits to retry). */
const thenCancel = (controller: () => AbortController, response: TransportResponse): Answer => async () => {
	setImmediate(() => controller().abort());
	return response;
};
/** Never answers, and Stop is pressed while it is in flight; fails the way a transport does when aborted. */
const inFlightThenCancel =
	(controller: () => AbortController): Answer =>
	(request) =>
		new Promise((_, reject) => {
			request.signal?.addEventListener('abort', () => reject(new TransportError(classifyNetworkCode('ERR_CANCELED'), 'ERR_CANCELED')), { once: true });
			setImmediate(() => controller().abort());
		});

async function failure(promise: Promise<unknown>): Promise<PumbleApiError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(PumbleApiError);
	return error as PumbleApiError;
}

describe('cancellation, at each wait point of a request', () => {
	it('already cancelled: nothing is sent; "not sent", cancelled', async () => {
		const w = world([ok]);
		w.controller.abort();
		const error = await failure(w.client.call(ENDPOINTS.sendMessage, { body: {} }));
		expect(error).toMatchObject({ outcome: 'notProcessed', cancelled: true, networkFailure: 'cancelled' });
		expect(error.hint).toMatch(/Nothing was sent/);
		expect(w.sent).toEqual([]);
	});

	it('queued in the limiter behind a full budget: it never leaves', async () => {
		const w = world([ok, ok], { limit: 1, windowMs: 2_000 });
		await w.client.call(ENDPOINTS.listUsers); // uses the whole budget of the window
		const queued = failure(w.client.call(ENDPOINTS.sendMessage, { body: {} }));
		setImmediate(() => w.controller.abort());
		const error = await queued;
		expect(error).toMatchObject({ outcome: 'notProcessed', cancelled: true });
		expect(w.sent).toEqual(['GET /listUsers']);
	});

	it('during a Retry-After pause (Retry-After: 1 hour): the pause ends, the write is not sent again', async () => {
		const w: ReturnType<typeof world> = world([thenCancel(() => w.controller, { status: 429, headers: { 'retry-after': '3600' }, body: {} }), ok]);
		const error = await failure(w.client.call(ENDPOINTS.sendMessage, { body: {} }));
		expect(error).toMatchObject({ outcome: 'notProcessed', cancelled: true });
		expect(w.sent).toEqual(['POST /sendMessage']);
	});

	it('during a backoff after a 5xx on a read: the backoff ends, the read is not repeated', async () => {
		const w: ReturnType<typeof world> = world([thenCancel(() => w.controller, { status: 503, headers: {}, body: {} }), ok]);
		const error = await failure(w.client.call(ENDPOINTS.listChannels));
		expect(error).toMatchObject({ outcome: 'notProcessed', cancelled: true });
		expect(w.sent).toEqual(['GET /listChannels']);
	});

	it('a write in flight: outcome unknown, reported once, never resent — not a timeout', async () => {
		const w: ReturnType<typeof world> = world([inFlightThenCancel(() => w.controller), ok]);
		const error = await failure(w.client.call(ENDPOINTS.sendMessage, { body: {} }));
		expect(error).toMatchObject({ outcome: 'unknown', cancelled: true, networkFailure: 'cancelled' });
		expect(error.message).not.toMatch(/in time|timeout/i);
		expect(error.hint).toMatch(/may or may not have carried it out/);
		expect(w.sent).toEqual(['POST /sendMessage']);
	});

	it('a read in flight: cancelled, not retried', async () => {
		const w: ReturnType<typeof world> = world([inFlightThenCancel(() => w.controller), ok]);
		expect(await failure(w.client.call(ENDPOINTS.listMessages))).toMatchObject({ outcome: 'notProcessed', cancelled: true });
		expect(w.sent).toEqual(['GET /listMessages']);
	});

	it('after cancellation, no further request leaves', async () => {
		const w: ReturnType<typeof world> = world([inFlightThenCancel(() => w.controller), ok, ok]);
		await failure(w.client.call(ENDPOINTS.listMessages));
		await failure(w.client.call(ENDPOINTS.sendMessage, { body: {} }));
		await failure(w.client.call(ENDPOINTS.listUsers));
		expect(w.sent).toEqual(['GET /listMessages']);
	});
});

describe('cancellation is classified as such', () => {
	it.each(['ERR_CANCELED', 'AbortError', 'ABORT_ERR', 'CancelledError'])('%s is "cancelled", not a timeout', (code) => {
		expect(classifyNetworkCode(code)).toBe('cancelled');
	});

	it('timeouts stay timeouts', () => {
		expect(classifyNetworkCode('ECONNABORTED')).toBe('timeout');
		expect(classifyNetworkCode('ETIMEDOUT')).toBe('timeout');
	});

	describe('the axios transport honours the signal (real HTTP, a server that never answers)', () => {
		let server: Server;
		let url: string;
		beforeAll(async () => {
			server = createServer(() => undefined);
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		});
		afterAll(async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		});

		it('an aborted request fails with a "cancelled" TransportError', async () => {
			const controller = new AbortController();
			const transport = createAxiosTransport({ apiKey: 'k', baseUrl: url });
			const pending = transport.send({ method: 'GET', path: '/listUsers', timeoutMs: 60_000, signal: controller.signal }).catch((e: unknown) => e);
			setTimeout(() => controller.abort(), 20);
			const error = (await pending) as TransportError;
			expect(error).toBeInstanceOf(TransportError);
			expect(error.failure).toBe('cancelled');
			expect(error.code).toBe('ERR_CANCELED');
		});
	});
});
