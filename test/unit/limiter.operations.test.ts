/**
 * An operation class that Pumble limits on its own (a 429 while the user's budget
 * has room) slows to the rate Pumble actually allowed and recovers gradually; limits a credential declares
 * apply from the start.
 */
import { FREQUENT_REFUSALS, RECENT_ANSWERS } from '../../core/limiter/operationClass';
import { OperationClass, PumbleClient, runInLanes, Transport, TransportRequest, UserRateLimiter } from '../../core';
import { ENDPOINTS } from '../../core/http/endpoints';
import { SlidingWindow } from '../../sandbox/limits';
import { busiestWindow } from '../../bench/lib/analyze';

interface Rule {
	limit: number;
	windowMs: number;
}

/**
 * A fake Pumble with a per-user limit and hidden per-operation limits (sliding windows, counted at arrival,
 * only accepted requests count, Retry-After in ms precision via a fractional seconds value).
 */
function hiddenLimits(user: Rule, operations: Record<string, Rule>, latencyMs = 3) {
	const window = new SlidingWindow();
	const log: Array<{ at: number; path: string; status: number }> = [];
	const transport: Transport = {
		async send(request: TransportRequest) {
			const now = Date.now();
			const operation = operations[request.path.slice(1)];
			const wait = Math.max(window.waitMs('user', now, user), operation ? window.waitMs(request.path, now, operation) : 0);
			let status = 200;
			if (wait > 0) status = 429;
			else {
				window.record('user', now);
				if (operation) window.record(request.path, now);
			}
			log.push({ at: now, path: request.path, status });
			await new Promise((resolve) => setTimeout(resolve, latencyMs));
			if (status === 429) return { status, headers: { 'retry-after': (wait / 1000).toFixed(3) }, body: { error: 'Too many requests' } };
			return { status, headers: {}, body: request.path === '/sendMessage' ? { id: 'm', channelId: 'c' } : [] };
		},
	};
	return { transport, log };
}

describe('operations Pumble limits on its own', () => {
	it('learn the hidden limit from a handful of 429s, deliver every item, and leave other operations alone', async () => {
		const windowMs = 500;
		const pumble = hiddenLimits({ limit: 200, windowMs }, { sendMessage: { limit: 8, windowMs } });
		const limiter = new UserRateLimiter('hidden-limit-user', { limit: 200, windowMs, maxConcurrent: 50 });
		const client = new PumbleClient({ transport: pumble.transport, identity: 'k', limiter });
		const sends = runInLanes({
			count: 48,
			concurrency: 8,
			laneOf: (i) => `channel-${i % 4}`,
			work: () => client.call(ENDPOINTS.sendMessage, { body: {} }),
		});
		// Reads meanwhile are not held back by the send class: they finish while sends still wait for it.
		await new Promise((resolve) => setTimeout(resolve, 600));
		let sendsDone = false;
		void sends.then(() => (sendsDone = true));
		await Promise.all(Array.from({ length: 20 }, () => client.call(ENDPOINTS.listUsers)));
		expect(sendsDone).toBe(false);

		const results = await sends;
		expect(results.every((r) => r?.ok)).toBe(true);
		const refused = pumble.log.filter((e) => e.status === 429);
		const accepted = pumble.log.filter((e) => e.path === '/sendMessage' && e.status === 200);
		expect(accepted).toHaveLength(48);
		// 48 sends at 8 per window take 6 windows: without learning, nearly every later send would meet a 429.
		expect(refused.length).toBeLessThanOrEqual(12);
		expect(refused.every((e) => e.path === '/sendMessage')).toBe(true);
		const learned = limiter.operationLimit('sendMessage');
		expect(learned).toBeGreaterThanOrEqual(1);
		expect(learned).toBeLessThanOrEqual(9);
		expect(limiter.operationLimit('read')).toBeUndefined();
	}, 30_000);

	it('never meets a 429 when the credential declares the limit', async () => {
		const windowMs = 400;
		const pumble = hiddenLimits({ limit: 200, windowMs }, { sendMessage: { limit: 6, windowMs } });
		const limiter = new UserRateLimiter('declared-user', { limit: 200, windowMs, maxConcurrent: 50 }, { operationLimits: { sendMessage: 6 } });
		const client = new PumbleClient({ transport: pumble.transport, identity: 'k', limiter });
		await Promise.all(Array.from({ length: 24 }, () => client.call(ENDPOINTS.sendMessage, { body: {} })));
		expect(pumble.log.filter((e) => e.status === 429)).toHaveLength(0);
		expect(busiestWindow(pumble.log.map((e) => e.at), windowMs)).toBeLessThanOrEqual(6);
	}, 15_000);

	it('counts DMs in the send class, as Pumble does', async () => {
		const limiter = new UserRateLimiter('dm-user', { limit: 100, windowMs: 60_000, maxConcurrent: 10 }, { operationLimits: { sendMessage: 2 } });
		const client = new PumbleClient({ transport: hiddenLimits({ limit: 100, windowMs: 60_000 }, {}).transport, identity: 'k', limiter });
		await client.call(ENDPOINTS.sendMessage, { body: {} });
		await client.call(ENDPOINTS.dmUser, { body: {} });
		// The class is full for a minute: a third message waits, a read does not.
		let third = false;
		void client.call(ENDPOINTS.dmGroup, { body: {} }).then(() => (third = true), () => undefined);
		await client.call(ENDPOINTS.listUsers);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(third).toBe(false);
		await limiter.stop();
	});
});

describe('who waits a 429\'s Retry-After', () => {
	const MINUTE = 60_000;
	const limiters: UserRateLimiter[] = [];
	afterEach(async () => {
		await Promise.all(limiters.splice(0).map((limiter) => limiter.stop()));
	});
	const make = () => {
		const limiter = new UserRateLimiter(`who-waits-${limiters.length}`, { limit: 1000, windowMs: MINUTE, maxConcurrent: 10 });
		limiters.push(limiter);
		return limiter;
	};
	const sent = async () => ({ status: 200 });
	const accepted = { refused: () => false };
	/** A request of the class goes through (a ten-minute class pause would hold it past Jest's timeout). */
	const goesThrough = (limiter: UserRateLimiter, rateClass = 'sendMessage') => limiter.schedule(rateClass, sent, accepted);
	/** Whether the class is paused for (most of) the ten minutes the 429s asked. */
	const classHeld = (limiter: UserRateLimiter, rateClass = 'sendMessage') =>
		(limiter.operationState(rateClass)?.pausedUntil ?? 0) > Date.now() + 9 * MINUTE;

	it('an isolated 429 holds only the refused request: the class\'s other requests go on', async () => {
		const limiter = make();
		for (let i = 0; i < RECENT_ANSWERS; i++) await limiter.schedule('sendMessage', sent, accepted);
		const { scope } = await limiter.onRateLimited('sendMessage', Date.now(), 10 * MINUTE);
		expect(scope).toBe('request');
		expect(classHeld(limiter)).toBe(false);
		await goesThrough(limiter);
	});

	it(`${FREQUENT_REFUSALS} 429s among the class's last ${RECENT_ANSWERS} answers hold the whole class; other classes go on`, async () => {
		const limiter = make();
		for (let i = 0; i < RECENT_ANSWERS - FREQUENT_REFUSALS; i++) await limiter.schedule('sendMessage', sent, accepted);
		const scopes: string[] = [];
		for (let i = 0; i < FREQUENT_REFUSALS; i++) scopes.push((await limiter.onRateLimited('sendMessage', Date.now(), 10 * MINUTE)).scope);
		expect(scopes).toEqual([...Array<string>(FREQUENT_REFUSALS - 1).fill('request'), 'operation']);
		expect(classHeld(limiter)).toBe(true);
		expect(classHeld(limiter, 'read')).toBe(false);
		await goesThrough(limiter, 'read');
	});

	it('refusals that became rare again (pushed out of the last answers) hold only their own request', async () => {
		const limiter = make();
		for (let i = 0; i < FREQUENT_REFUSALS - 1; i++) await limiter.onRateLimited('sendMessage', Date.now(), 1);
		for (let i = 0; i < RECENT_ANSWERS; i++) await limiter.schedule('sendMessage', sent, accepted);
		expect((await limiter.onRateLimited('sendMessage', Date.now(), 10 * MINUTE)).scope).toBe('request');
	});
});

describe('the learning and recovery of one operation class', () => {
	const W = 1_000;
	const owner = { id: 'class-test', windowMs: W, userLimit: () => 1000 };

	/** Accepts `count` requests spread over the window before `now`. */
	const accept = (operation: OperationClass, count: number, now: number) => {
		for (let i = 0; i < count; i++) operation.recordAccepted(now - W + 1 + i, now - W + 1 + i);
	};

	/** Two refusal episodes a window apart, each after `count` accepted: a count that repeats. Returns the time of the second. */
	const learn = (operation: OperationClass, count: number, now: number) => {
		accept(operation, count, now);
		operation.learnFromRefusal(now);
		accept(operation, count, now + W);
		operation.learnFromRefusal(now + W);
		return now + W;
	};

	it('learns nothing from one refusal, and the count Pumble accepted once it repeats across windows', () => {
		const operation = new OperationClass('sendMessage', owner);
		const now = Date.now();
		accept(operation, 80, now);
		expect(operation.learnFromRefusal(now)).toBeUndefined();
		accept(operation, 80, now + W);
		expect(operation.learnFromRefusal(now + W)).toBe(80);
		void operation.stop();
	});

	it('learns nothing from random refusals while the count only grows (nothing left the window between them)', () => {
		const operation = new OperationClass('sendMessage', owner);
		const now = Date.now();
		for (let i = 1; i <= 8; i++) {
			// 10 more accepted, then a refusal, all within one window: what 5 % random 429s look like.
			for (let k = 0; k < 10; k++) operation.recordAccepted(now + i * 50 + k, now + i * 50 + k);
			expect(operation.learnFromRefusal(now + i * 50 + 20)).toBeUndefined();
		}
		expect(operation.episodes).toBe(8);
		expect(operation.limit).toBeUndefined();
	});

	it('counts refusals of requests that left before the last refusal was known as one episode', () => {
		const operation = new OperationClass('sendMessage', owner);
		const now = Date.now();
		accept(operation, 80, now);
		operation.learnFromRefusal(now, now - 5);
		operation.learnFromRefusal(now + 3, now - 4); // in flight when the first 429 came back
		expect(operation.episodes).toBe(1);
	});

	it('probes upward one step after a full window at its limit, and falls back when the probe meets a 429', () => {
		const operation = new OperationClass('sendMessage', owner);
		let now = learn(operation, 80, Date.now());
		expect(operation.limit).toBe(80);
		const saturated = (at: number) => ((operation as unknown as { saturatedAt: number }).saturatedAt = at);
		// A window later, used up to its limit meanwhile: probe to 81.
		now += W + 10;
		saturated(now - 5);
		operation.beforeRequest(now);
		expect(operation.limit).toBe(81);
		// The probe met a 429 with 80 accepted: back to 80, and the next probe waits twice as long.
		accept(operation, 80, now);
		expect(operation.learnFromRefusal(now)).toBe(80);
		saturated(now + W + 40);
		operation.beforeRequest(now + W + 50);
		expect(operation.limit).toBe(80); // not yet: 2 windows now
		saturated(now + 2 * W + 40);
		operation.beforeRequest(now + 2 * W + 50);
		expect(operation.limit).toBe(81);
		void operation.stop();
	});

	it('recovers ever faster while probes go through, and lets go above the user budget', () => {
		const operation = new OperationClass('sendMessage', { ...owner, userLimit: () => 100 });
		let now = learn(operation, 10, Date.now());
		expect(operation.limit).toBe(10);
		const limits: number[] = [];
		for (let step = 0; step < 12 && operation.limit !== undefined; step++) {
			now += W + 10;
			// Saturated in every window: the demand is there.
			(operation as unknown as { saturatedAt: number }).saturatedAt = now - 1;
			operation.beforeRequest(now);
			limits.push(operation.limit ?? -1);
		}
		// +1, +2, +4, +8, … then unlimited (-1) once above the user's 100.
		expect(limits.slice(0, 5)).toEqual([11, 13, 17, 25, 41]);
		expect(limits[limits.length - 1]).toBe(-1);
		expect(operation.window).toBeUndefined();
	});

	it('lowers the limit gently on a lower count that repeats, never below half of what held', () => {
		const operation = new OperationClass('sendMessage', owner);
		let now = learn(operation, 80, Date.now());
		const limits: number[] = [];
		for (let round = 0; round < 5; round++) {
			now = learn(operation, 20, now + W);
			limits.push(operation.limit ?? -1);
		}
		// By a quarter at most each time (80 → 60 → 45), then the floor: half of the 80 that held.
		expect(limits).toEqual([60, 45, 40, 40, 40]);
		void operation.stop();
	});

	it('keeps its limit when refusals come at the limit itself (random 429s of a saturated class)', () => {
		const operation = new OperationClass('sendMessage', owner);
		let now = learn(operation, 80, Date.now());
		for (let round = 0; round < 5; round++) now = learn(operation, 80, now + W);
		expect(operation.limit).toBe(80);
		void operation.stop();
	});

	it('never probes above a declared limit', () => {
		const operation = new OperationClass('sendMessage', owner);
		operation.declare(60);
		const now = Date.now() + 10 * W;
		(operation as unknown as { saturatedAt: number }).saturatedAt = now - 1;
		operation.beforeRequest(now);
		expect(operation.limit).toBe(60);
		void operation.stop();
	});
});
