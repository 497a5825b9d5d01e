import { PumbleClient, RateLimiterRegistry, Transport, TransportRequest, UserRateLimiter } from '../../core';
import { ENDPOINTS } from '../../core/http/endpoints';
import { busiestWindow } from '../../bench/lib/analyze';

/** A transport that answers 200 after `latencyMs` and records when each request arrived. */
function recordingTransport(latencyMs = 1) {
	const arrivals: number[] = [];
	const transport: Transport = {
		async send(_request: TransportRequest) {
			arrivals.push(Date.now());
			await new Promise((resolve) => setTimeout(resolve, latencyMs));
			return { status: 200, headers: {}, body: { id: 'x', channelId: 'y' } };
		},
	};
	return { transport, arrivals };
}

describe('the per-user rate limiter', () => {
	it('never lets 1,500 queued requests of one user exceed the limit in any rolling window', async () => {
		const windowMs = 300;
		const limiter = new UserRateLimiter('one-user', { limit: 100, windowMs, maxConcurrent: 50 });
		const { transport, arrivals } = recordingTransport(2);
		const client = new PumbleClient({ transport, identity: 'one-user', limiter });
		await Promise.all(Array.from({ length: 1500 }, () => client.call(ENDPOINTS.sendMessage, { body: {} })));
		expect(arrivals).toHaveLength(1500);
		expect(busiestWindow(arrivals, windowMs)).toBeLessThanOrEqual(100);
		// 1,500 at 100 per window need at least 14 windows. (How close to that it gets is the benchmark's
		// to measure, not a test's on a shared machine.)
		const span = Math.max(...arrivals) - Math.min(...arrivals);
		expect(span).toBeGreaterThanOrEqual(14 * windowMs);
	}, 30_000);

	it('serves a burst at once while budget remains', async () => {
		// No reserve: a requester alone may then take the whole window at once (with one, it leaves the reserve
		// until its own units are about to come back: limiter.fairness.test.ts).
		const limiter = new UserRateLimiter('burst-user', { limit: 50, windowMs: 60_000, maxConcurrent: 50, reserveShare: 0 });
		// Pumble answers none until all 50 have arrived: they can only finish if all went out together.
		let arrived = 0;
		const answers: Array<() => void> = [];
		const transport: Transport = {
			async send() {
				arrived++;
				await new Promise<void>((resolve) => {
					answers.push(resolve);
					if (answers.length === 50) answers.forEach((answer) => answer());
				});
				return { status: 200, headers: {}, body: [] };
			},
		};
		const client = new PumbleClient({ transport, identity: 'burst-user', limiter });
		await Promise.all(Array.from({ length: 50 }, () => client.call(ENDPOINTS.listUsers)));
		expect(arrived).toBe(50);
		await limiter.stop();
	});

	it('keeps users apart: one user at its limit does not slow another', async () => {
		const registry = new RateLimiterRegistry();
		const busy = registry.get('user-a', { limit: 5, windowMs: 1_500 });
		const idle = registry.get('user-b', { limit: 5, windowMs: 1_500 });
		const a = recordingTransport();
		const b = recordingTransport();
		const clientA = new PumbleClient({ transport: a.transport, identity: 'user-a', limiter: busy });
		const clientB = new PumbleClient({ transport: b.transport, identity: 'user-b', limiter: idle });
		await Promise.all(Array.from({ length: 5 }, () => clientA.call(ENDPOINTS.listUsers)));
		const sixthOfA = clientA.call(ENDPOINTS.listUsers); // has to wait for A's window
		await Promise.all(Array.from({ length: 5 }, () => clientB.call(ENDPOINTS.listUsers)));
		// B's five went while A's sixth still waited for A's window.
		expect(b.arrivals).toHaveLength(5);
		expect(a.arrivals).toHaveLength(5);
		await sixthOfA;
		expect(a.arrivals[5] - a.arrivals[0]).toBeGreaterThanOrEqual(1_500);
		expect(Math.max(...b.arrivals)).toBeLessThan(a.arrivals[5]);
		await registry.close();
	});

	it('is shared by two executions of the same key through the process-wide registry', async () => {
		const registry = new RateLimiterRegistry();
		const first = registry.get('shared-user', { limit: 10, windowMs: 400 });
		const second = registry.get('shared-user', { limit: 10, windowMs: 400 });
		expect(second).toBe(first);
		const { transport, arrivals } = recordingTransport();
		const executionA = new PumbleClient({ transport, identity: 'shared-user', limiter: first });
		const executionB = new PumbleClient({ transport, identity: 'shared-user', limiter: second });
		await Promise.all([
			...Array.from({ length: 25 }, () => executionA.call(ENDPOINTS.listUsers)),
			...Array.from({ length: 25 }, () => executionB.call(ENDPOINTS.listUsers)),
		]);
		expect(busiestWindow(arrivals, 400)).toBeLessThanOrEqual(10);
	}, 15_000);

	it('adopts the stricter limit when a second credential of the same user asks for fewer requests', async () => {
		const registry = new RateLimiterRegistry();
		const limiter = registry.get('strict-user', { limit: 20, windowMs: 400 });
		registry.get('strict-user', { limit: 5, windowMs: 400 });
		expect(limiter.limit).toBe(5);
		const { transport, arrivals } = recordingTransport();
		const client = new PumbleClient({ transport, identity: 'strict-user', limiter });
		await Promise.all(Array.from({ length: 15 }, () => client.call(ENDPOINTS.listUsers)));
		expect(busiestWindow(arrivals, 400)).toBeLessThanOrEqual(5);
	}, 10_000);

	it('drops limiters of users not seen for a while, but never one still holding budget', async () => {
		const registry = new RateLimiterRegistry(1_000);
		const limiter = registry.get('gone-user', { limit: 5, windowMs: 200 });
		const client = new PumbleClient({ transport: recordingTransport().transport, identity: 'gone-user', limiter });
		await client.call(ENDPOINTS.listUsers);
		registry.sweep(Date.now() + 5_000);
		expect(registry.size).toBe(1); // its budget unit is still out
		await new Promise((resolve) => setTimeout(resolve, 300));
		registry.sweep(Date.now() + 5_000);
		expect(registry.size).toBe(0);
		expect(registry.get('gone-user')).not.toBe(limiter);
	});
});
