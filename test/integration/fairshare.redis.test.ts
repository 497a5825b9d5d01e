/**
 * One user's budget shared fairly across processes through Redis: two registries with their own Redis
 * connections (as two queue-mode workers have), one running a bulk that wants everything, one an alert.
 * The alert is served from the reserve the bulk leaves, before any of the bulk's units comes back; without
 * the reserve it would wait for the window to roll. Counts, not times, are asserted.
 */
import { RateLimiterRegistry, RollingWindow } from '../../core';
import { RedisLink } from '../../core/limiter/redisLink';
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

	describe('a heavy requester through Redis takes the reserve only while no other process waits', () => {
		const links: RedisLink[] = [];
		const windows: RollingWindow[] = [];
		const link = async () => {
			const made = new RedisLink({ source: 'explicit', url: redis.url }, { warn: () => undefined });
			links.push(made);
			expect(await made.whenSettled()).toBe('up');
			return made;
		};
		/** One process's window of a 40-unit budget (reserve 10) shared through Redis as `id`. */
		const window = (of: RedisLink, id: string, reserve = 10) => {
			const made = new RollingWindow({ id, limit: 40, windowMs: 60_000, link: of, expirationMs: 90_000, reserve });
			windows.push(made);
			return made;
		};
		afterEach(async () => {
			await Promise.all(windows.splice(0).map((w) => w.stop()));
			await Promise.all(links.splice(0).map((l) => l.close()));
		});

		/**
		 * A lone bulk whose units come back within the grace (held 900 ms, grace 1 s): the most units it ever
		 * holds at once. Stops once 50 requests ran (the first 40 need no unit back).
		 */
		async function mostHeldByBulk(bulk: RollingWindow): Promise<number> {
			let most = 0;
			let ran = 0;
			const runs = Array.from({ length: 50 }, () =>
				bulk
					.run(
						async () => {
							most = Math.max(most, bulk.heldCount);
							ran++;
						},
						{ requester: 'execution:bulk', holdMs: () => 900 },
					)
					.catch(() => undefined),
			);
			await Promise.all(runs);
			expect(ran).toBe(50);
			return most;
		}

		it('alone, the bulk takes the reserve’s units as its own come back: the whole window, as in one process', async () => {
			const bulk = window(await link(), 'fair-redis-alone');
			expect(await mostHeldByBulk(bulk)).toBe(40);
		});

		it('while another process says a light request waits there, the bulk leaves the reserve free', async () => {
			const [here, elsewhere] = [await link(), await link()];
			const bulk = window(here, 'fair-redis-waiter');
			// Another process's light request waits (its word lasts a minute here: longer than this test).
			await elsewhere.markWaiting('b_fair-redis-waiter_waiting', 'another-process', 60_000);
			expect(await here.othersWaiting('b_fair-redis-waiter_waiting', 'this-process')).toBe(1);
			expect(await elsewhere.othersWaiting('b_fair-redis-waiter_waiting', 'another-process')).toBe(0);
			expect(await mostHeldByBulk(bulk)).toBe(30);
			await elsewhere.clearWaiting('b_fair-redis-waiter_waiting', 'another-process');
			expect(await here.othersWaiting('b_fair-redis-waiter_waiting', 'this-process')).toBe(0);
		});

		it('a light request that cannot start says so in Redis until it leaves the queue', async () => {
			const [here, elsewhere] = [await link(), await link()];
			// Another process holds the whole budget for a window (no reserve of its own).
			const filler = window(elsewhere, 'fair-redis-says', 0);
			await Promise.all(Array.from({ length: 40 }, () => filler.run(async () => undefined, { requester: 'execution:filler' })));
			const alertWindow = window(here, 'fair-redis-says');
			const stop = new AbortController();
			const alert = alertWindow.run(async () => 'sent', { requester: 'execution:alert', signal: stop.signal });
			const key = 'b_fair-redis-says_waiting';
			while ((await elsewhere.othersWaiting(key, 'filler')) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
			stop.abort();
			await expect(alert).rejects.toThrow();
			while ((await elsewhere.othersWaiting(key, 'filler')) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
			expect(await alertWindow.usedUnits()).toBe(40);
		});
	});
});
