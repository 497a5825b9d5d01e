import {
	PumbleApiError,
	PumbleClient,
	Transport,
	TransportError,
	TransportResponse,
	UserRateLimiter,
} from '../../core';
import { ENDPOINTS } from '../../core/http/endpoints';
import { FREQUENT_REFUSALS } from '../../core/limiter/operationClass';

type Step = TransportResponse | TransportError;
const ok = (body: unknown = { id: 'm1', channelId: 'c1' }): TransportResponse => ({ status: 200, headers: {}, body });
const status = (code: number, headers: Record<string, string> = {}, body: unknown = { error: 'x' }): TransportResponse => ({ status: code, headers, body });

/** Answers with the scripted steps in order and counts what was sent; sleeps are recorded, not waited. */
function scripted(steps: Step[], fixedLimiter?: UserRateLimiter) {
	const sent: string[] = [];
	const sleeps: number[] = [];
	const transport: Transport = {
		async send(request) {
			sent.push(`${request.method} ${request.path}`);
			const step = steps.shift();
			if (!step) throw new Error('no more scripted answers');
			if (step instanceof TransportError) throw step;
			return step;
		},
	};
	const limiter = fixedLimiter ?? new UserRateLimiter(`retry-${Math.random()}`, { limit: 1000, windowMs: 60_000, maxConcurrent: 10 });
	const client = new PumbleClient({
		transport,
		identity: 'retry-test',
		limiter,
		sleep: async (ms) => void sleeps.push(ms),
		random: () => 0.5,
	});
	return { client, sent, sleeps, limiter };
}

describe('retry policy', () => {
	describe('on 429 (Pumble refused without processing)', () => {
		it('waits Retry-After seconds, then sends the write again', async () => {
			const { client, sent, sleeps } = scripted([status(429, { 'retry-after': '3' }), ok()]);
			await expect(client.call(ENDPOINTS.sendMessage, { body: {} })).resolves.toEqual({ id: 'm1', channelId: 'c1' });
			expect(sent).toEqual(['POST /sendMessage', 'POST /sendMessage']);
			expect(sleeps).toEqual([3000]);
		});

		it('understands Retry-After as an HTTP date', async () => {
			const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
			const { client, sleeps } = scripted([status(429, { 'retry-after': inFiveSeconds }), ok()]);
			await client.call(ENDPOINTS.sendMessage, { body: {} });
			expect(sleeps[0]).toBeGreaterThan(3_000);
			expect(sleeps[0]).toBeLessThanOrEqual(5_000);
		});

		it.each([
			['an HTTP date 194 days away', () => new Date(Date.now() + 16_744_174_031).toUTCString()],
			['the year 9999', () => 'Fri, 31 Dec 9999 23:59:59 GMT'],
			['seconds beyond any timer', () => '99999999999999999999'],
		])('a far-future Retry-After (%s) waits the capped 2 minutes, not 1 ms nor forever', async (_what, header) => {
			const { client, sleeps } = scripted([status(429, { 'retry-after': header() }), ok()]);
			await client.call(ENDPOINTS.sendMessage, { body: {} });
			expect(sleeps).toEqual([120_000]);
		});

		it('a Retry-After in the past or negative waits nothing, not a negative time', async () => {
			const { client, sleeps } = scripted([status(429, { 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' }), ok()]);
			await client.call(ENDPOINTS.sendMessage, { body: {} });
			expect(sleeps).toEqual([0]);
		});

		it('backoff without Retry-After stays within maxDelayMs however many attempts', () => {
			const { client } = scripted([]);
			for (const attempt of [1, 10, 100, 2_000]) expect(client.backoffDelay(attempt)).toBeLessThanOrEqual(30_000);
			expect(Number.isFinite(client.backoffDelay(5_000))).toBe(true);
		});

		it('backs off exponentially when there is no Retry-After', async () => {
			const { client, sleeps } = scripted([status(429), status(429), status(429), ok()]);
			await client.call(ENDPOINTS.addReaction, { body: {} });
			// base 500 ms doubling, with "equal jitter" at random()=0.5 → 75% of the ceiling
			expect(sleeps).toEqual([375, 750, 1500]);
		});

		it('holds all of the user\'s other requests while waiting when the user\'s budget is spent', async () => {
			// Budget 1: the refused request itself fills it, so the 429 is the user's limit, not the operation's.
			const limiter = new UserRateLimiter(`retry-${Math.random()}`, { limit: 1, windowMs: 200, maxConcurrent: 10 });
			const { client } = scripted([status(429, { 'retry-after': '2' }), ok()], limiter);
			const before = Date.now();
			await client.call(ENDPOINTS.sendMessage, { body: {} });
			// The limiter is paused: the next request of this user cannot leave for ~2 s.
			const second = new PumbleClient({ transport: { send: async () => ok() }, identity: 'retry-test', limiter });
			await second.call(ENDPOINTS.listUsers);
			expect(Date.now() - before).toBeGreaterThanOrEqual(1_900);
		});

		it('holds only the refused request after an isolated 429 while the user\'s budget has room; it teaches no limit', async () => {
			const limiter = new UserRateLimiter(`retry-${Math.random()}`, { limit: 1000, windowMs: 60_000, maxConcurrent: 10 });
			const { client, sleeps } = scripted([status(429, { 'retry-after': '60' }), ok()], limiter);
			await client.call(ENDPOINTS.sendMessage, { body: {} });
			expect(sleeps).toEqual([60_000]); // the refused request waited its Retry-After (the client's own wait)
			// A DM is in the sendMessage class: it is not held (a class pause would hold it for a minute).
			const other = new PumbleClient({ transport: { send: async () => ok({}) }, identity: 'retry-test', limiter });
			await other.call(ENDPOINTS.dmUser, { body: {} });
			expect(limiter.operationLimit('sendMessage')).toBeUndefined();
		});

		it(`holds the refused operation's class, not the user's other requests, once 429s are frequent (${FREQUENT_REFUSALS} of its last answers)`, async () => {
			const limiter = new UserRateLimiter(`retry-${Math.random()}`, { limit: 1000, windowMs: 60_000, maxConcurrent: 10 });
			const refusals = Array.from({ length: FREQUENT_REFUSALS }, () => status(429, { 'retry-after': '60' }));
			const { client } = scripted([...refusals, ok()], limiter);
			await client.call(ENDPOINTS.sendMessage, { body: {} });
			const controller = new AbortController();
			const other = new PumbleClient({ transport: { send: async () => ok([]) }, identity: 'retry-test', limiter, signal: controller.signal });
			await other.call(ENDPOINTS.listUsers); // a read: another class, not held
			const dm = other.call(ENDPOINTS.dmUser, { body: {} }).then(
				() => 'sent',
				(error: unknown) => (error instanceof PumbleApiError && error.cancelled ? 'held until cancelled' : error),
			);
			await new Promise((resolve) => setTimeout(resolve, 300));
			controller.abort();
			expect(await dm).toBe('held until cancelled');
		});

		it('gives up after bounded tries with a clear error', async () => {
			const { client, sent } = scripted(Array.from({ length: 10 }, () => status(429, { 'retry-after': '1' })));
			const error = await client.call(ENDPOINTS.sendMessage, { body: {} }).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(PumbleApiError);
			expect((error as PumbleApiError).status).toBe(429);
			expect((error as PumbleApiError).hint).toMatch(/requests per minute/);
			expect((error as PumbleApiError).fix).toEqual({ code: 'requestsPerMinute' });
			expect(sent).toHaveLength(7); // the first try + 6 retries
		});
	});

	describe('on server errors and broken connections', () => {
		it('retries a read after a 5xx', async () => {
			const { client, sent } = scripted([status(502), status(503), ok([])]);
			await expect(client.call(ENDPOINTS.listUsers)).resolves.toEqual([]);
			expect(sent).toHaveLength(3);
		});

		it('treats POST /searchMessages as a read', async () => {
			const { client, sent } = scripted([status(500), ok({ content: [] })]);
			await client.call(ENDPOINTS.searchMessages, { body: { text: 'x' } });
			expect(sent).toHaveLength(2);
		});

		it('never resends a write after a 5xx: the outcome is unknown', async () => {
			const { client, sent } = scripted([status(500), ok()]);
			const error = (await client.call(ENDPOINTS.sendMessage, { body: {} }).catch((e: unknown) => e)) as PumbleApiError;
			expect(sent).toHaveLength(1);
			expect(error.outcome).toBe('unknown');
			expect(error.hint).toMatch(/Check in Pumble/i);
		});

		it('never resends a write after a reset or a timeout', async () => {
			for (const failure of [new TransportError('reset', 'ECONNRESET'), new TransportError('timeout', 'ECONNABORTED')]) {
				const { client, sent } = scripted([failure, ok()]);
				const error = (await client.call(ENDPOINTS.sendReply, { body: {} }).catch((e: unknown) => e)) as PumbleApiError;
				expect(sent).toHaveLength(1);
				expect(error.outcome).toBe('unknown');
			}
		});

		it('retries a read after a reset or a timeout', async () => {
			const { client, sent } = scripted([new TransportError('reset', 'ECONNRESET'), new TransportError('timeout', 'ECONNABORTED'), ok([])]);
			await client.call(ENDPOINTS.listChannels);
			expect(sent).toHaveLength(3);
		});

		it('retries a write when the connection was refused: nothing was sent', async () => {
			const { client, sent } = scripted([new TransportError('refused', 'ECONNREFUSED'), ok()]);
			await client.call(ENDPOINTS.sendMessage, { body: {} });
			expect(sent).toHaveLength(2);
		});

		it('retries a read whose 200 body is not JSON, but reports a write\'s as outcome unknown', async () => {
			const read = scripted([ok('<html>oops'), ok([])]);
			await read.client.call(ENDPOINTS.listUsers);
			expect(read.sent).toHaveLength(2);
			const write = scripted([ok('{"id":"m1",'), ok()]);
			const error = (await write.client.call(ENDPOINTS.sendMessage, { body: {} }).catch((e: unknown) => e)) as PumbleApiError;
			expect(write.sent).toHaveLength(1);
			expect(error.outcome).toBe('unknown');
		});

		it('does not retry a 403: Pumble rejected the request', async () => {
			const { client, sent } = scripted([status(403, {}, { error: 'Could not find channel with that identifier' }), ok()]);
			await expect(client.call(ENDPOINTS.listMessages)).rejects.toThrow(/Could not find channel/);
			expect(sent).toHaveLength(1);
		});
	});

	it('accepts the empty 200 bodies of editMessage and friends as success', async () => {
		const { client } = scripted([ok('')]);
		await expect(client.call(ENDPOINTS.editMessage, { body: {} })).resolves.toBeUndefined();
	});
});

describe('timeouts a timer can hold', () => {
	it('a request timeout beyond what a Node timer holds (a credential typo) is bounded, not fired at once', () => {
		const client = new PumbleClient({ transport: { send: async () => ok() }, identity: 'x', timeoutMs: 16_744_174_031 });
		expect(client.timeoutMs).toBe(2 ** 31 - 1);
	});
});
