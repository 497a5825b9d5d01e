/**
 * The per-user rate limit against the sandbox, over real HTTP, through the node's core path (PumbleApi → PumbleClient →
 * limiter → axios) and, for the credential's fields, through the node itself: the budget is the user's
 * (two keys share it), channels run side by side in item order, a hidden per-operation limit is learned.
 */
import { busiestWindow, outOfOrder } from '../../bench/lib/analyze';
import { createAxiosTransport, identityOf, ITEM_CONCURRENCY, PumbleApi, PumbleClient, RateLimiterRegistry, rateLimiters, runInLanes } from '../../core/withAxios';
import { startSandbox, type RequestLogEntry, type Sandbox } from '../../sandbox';
import { Input } from '../../sandbox/validation';
import { sleep } from '../../core/time';
import type { Transport } from '../../core/http/transport';
import { runNode } from '../helpers/runNode';

const apiFor = (sandbox: Sandbox, key: string, registry: RateLimiterRegistry, limit: number, windowMs: number) =>
	new PumbleApi(
		new PumbleClient({ transport: createAxiosTransport({ apiKey: key, baseUrl: sandbox.url }), identity: identityOf(key), registry, rateLimit: { limit, windowMs } }),
	);

const channels = (sandbox: Sandbox, count: number) => {
	const ada = sandbox.state.userById(sandbox.ids.ada)!;
	return Array.from({ length: count }, (_, i) => sandbox.state.createChannel(ada, Input.fromBody({ name: `rl-${Date.now()}-${i}`, type: 'PUBLIC' })).id);
};

const accepted = (log: RequestLogEntry[]) => log.filter((e) => e.status !== 429 && e.status !== 0);

/** Item order per channel as the sandbox stored the messages ("item <n>" texts). */
const sequence = (sandbox: Sandbox, ids: string[]) =>
	sandbox.state.messages
		.filter((m) => ids.includes(m.channelId))
		.map((m) => ({ channel: m.channelId, item: Number(/item (\d+)$/.exec(m.text ?? '')?.[1]) }));

describe('rate limiting against the sandbox', () => {
	let sandbox: Sandbox;
	let registry: RateLimiterRegistry;
	afterEach(async () => {
		await registry?.close();
		await sandbox?.close();
	});

	it('shares one budget between two keys of the same user: no 429, never more than the limit per window', async () => {
		sandbox = await startSandbox({ rateLimit: { limit: 20, windowMs: 1_000 }, extraKeys: { 'ada-second-key': 'ada' }, latencyMs: 3 });
		registry = new RateLimiterRegistry({ redis: null });
		const [general] = channels(sandbox, 1);
		const first = apiFor(sandbox, sandbox.apiKey, registry, 20, 1_000);
		const second = apiFor(sandbox, 'ada-second-key', registry, 20, 1_000);
		await Promise.all([
			...Array.from({ length: 30 }, (_, i) => first.sendMessage({ channel: { id: general }, text: `first ${i}` })),
			...Array.from({ length: 30 }, (_, i) => second.sendMessage({ channel: { id: general }, text: `second ${i}` })),
		]);
		expect(sandbox.log.filter((e) => e.status === 429)).toHaveLength(0);
		expect(busiestWindow(accepted(sandbox.log).map((e) => e.ts), 1_000)).toBeLessThanOrEqual(20);
		expect(new Set(sandbox.log.map((e) => e.keyHash)).size).toBe(2); // both keys were used
	}, 30_000);

	it('holds back a unit for a second key\'s /myInfo while it is in flight: the budget is never exceeded', async () => {
		// Window long enough never to roll during the test: every request below falls in one window.
		sandbox = await startSandbox({ rateLimit: { limit: 5, windowMs: 60_000 }, extraKeys: { 'ada-second-key': 'ada' } });
		registry = new RateLimiterRegistry({ redis: null });
		const [general] = channels(sandbox, 1);
		/** Counts requests that left and came back; `gate` holds them before they reach Pumble. */
		const tracked = (key: string, gate?: Promise<void>) => {
			const inner = createAxiosTransport({ apiKey: key, baseUrl: sandbox.url });
			const counts = { left: 0, back: 0 };
			const transport: Transport = {
				async send(request) {
					counts.left++;
					try {
						if (gate) await gate;
						return await inner.send(request);
					} finally {
						counts.back++;
					}
				},
			};
			return { transport, counts };
		};
		const until = async (condition: () => boolean) => {
			while (!condition()) await sleep(10);
		};
		let open!: () => void;
		const gate = new Promise<void>((resolve) => (open = resolve));
		const stop = new AbortController();
		const a = tracked(sandbox.apiKey);
		const b = tracked('ada-second-key', gate);
		const first = new PumbleClient({ transport: a.transport, identity: identityOf(sandbox.apiKey), registry, rateLimit: { limit: 5, windowMs: 60_000 }, signal: stop.signal });
		const second = new PumbleClient({ transport: b.transport, identity: identityOf('ada-second-key'), registry, rateLimit: { limit: 5, windowMs: 60_000 }, signal: stop.signal });
		// The second key's /myInfo is on its way (held before it reaches Pumble) while the first key spends the budget.
		const learning = second.userLimiter().catch(() => undefined);
		await until(() => b.counts.left === 1);
		const sends = Array.from({ length: 4 }, (_, i) =>
			new PumbleApi(first).sendMessage({ channel: { id: general }, text: `first ${i}` }).catch(() => undefined),
		);
		// The first key's /myInfo and three sends reached Pumble: 4 of 5 units, the last one is the second /myInfo's.
		await until(() => sandbox.log.filter((e) => e.keyHash !== null && e.path !== '/myInfo').length >= 3 && a.counts.left === a.counts.back);
		open();
		await until(() => b.counts.back >= 1 && a.counts.left === a.counts.back);
		expect(sandbox.log.filter((e) => e.status === 429)).toHaveLength(0);
		expect(busiestWindow(accepted(sandbox.log).map((e) => e.ts), 60_000)).toBeLessThanOrEqual(5);
		expect(a.counts.left).toBe(4); // the fourth send waits for a unit (the window): it is not sent over the limit
		stop.abort();
		await registry.close();
		await Promise.all([learning, ...sends]);
	}, 30_000);

	it('runs channels side by side and keeps each channel in item order', async () => {
		sandbox = await startSandbox({ latencyMs: { min: 1, max: 20 } });
		registry = new RateLimiterRegistry({ redis: null });
		const ids = channels(sandbox, 5);
		const api = apiFor(sandbox, sandbox.apiKey, registry, 1000, 60_000);
		const results = await runInLanes({
			count: 150,
			concurrency: ITEM_CONCURRENCY,
			laneOf: (i) => `channel:${ids[i % ids.length]}`,
			work: (i) => api.sendMessage({ channel: { id: ids[i % ids.length] }, text: `item ${i}` }),
		});
		expect(results.every((r) => r?.ok)).toBe(true);
		const order = sequence(sandbox, ids);
		expect(order).toHaveLength(150);
		expect(outOfOrder(order)).toBe(0);
		// Side by side: at some moment the sandbox was answering one request of every channel.
		const sends = sandbox.log.filter((e) => e.path === '/sendMessage');
		const overlap = Math.max(...sends.map((e) => sends.filter((o) => o.ts <= e.ts && o.endTs > e.ts).length));
		expect(overlap).toBe(5);
	}, 30_000);

	it('learns a hidden per-operation limit from a few 429s and delivers every message in order', async () => {
		sandbox = await startSandbox({ operationLimits: { sendMessage: { limit: 6, windowMs: 1_000 } }, latencyMs: 3 });
		registry = new RateLimiterRegistry({ redis: null });
		const ids = channels(sandbox, 3);
		const api = apiFor(sandbox, sandbox.apiKey, registry, 1000, 1_000);
		const results = await runInLanes({
			count: 30,
			concurrency: ITEM_CONCURRENCY,
			laneOf: (i) => `channel:${ids[i % ids.length]}`,
			work: (i) => api.sendMessage({ channel: { id: ids[i % ids.length] }, text: `item ${i}` }),
		});
		expect(results.every((r) => r?.ok)).toBe(true);
		expect(outOfOrder(sequence(sandbox, ids))).toBe(0);
		const refused = sandbox.log.filter((e) => e.status === 429);
		// 30 sends at 6 per second take 5 windows; one 429 per send would be 24 or more.
		expect(refused.length).toBeLessThanOrEqual(10);
		const limiter = await api.client.userLimiter();
		expect(limiter.operationLimit('sendMessage')).toBeLessThanOrEqual(7);
	}, 60_000);

	it('delivers 200 sends over 10 channels through random 429s (5 %, Retry-After 1 s) once each, and learns no limit from them', async () => {
		sandbox = await startSandbox({ latencyMs: 10, faults: { rate: 0.05, kinds: ['429'], paths: ['sendMessage'], seed: 7 } });
		registry = new RateLimiterRegistry({ redis: null });
		const ids = channels(sandbox, 10);
		const api = apiFor(sandbox, sandbox.apiKey, registry, 1000, 60_000);
		const results = await runInLanes({
			count: 200,
			concurrency: ITEM_CONCURRENCY,
			laneOf: (i) => `channel:${ids[i % ids.length]}`,
			work: (i) => api.sendMessage({ channel: { id: ids[i % ids.length] }, text: `item ${i}` }),
		});
		expect(results.every((r) => r?.ok)).toBe(true);
		const order = sequence(sandbox, ids);
		expect(order).toHaveLength(200);
		expect(new Set(order.map((m) => m.item)).size).toBe(200);
		expect(outOfOrder(order)).toBe(0);
		const refused = sandbox.log.filter((e) => e.status === 429);
		expect(refused.length).toBeGreaterThan(0); // the faults did happen…
		const limiter = await api.client.userLimiter();
		const sends = limiter.operationState('sendMessage')!;
		expect(sends.refusals).toBe(refused.length);
		// …and taught nothing: random refusals are no limit, so the class never ratchets down.
		expect(sends.limit).toBeUndefined();
		expect(limiter.operationLimit('sendMessage')).toBeUndefined();
	}, 60_000);

	it('takes per-operation limits and the budget from the credential\'s advanced fields', async () => {
		sandbox = await startSandbox({ latencyMs: 2 });
		registry = rateLimiters as RateLimiterRegistry;
		const { output, error } = await runNode({
			parameters: { resource: 'message', operation: 'send', channel: { __rl: true, mode: 'id', value: sandbox.ids.general }, text: '={{ $json.text }}' },
			items: [{ text: 'one' }, { text: 'two' }],
			credentials: { apiKey: sandbox.apiKey, baseUrl: sandbox.url, requestsPerMinute: 500, messagesPerMinute: 40, repliesPerMinute: 30 },
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(2);
		const limiter = rateLimiters.get(`user:${sandbox.ids.ada}`);
		expect(limiter.limit).toBe(500);
		expect(limiter.operationLimit('sendMessage')).toBe(40);
		expect(limiter.operationLimit('sendReply')).toBe(30);
		expect(limiter.operationLimit('reaction')).toBeUndefined();
	}, 30_000);
});
