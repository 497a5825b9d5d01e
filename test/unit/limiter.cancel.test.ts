/**
 * Cancellation in the limiter: a request whose execution is cancelled while it waits in the limiter —
 * in a pause, in its operation class's window, in the user's window, or for a slot among the requests in
 * flight — is removed and rejects with CancelledError at once. It never leaves, and nothing it held stays
 * taken. The tests would hang (and fail on Jest's timeout) if a wait ignored the signal: every wait here
 * lasts a minute or more.
 */
import { getEventListeners } from 'node:events';

import { CancelledError, UserRateLimiter } from '../../core';
import { FREQUENT_REFUSALS } from '../../core/limiter/operationClass';

const MINUTE = 60_000;
const ok = async () => ({ status: 200 });
const accepted = { refused: () => false };

/** A task that records whether it ran. */
function watched() {
	let ran = false;
	return { task: async () => ((ran = true), { status: 200 }), ran: () => ran };
}

describe('a cancelled request waiting in the limiter', () => {
	const limiters: UserRateLimiter[] = [];
	const make = (...args: ConstructorParameters<typeof UserRateLimiter>) => {
		const limiter = new UserRateLimiter(...args);
		limiters.push(limiter);
		return limiter;
	};
	afterEach(async () => {
		await Promise.all(limiters.splice(0).map((limiter) => limiter.stop()));
	});

	it('never leaves when the signal had already aborted', async () => {
		const limiter = make('cancel-before', { limit: 10, windowMs: MINUTE, maxConcurrent: 10 });
		const request = watched();
		await expect(limiter.schedule('read', request.task, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
		expect(request.ran()).toBe(false);
		expect(await limiter.usedUnits()).toBe(0);
	});

	it('is removed from a pause of the whole user (a 429 with the budget used up)', async () => {
		const limiter = make('cancel-user-pause', { limit: 10, windowMs: MINUTE, maxConcurrent: 10 });
		limiter.pause(10 * MINUTE);
		const controller = new AbortController();
		const request = watched();
		const waiting = limiter.schedule('read', request.task, { signal: controller.signal });
		controller.abort();
		await expect(waiting).rejects.toBeInstanceOf(CancelledError);
		expect(request.ran()).toBe(false);
	});

	it('is removed from a pause of its operation class (frequent 429s with room in the budget)', async () => {
		const limiter = make('cancel-class-pause', { limit: 100, windowMs: MINUTE, maxConcurrent: 10 });
		for (let i = 1; i < FREQUENT_REFUSALS; i++) await limiter.onRateLimited('sendMessage', Date.now(), 10 * MINUTE);
		const { scope } = await limiter.onRateLimited('sendMessage', Date.now(), 10 * MINUTE);
		expect(scope).toBe('operation');
		const controller = new AbortController();
		const request = watched();
		const waiting = limiter.schedule('sendMessage', request.task, { signal: controller.signal });
		controller.abort();
		await expect(waiting).rejects.toBeInstanceOf(CancelledError);
		expect(request.ran()).toBe(false);
	});

	it('is removed from its operation class\'s window, which then holds nothing for it', async () => {
		const limiter = make('cancel-class-window', { limit: 100, windowMs: MINUTE, maxConcurrent: 10 }, { operationLimits: { sendMessage: 1 } });
		await limiter.schedule('sendMessage', ok, accepted); // the class's one unit, for a minute
		const controller = new AbortController();
		const request = watched();
		const waiting = limiter.schedule('sendMessage', request.task, { ...accepted, signal: controller.signal });
		await new Promise((resolve) => setImmediate(resolve));
		expect(limiter.operationState('sendMessage')?.window?.queuedCount).toBe(1);
		controller.abort();
		await expect(waiting).rejects.toBeInstanceOf(CancelledError);
		expect(request.ran()).toBe(false);
		expect(limiter.operationState('sendMessage')?.window?.queuedCount).toBe(0);
		expect(await limiter.usedUnits()).toBe(1); // only the first request's unit
	});

	it('is removed from the user\'s window', async () => {
		const limiter = make('cancel-user-window', { limit: 1, windowMs: MINUTE, maxConcurrent: 10 });
		await limiter.schedule('read', ok); // the user's one unit, for a minute
		const controller = new AbortController();
		const request = watched();
		const waiting = limiter.schedule('read', request.task, { signal: controller.signal });
		controller.abort();
		await expect(waiting).rejects.toBeInstanceOf(CancelledError);
		expect(request.ran()).toBe(false);
		expect(await limiter.usedUnits()).toBe(1);
	});

	it('gives back its unit and slot when cancelled while waiting for a slot among the requests in flight', async () => {
		const limiter = make('cancel-semaphore', { limit: 100, windowMs: MINUTE, maxConcurrent: 1 });
		let finishFirst!: () => void;
		const firstLeft = new Promise<void>((left) => {
			void limiter.schedule('read', () => {
				left();
				return new Promise<{ status: number }>((resolve) => (finishFirst = () => resolve({ status: 200 })));
			});
		});
		await firstLeft;
		const controller = new AbortController();
		const request = watched();
		const waiting = limiter.schedule('read', request.task, { signal: controller.signal });
		// It took a unit of the user's window and now waits for the one slot.
		while ((await limiter.usedUnits()) < 2) await new Promise((resolve) => setImmediate(resolve));
		controller.abort();
		await expect(waiting).rejects.toBeInstanceOf(CancelledError);
		finishFirst();
		while ((await limiter.usedUnits()) > 1) await new Promise((resolve) => setImmediate(resolve));
		// The cancelled request took no unit for a window, and its slot passed on: a third goes.
		expect(await limiter.usedUnits()).toBe(1);
		const third = watched();
		await limiter.schedule('read', third.task);
		expect(third.ran()).toBe(true);
		expect(request.ran()).toBe(false);
	});

	it('puts one listener on the signal however many requests wait on it', async () => {
		const limiter = make('cancel-listeners', { limit: 1, windowMs: MINUTE, maxConcurrent: 10 });
		await limiter.schedule('read', ok);
		const controller = new AbortController();
		const waiting = Array.from({ length: 50 }, () => limiter.schedule('read', ok, { signal: controller.signal }));
		await new Promise((resolve) => setImmediate(resolve));
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
		controller.abort();
		const results = await Promise.allSettled(waiting);
		expect(results.every((r) => r.status === 'rejected' && r.reason instanceof CancelledError)).toBe(true);
	});
});

describe('lifting a learned operation limit', () => {
	it('moves the requests queued in the class window on; none fails (40 queued while the limit is lifted)', async () => {
		const W = 300;
		// The user's budget is 8 per window: a class limit of 7 or more probes straight to it and is lifted.
		const limiter = new UserRateLimiter('lift-user', { limit: 8, windowMs: W, maxConcurrent: 50 });
		await limiter.schedule('sendMessage', ok, accepted); // creates the class
		const operation = limiter.operationState('sendMessage')!;
		// Pumble refused after 8 in two windows running: a count that repeats, so a limit of 8 is learned.
		const now = Date.now();
		for (let i = 0; i < 8; i++) operation.recordAccepted(now - 2 * W + 10 + i, now - 2 * W + 10 + i);
		operation.learnFromRefusal(now - W);
		for (let i = 0; i < 8; i++) operation.recordAccepted(now - W + 10 + i, now - W + 10 + i);
		operation.learnFromRefusal(now);
		expect(limiter.operationLimit('sendMessage')).toBeDefined();
		// Its units are out: requests queue in the class window.
		for (let i = 0; i < 8; i++) void operation.window!.charge(Date.now() + W);
		const queued = Array.from({ length: 40 }, () => limiter.schedule('sendMessage', ok, accepted));
		await new Promise((resolve) => setImmediate(resolve));
		expect(operation.window!.queuedCount).toBeGreaterThanOrEqual(30);
		// A window later, still saturated: the next request probes up to the user's budget, lifting the class.
		await new Promise((resolve) => setTimeout(resolve, W + 50));
		const lifting = limiter.schedule('sendMessage', ok, accepted);
		const results = await Promise.allSettled([...queued, lifting]);
		expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
		expect(limiter.operationLimit('sendMessage')).toBeUndefined();
		await limiter.stop();
	}, 30_000);
});
