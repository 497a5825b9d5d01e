/**
 * One user's budget shared fairly between requesters (executions, Node-RED nodes, polls): turns between
 * requesters, the reserve a heavy requester leaves to the others, and the `waiting` event hosts show.
 * Nothing here is timed: each test counts what left before what.
 */
import { PumbleClient, reserveUnits, UserRateLimiter, WAIT_MESSAGES, type WaitingEvent } from '../../core';
import { ENDPOINTS } from '../../core/http/endpoints';
import { FairQueue } from '../../core/limiter/fairQueue';

/** Requests that answer at once and record who left in which order. */
function ledger() {
	const order: string[] = [];
	const send = (limiter: UserRateLimiter, requester: string, options: { onWaiting?(event: WaitingEvent): void } = {}) =>
		limiter.schedule('read', async () => void order.push(requester), { requester, ...options });
	return { order, send };
}

/** Resolves once `predicate` holds, checking after every turn of the event loop. */
async function until(predicate: () => boolean): Promise<void> {
	while (!predicate()) await new Promise((resolve) => setImmediate(resolve));
}

describe('fair queue', () => {
	it('serves requesters round-robin and keeps each requester’s order', () => {
		const queue = new FairQueue<string>();
		for (let i = 0; i < 4; i++) queue.push('bulk', `bulk-${i}`);
		queue.push('alert', 'alert-0');
		queue.push('poll', 'poll-0');
		queue.push('alert', 'alert-1');
		const taken: Array<string | undefined> = [];
		while (queue.size > 0) taken.push(queue.take());
		expect(taken).toEqual(['bulk-0', 'alert-0', 'poll-0', 'bulk-1', 'alert-1', 'bulk-2', 'bulk-3']);
	});

	it('skips a requester its gate holds back, without losing its place in its own order', () => {
		const queue = new FairQueue<string>();
		queue.push('bulk', 'bulk-0');
		queue.push('bulk', 'bulk-1');
		queue.push('alert', 'alert-0');
		expect(queue.take((requester) => requester !== 'bulk')).toBe('alert-0');
		expect(queue.take((requester) => requester !== 'bulk')).toBeUndefined();
		expect(queue.take()).toBe('bulk-0');
		expect(queue.remove('bulk', 'bulk-1')).toBe(true);
		expect(queue.size).toBe(0);
	});
});

describe('one user’s budget shared between requesters', () => {
	let limiters: UserRateLimiter[] = [];
	const limiterOf = (limit: number, reserveShare: number, windowMs = 60_000) => {
		const limiter = new UserRateLimiter(`fair-${limiters.length}`, { limit, windowMs, maxConcurrent: 200, reserveShare });
		limiters.push(limiter);
		return limiter;
	};
	afterEach(async () => {
		await Promise.all(limiters.map((limiter) => limiter.stop()));
		limiters = [];
	});

	it('gives a newcomer the next unit that comes back, not the one after everything queued before it', async () => {
		// A short window, no reserve: the bulk fills it and queues 30 more; an alert then asks for one.
		const limiter = limiterOf(10, 0, 300);
		const { order, send } = ledger();
		const bulk = Array.from({ length: 40 }, () => send(limiter, 'bulk'));
		await until(() => order.length === 10);
		const alert = send(limiter, 'alert');
		await Promise.all([...bulk, alert]);
		// First-come-first-served would send the alert 41st, after all 30 queued bulk requests; in turns it
		// is the first (or, if a unit came back just then, the second) to leave once units come back.
		expect(order.indexOf('alert')).toBeLessThanOrEqual(11);
		expect(order).toHaveLength(41);
	});

	it('alternates two requesters that both have many queued', async () => {
		const limiter = limiterOf(4, 0, 200);
		const { order, send } = ledger();
		const first = Array.from({ length: 20 }, () => send(limiter, 'a'));
		await until(() => order.length === 4);
		const second = Array.from({ length: 20 }, () => send(limiter, 'b'));
		await Promise.all([...first, ...second]);
		// After the first window (a's four), while both wait, no requester leaves twice in a row for long:
		// the longest run of one requester is at most a few (units come back in groups).
		const afterFirst = order.slice(4, 4 + 2 * 16);
		let longest = 0;
		let run = 0;
		afterFirst.forEach((who, i) => {
			run = i > 0 && afterFirst[i - 1] === who ? run + 1 : 1;
			longest = Math.max(longest, run);
		});
		expect(longest).toBeLessThanOrEqual(2);
		expect(order.filter((who) => who === 'b')).toHaveLength(20);
	});

	it('keeps the reserve for a newcomer while one requester wants the whole window', async () => {
		// 100 units a minute, 5 % reserve: the bulk (alone) takes 95 and waits with 105 queued; an alert that
		// arrives then is served from the reserve, before any unit comes back (the bulk still has 95 sent).
		const limiter = limiterOf(100, 0.05);
		expect(limiter.reserve).toBe(5);
		const { order, send } = ledger();
		for (let i = 0; i < 200; i++) void send(limiter, 'bulk').catch(() => undefined);
		await until(() => order.length === 95);
		for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
		expect(order).toHaveLength(95);
		await send(limiter, 'alert');
		expect(order.slice(0, 96)).toEqual([...Array<string>(95).fill('bulk'), 'alert']);
		// A second and a third alert too: the reserve is for everyone but the heavy requester.
		await send(limiter, 'poll');
		await send(limiter, 'sendAndWait');
		expect(order.filter((who) => who === 'bulk')).toHaveLength(95);
	});

	it('lets a requester alone use the whole window once its own units are about to come back', async () => {
		// A 600 ms window: grace is 10 ms. The bulk's first 19 go at once, the 20th (the reserve) just before
		// the first of them comes back; no window ever holds more than 20.
		const windowMs = 600;
		const limiter = limiterOf(20, 0.05, windowMs);
		const times: number[] = [];
		let mostHeld = 0;
		await Promise.all(
			Array.from({ length: 40 }, () =>
				limiter.schedule(
					'read',
					async () => {
						times.push(Date.now());
						mostHeld = Math.max(mostHeld, await limiter.usedUnits());
					},
					{ requester: 'bulk' },
				),
			),
		);
		expect(times).toHaveLength(40);
		expect(mostHeld).toBe(20);
	});

	it('holds back nobody but the heavy requester: light ones may use every free unit', async () => {
		const limiter = limiterOf(20, 0.25);
		const { order, send } = ledger();
		// Four light requesters of four units each (below the reserve of five): all sixteen go at once.
		await Promise.all(['a', 'b', 'c', 'd'].flatMap((who) => Array.from({ length: 4 }, () => send(limiter, who))));
		expect(order).toHaveLength(16);
		// A fifth requester can still take the last four.
		await Promise.all(Array.from({ length: 4 }, () => send(limiter, 'e')));
		expect(order).toHaveLength(20);
	});

	it('tells why a request waits: another requester holds the budget, or its own requests do', async () => {
		const limiter = limiterOf(5, 0, 60_000);
		const { order, send } = ledger();
		const events: WaitingEvent[] = [];
		limiter.events.on('waiting', (event) => void events.push(event));
		for (let i = 0; i < 5; i++) void send(limiter, 'bulk');
		await until(() => order.length === 5);
		const told: WaitingEvent[] = [];
		void send(limiter, 'alert', { onWaiting: (event) => void told.push(event) }).catch(() => undefined);
		void send(limiter, 'bulk').catch(() => undefined);
		await until(() => events.length === 2);
		expect(told).toEqual([{ rateClass: 'read', requester: 'alert', reason: 'otherRequester', message: WAIT_MESSAGES.otherRequester }]);
		expect(told[0].message).toBe('waiting for the shared Pumble budget: another requester of this Pumble user is using it');
		expect(events.map((event) => [event.requester, event.reason])).toEqual([
			['alert', 'otherRequester'],
			['bulk', 'ownUse'],
		]);
	});

	it('hands the waiting event to the client’s events with the operation, and the requester through', async () => {
		const limiter = limiterOf(2, 0, 60_000);
		const told: Array<{ operation: string; requester: string; reason: string }> = [];
		const transport = { send: async () => ({ status: 200, headers: {}, body: [] }) };
		const bulk = new PumbleClient({ transport, identity: 'x', limiter, requester: 'execution:1' });
		const alert = new PumbleClient({
			transport,
			identity: 'x',
			limiter,
			requester: 'execution:2',
			events: { waiting: ({ operation, requester, reason }) => void told.push({ operation, requester, reason }) },
		});
		await Promise.all([bulk.call(ENDPOINTS.listUsers), bulk.call(ENDPOINTS.listUsers)]);
		void alert.call(ENDPOINTS.listUsers).catch(() => undefined);
		await until(() => told.length === 1);
		expect(told).toEqual([{ operation: ENDPOINTS.listUsers.name, requester: 'execution:2', reason: 'otherRequester' }]);
	});

	it('computes the reserve from the share: 5 % of 1,000 is 50; 0 turns it off', () => {
		expect(reserveUnits(1000)).toBe(50);
		expect(reserveUnits(1000, 0)).toBe(0);
		expect(reserveUnits(1000, 0.9)).toBe(500);
	});
});
