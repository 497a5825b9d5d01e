/** Where the shared budget's Redis comes from: an explicit URL, else n8n's queue mode. */
import { describeRedis, redisSettingsFromEnv } from '../../core';

describe('Redis settings', () => {
	it('come from PUMBLE_RATE_LIMIT_REDIS_URL first', () => {
		expect(redisSettingsFromEnv({ PUMBLE_RATE_LIMIT_REDIS_URL: 'redis://:pw@redis.internal:6380/2', EXECUTIONS_MODE: 'queue' })).toEqual({
			source: 'PUMBLE_RATE_LIMIT_REDIS_URL',
			url: 'redis://:pw@redis.internal:6380/2',
		});
	});

	it('can be switched off even in queue mode', () => {
		for (const off of ['off', 'none', 'false', 'OFF']) {
			expect(redisSettingsFromEnv({ PUMBLE_RATE_LIMIT_REDIS_URL: off, EXECUTIONS_MODE: 'queue' })).toBeUndefined();
		}
	});

	it('otherwise follow n8n\'s queue mode settings', () => {
		expect(
			redisSettingsFromEnv({
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: 'redis',
				QUEUE_BULL_REDIS_PORT: '6390',
				QUEUE_BULL_REDIS_USERNAME: 'n8n',
				QUEUE_BULL_REDIS_PASSWORD: 'secret',
				QUEUE_BULL_REDIS_DB: '3',
				QUEUE_BULL_REDIS_TLS: 'true',
			}),
		).toEqual({ source: 'n8n queue mode', host: 'redis', port: 6390, username: 'n8n', password: 'secret', db: 3, tls: true });
		expect(redisSettingsFromEnv({ EXECUTIONS_MODE: 'queue' })).toEqual({
			source: 'n8n queue mode',
			host: 'localhost',
			port: 6379,
			username: undefined,
			password: undefined,
			db: 0,
			tls: false,
		});
	});

	it('are none for a single n8n process', () => {
		expect(redisSettingsFromEnv({})).toBeUndefined();
		expect(redisSettingsFromEnv({ EXECUTIONS_MODE: 'regular', QUEUE_BULL_REDIS_HOST: 'redis' })).toBeUndefined();
	});

	it('are described without the password', () => {
		expect(describeRedis({ source: 'PUMBLE_RATE_LIMIT_REDIS_URL', url: 'rediss://user:pw@host:6380/1' })).toBe('rediss://host:6380/1 (PUMBLE_RATE_LIMIT_REDIS_URL)');
		expect(describeRedis({ source: 'n8n queue mode', host: 'redis', port: 6379, password: 'secret', db: 0 })).not.toContain('secret');
	});
});
