/**
 * Timers that must not fire at once. `npm test` once printed "TimeoutOverflowWarning: 16744174031
 * does not fit into a 32-bit signed integer": the contract tests fake Date to the recordings' day, 194 days
 * back, and Bottleneck's local datastore delayed the process-wide limiter's next job by the difference.
 * Every delay the limiter computes is bounded now: far-future Retry-After, pauses heard through Redis, and a
 * clock that steps back.
 */
import { CancelledError, MAX_PAUSE_MS, MAX_TIMER_MS, UserRateLimiter } from '../../core';
import { RollingWindow } from '../../core/limiter';
import { FREQUENT_REFUSALS } from '../../core/limiter/operationClass';

const FAR = 16_744_174_031; // ms: the delay npm test warned about, 194 days

/** The longest delay any timer was asked for while `run` ran (a timer beyond MAX_TIMER_MS would overflow). */
async function longestTimerDuring(run: () => Promise<void>): Promise<number> {
	const spy = jest.spyOn(global, 'setTimeout');
	try {
		await run();
		return Math.max(0, ...spy.mock.calls.map(([, ms]) => Number(ms ?? 0)));
	} finally {
		spy.mockRestore();
	}
}

describe('far-future delays', () => {
	afterEach(() => jest.useRealTimers());

	it('a Retry-After 194 days away pauses for at most MAX_PAUSE_MS, and the wait still ends on cancellation', async () => {
		const limiter = new UserRateLimiter('far-retry-after', { limit: 100, windowMs: 60_000, maxConcurrent: 10 });
		const longest = await longestTimerDuring(async () => {
			// refusals frequent enough that the whole class waits (an isolated one holds only its own request)
			for (let i = 1; i < FREQUENT_REFUSALS; i++) await limiter.onRateLimited('sendMessage', Date.now(), FAR);
			const { until, scope } = await limiter.onRateLimited('sendMessage', Date.now(), FAR);
			expect(scope).toBe('operation');
			expect(until - Date.now()).toBeLessThanOrEqual(MAX_PAUSE_MS);
			expect(until - Date.now()).toBeGreaterThan(MAX_PAUSE_MS - 60_000);
			const controller = new AbortController();
			const waiting = limiter.schedule('sendMessage', async () => 'sent', { signal: controller.signal });
			await new Promise((resolve) => setImmediate(resolve));
			controller.abort();
			await expect(waiting).rejects.toBeInstanceOf(CancelledError);
		});
		expect(longest).toBeLessThanOrEqual(MAX_PAUSE_MS);
		expect(MAX_PAUSE_MS).toBeLessThan(MAX_TIMER_MS);
		await limiter.stop();
	});

	it('a pause heard through Redis is bounded the same way', async () => {
		const limiter = new UserRateLimiter('far-pause', { limit: 100, windowMs: 60_000, maxConcurrent: 10 });
		limiter.pause(FAR, false);
		const paused = (limiter as unknown as { pausedUntil: number }).pausedUntil;
		expect(paused - Date.now()).toBeLessThanOrEqual(MAX_PAUSE_MS);
		await limiter.stop();
	});

	it('a clock stepping 194 days back (as the contract tests fake Date) delays no job and overflows no timer', async () => {
		const window = new RollingWindow({ id: 'clock-jump', limit: 10, windowMs: 1_000 });
		await window.run(async () => 'before', { holdMs: () => 0 }); // Bottleneck's clock state is "now"
		const longest = await longestTimerDuring(async () => {
			jest.useFakeTimers({ now: Date.now() - FAR, doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
			await expect(window.run(async () => 'after', { holdMs: () => 0 })).resolves.toMatchObject({ value: 'after' });
		});
		expect(longest).toBeLessThanOrEqual(1_000);
		await window.stop();
	});

	it('a clock stepping one hour back does not hold the next job for that hour', async () => {
		const window = new RollingWindow({ id: 'clock-hour', limit: 10, windowMs: 1_000 });
		await window.run(async () => 'before', { holdMs: () => 0 });
		jest.useFakeTimers({ now: Date.now() - 3_600_000, doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
		// Would hang for an hour (and fail on Jest's timeout) if the job waited for the clock.
		await expect(window.run(async () => 'after', { holdMs: () => 0 })).resolves.toMatchObject({ value: 'after' });
		await window.stop();
	});

	it('a unit charged from a clock that stepped back is held one window at most', async () => {
		const window = new RollingWindow({ id: 'clock-charge', limit: 1, windowMs: 200 });
		await window.charge(Date.now() + FAR);
		expect(window.heldUntil()[0] - Date.now()).toBeLessThanOrEqual(200 + 25);
		await window.stop();
	});
});
