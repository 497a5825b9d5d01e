/**
 * The redis-server of the Redis suites: a throwaway one on a free port (`bench/lib/redis.ts`). Where the Debian
 * package is missing the suites fail with how to install it; they never skip.
 */
import { redisServerAvailable, startRedisServer, type RedisServer } from '../../bench/lib/redis';

export type { RedisServer };

export async function startTestRedis(port?: number): Promise<RedisServer> {
	if (!redisServerAvailable()) {
		throw new Error('redis-server is not installed, and the Redis tests need it: apt-get install -y redis-server (.ci/run installs it)');
	}
	return startRedisServer(port);
}
