/**
 * One user's budget shared fairly across processes through Redis: two registries with their own Redis
 * connections (as two queue-mode workers have), one running a bulk that wants everything, one an alert.
 * The alert is served from the reserve the bulk leaves, before any of the bulk's units comes back; without
 * the reserve it would wait for the window to roll. Counts, not times, are asserted.
 */
import { RateLimiterRegistry } from '../../core';
import { startTestRedis, type RedisServer } from '../helpers/redis';

async function until(predicate: () => boolean): Promise<void> {
	while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('one user’s budget shared fairly across processes (Redis)', () => {
	let redis: RedisServer;
	const registries: RateLimiterRegistry[] = [];
	const registry = () => {
		const made = new RateLimiterRegistry({ redis: { source: 'explicit', url: redis.url }, log: { warn: () => undefined } });
		registries.push(made);
		return made;
	};

	beforeAll(async () => {
		redis = await startTestRedis();
	});
	afterEach(async () => {
		await Promise.all(registries.splice(0).map((r) => r.close()));
	});
	afterAll(async () => {
		await redis?.stop();
	});

	it('serves the other worker’s alert from the reserve while this worker’s bulk waits for the window', async () => {
		const settings = { limit: 40, windowMs: 60_000, reserveShare: 0.25 };
		const bulkWorker = registry().get('user:fair-redis', settings);
		const alertWorker = registry().get('user:fair-redis', settings);
		expect(bulkWorker.reserve).toBe(10);
		const sent: string[] = [];
		const request = (limiter: typeof bulkWorker, requester: string) =>
			limiter.schedule('read', async () => void sent.push(requester), { requester });
		const bulk = Array.from({ length: 100 }, () => request(bulkWorker, 'execution:bulk').catch(() => undefined));
		await until(() => sent.length === 30);
		// The bulk reads Redis's count again every quarter of the grace while it waits: it still leaves the ten.
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(sent).toHaveLength(30);
		expect(bulkWorker.mode).toBe('cluster');

		await request(alertWorker, 'execution:alert');
		await request(alertWorker, 'poll:alerts');
		expect(alertWorker.mode).toBe('cluster');
		expect(sent.slice(30)).toEqual(['execution:alert', 'poll:alerts']);
		expect(await alertWorker.usedUnits()).toBe(32);
		void bulk;
	});
});
