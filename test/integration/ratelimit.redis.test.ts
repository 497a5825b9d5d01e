/**
 * One user's budget across n8n workers. A real redis-server (Debian package; started here on a free
 * port, killed after), three processes sharing one Pumble user, the sandbox's log as the judge. Also:
 * Redis unreachable → local limiter with one warning; Redis back → shared again; a process that dies
 * holding units → they come back when they expire, not before.
 */
import Redis from 'ioredis';

import { busiestWindow } from '../../bench/lib/analyze';
import { freePort } from '../../bench/lib/redis';
import { startWorker, type RunningWorker, type WorkerConfig } from '../../bench/lib/workers';
import { clusterIdOf, RateLimiterRegistry } from '../../core';
import { keyHash, startSandbox, type RequestLogEntry, type Sandbox } from '../../sandbox';
import { Input } from '../../sandbox/validation';
import { startTestRedis, type RedisServer } from '../helpers/redis';

const KEYS = ['pumble-redis-test-ada-2', 'pumble-redis-test-ada-3'];

const accepted = (log: RequestLogEntry[]) => log.filter((e) => e.status !== 429 && e.status !== 0);

function channelsFor(sandbox: Sandbox, count: number, tag: string): string[] {
	const ada = sandbox.state.userById(sandbox.ids.ada)!;
	return Array.from({ length: count }, (_, i) => sandbox.state.createChannel(ada, Input.fromBody({ name: `${tag}-${Date.now()}-${i}`, type: 'PUBLIC' })).id);
}

describe('one budget across processes, through Redis', () => {
	let redis: RedisServer;
	let sandbox: Sandbox;
	const workers: RunningWorker[] = [];

	beforeAll(async () => {
		redis = await startTestRedis();
	});
	afterEach(async () => {
		for (const worker of workers.splice(0)) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
		await sandbox?.close();
	});
	afterAll(async () => {
		await redis?.stop();
	});

	const config = (apiKey: string, label: string, extra: Partial<WorkerConfig> = {}): WorkerConfig => ({
		kind: 'node-sends',
		label,
		baseUrl: sandbox.url,
		apiKey,
		items: 60,
		limit: 30,
		windowMs: 1_000,
		timeoutMs: 2_000,
		...extra,
	});

	it('three processes with three keys of one user stay within the budget in every window, each working all along', async () => {
		sandbox = await startSandbox({ rateLimit: { limit: 30, windowMs: 1_000 }, extraKeys: { [KEYS[0]]: 'ada', [KEYS[1]]: 'ada' }, latencyMs: 5 });
		const keys = [sandbox.apiKey, ...KEYS];
		workers.push(...keys.map((key, p) => startWorker(config(key, `p${p + 1}`), redis.url, false)));
		await Promise.all(workers.map((w) => w.ready));
		await new Promise((resolve) => setTimeout(resolve, 1_100)); // the /myInfo units come back
		sandbox.reset();
		workers.forEach((w, p) => w.go({ channelIds: channelsFor(sandbox, 3, `p${p + 1}`) }));
		const results = await Promise.all(workers.map((w) => w.result));

		for (const result of results) {
			expect(result.failed).toBe(0);
			expect(result.dispatched.cluster).toBeGreaterThanOrEqual(60); // through Redis, not on its own
		}
		const log = sandbox.log.slice();
		expect(log.filter((e) => e.status === 429)).toHaveLength(0);
		const ok = accepted(log);
		expect(ok).toHaveLength(180);
		// 180 requests at 30 per rolling second: never more in any window, so at least 5 windows.
		expect(busiestWindow(ok.map((e) => e.ts), 1_000)).toBeLessThanOrEqual(30);
		const span = Math.max(...ok.map((e) => e.ts)) - Math.min(...ok.map((e) => e.ts));
		expect(span).toBeGreaterThanOrEqual(5 * 1_000);
		// Each process kept working: its requests spread over most of the run, not one after the other.
		const byKey = new Map<string, number[]>();
		for (const e of ok) byKey.set(e.keyHash!, [...(byKey.get(e.keyHash!) ?? []), e.ts]);
		expect([...byKey.keys()].sort()).toEqual(keys.map(keyHash).sort());
		for (const times of byKey.values()) {
			expect(times).toHaveLength(60);
			expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(span * 0.6);
		}
		// No leak: the budget's keys in Redis expire once idle.
		const client = new Redis(redis.url);
		const settings = (await client.keys('b_pumble-rl-*_settings'))[0];
		expect(await client.pttl(settings)).toBeGreaterThan(0);
		await client.quit();
	}, 90_000);

	it('falls back to the local limiter with one warning when Redis is unreachable, and fails nothing', async () => {
		sandbox = await startSandbox({ latencyMs: 2 });
		const closedPort = await freePort();
		const worker = startWorker(config(sandbox.apiKey, 'no-redis', { items: 40, limit: 1000, windowMs: 60_000 }), `redis://127.0.0.1:${closedPort}`, false);
		workers.push(worker);
		await worker.ready;
		worker.go({ channelIds: channelsFor(sandbox, 2, 'fallback') });
		const result = await worker.result;
		expect(result.failed).toBe(0);
		expect(result.dispatched.local).toBeGreaterThanOrEqual(40);
		const warnings = worker.stderr().split('\n').filter((line) => /Redis at .* unreachable/.test(line));
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain(`127.0.0.1:${closedPort}`);
	}, 60_000);

	it('shares the budget again once Redis is back', async () => {
		const port = await freePort();
		const warnings: string[] = [];
		const registry = new RateLimiterRegistry({
			redis: { source: 'explicit', url: `redis://127.0.0.1:${port}` },
			redisLink: { connectTimeoutMs: 500 },
			log: { warn: (m) => warnings.push(m), info: () => undefined },
		});
		let late: RedisServer | undefined;
		try {
			const limiter = registry.get('user:reconnect', { limit: 100, windowMs: 200 });
			await limiter.schedule('read', async () => 'ok');
			expect(limiter.mode).toBe('local');
			expect(warnings).toHaveLength(1);
			late = await startTestRedis(port);
			const deadline = Date.now() + 20_000;
			while (registry.redisState !== 'up' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
			expect(registry.redisState).toBe('up');
			await limiter.schedule('read', async () => 'ok');
			expect(limiter.mode).toBe('cluster');
			expect(warnings).toHaveLength(1);
		} finally {
			await registry.close();
			await late?.stop();
		}
	}, 60_000);

	it('keeps sharing through Redis after the budget\'s keys vanish (Redis 7\'s "ERR " prefix understood)', async () => {
		const warnings: string[] = [];
		const registry = new RateLimiterRegistry({ redis: { source: 'explicit', url: redis.url }, log: { warn: (m) => warnings.push(m) } });
		const client = new Redis(redis.url);
		try {
			const limiter = registry.get('user:flushed', { limit: 10, windowMs: 200 });
			const clustered: boolean[] = [];
			limiter.events.on('dispatched', (event) => clustered.push(event.clustered));
			const settingsKey = `b_pumble-rl-${clusterIdOf('user:flushed')}_settings`;
			await limiter.schedule('read', async () => 'ok');
			expect(await client.exists(settingsKey)).toBe(1);
			await client.flushall(); // as after a Redis restart, or keys expired
			await limiter.schedule('read', async () => 'ok');
			// Bottleneck re-created the keys and the request went through Redis, not around it.
			expect(clustered).toEqual([true, true]);
			expect(await client.exists(settingsKey)).toBe(1);
			expect(warnings).toEqual([]);
		} finally {
			await client.quit();
			await registry.close();
		}
	}, 30_000);

	it('gives back the units of a process that died holding them only when they expire', async () => {
		sandbox = await startSandbox({ rateLimit: { limit: 20, windowMs: 1_000 }, extraKeys: { [KEYS[0]]: 'ada' }, latencyMs: 5 });
		// Units expire requestTimeout (1 s) + window (1 s) + margin (0.5 s) after they were taken.
		const shared = { items: 20, limit: 20, windowMs: 1_000, timeoutMs: 1_000, expirationMarginMs: 500 };
		const doomed = startWorker(config(sandbox.apiKey, 'doomed', { ...shared, lingerMs: 60_000 }), redis.url, false);
		const survivor = startWorker(config(KEYS[0], 'survivor', shared), redis.url, false);
		workers.push(doomed, survivor);
		await Promise.all([doomed.ready, survivor.ready]);
		await new Promise((resolve) => setTimeout(resolve, 1_100));
		sandbox.reset();
		doomed.go({ channelIds: channelsFor(sandbox, 2, 'doomed') });
		await doomed.result; // its 20 units are held for a window after their answers…
		doomed.child.kill('SIGKILL'); // …but it dies first, never giving them back
		await doomed.exited;
		survivor.go({ channelIds: channelsFor(sandbox, 2, 'survivor') });
		const result = await survivor.result;
		expect(result.failed).toBe(0);

		const ok = accepted(sandbox.log);
		expect(sandbox.log.filter((e) => e.status === 429)).toHaveLength(0);
		expect(busiestWindow(ok.map((e) => e.ts), 1_000)).toBeLessThanOrEqual(20);
		const doomedTimes = ok.filter((e) => e.keyHash === keyHash(sandbox.apiKey)).map((e) => e.ts);
		const survivorTimes = ok.filter((e) => e.keyHash === keyHash(KEYS[0])).map((e) => e.ts);
		expect(doomedTimes).toHaveLength(20);
		expect(survivorTimes).toHaveLength(20);
		// Not before the window allows (the units were not simply forgotten)…
		expect(Math.min(...survivorTimes)).toBeGreaterThanOrEqual(Math.max(...doomedTimes) + 1_000);
		// …and not stuck: back once expired (2.5 s after they were taken), plus scheduling slack.
		expect(Math.min(...survivorTimes) - Math.min(...doomedTimes)).toBeLessThan(2_500 + 2_500);
	}, 90_000);
});
