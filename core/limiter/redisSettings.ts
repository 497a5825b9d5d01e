/**
 * Which Redis, if any, the per-user budgets are shared through when several n8n processes run.
 * Configuration, first match wins:
 * 1. `PUMBLE_RATE_LIMIT_REDIS_URL` — `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS);
 *    `off` (or `none`, `false`, `0`) turns sharing off even in queue mode.
 * 2. n8n queue mode (`EXECUTIONS_MODE=queue`): the Redis n8n itself uses, from `QUEUE_BULL_REDIS_HOST`
 *    (default localhost), `_PORT` (6379), `_USERNAME`, `_PASSWORD`, `_DB` (0) and `_TLS` (`true`).
 * 3. Otherwise none: each process limits on its own (right for a single n8n process).
 */
export interface RedisSettings {
	/** Where the settings came from, for log lines. */
	source: 'PUMBLE_RATE_LIMIT_REDIS_URL' | 'n8n queue mode' | 'explicit';
	url?: string;
	host?: string;
	port?: number;
	username?: string;
	password?: string;
	db?: number;
	tls?: boolean;
}

const OFF = new Set(['off', 'none', 'false', '0', 'no', 'disabled']);

/** The Redis to share budgets through, or undefined when this process should limit on its own. */
export function redisSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RedisSettings | undefined {
	const explicit = env.PUMBLE_RATE_LIMIT_REDIS_URL?.trim();
	if (explicit) {
		if (OFF.has(explicit.toLowerCase())) return undefined;
		return { source: 'PUMBLE_RATE_LIMIT_REDIS_URL', url: explicit };
	}
	if (env.EXECUTIONS_MODE?.trim().toLowerCase() !== 'queue') return undefined;
	const number = (value: string | undefined, fallback: number) => {
		const parsed = Number(value);
		return value !== undefined && value.trim() !== '' && Number.isInteger(parsed) && parsed >= 0 ? parsed : fallback;
	};
	const text = (value: string | undefined) => (value && value.trim() !== '' ? value : undefined);
	return {
		source: 'n8n queue mode',
		host: text(env.QUEUE_BULL_REDIS_HOST) ?? 'localhost',
		port: number(env.QUEUE_BULL_REDIS_PORT, 6379),
		username: text(env.QUEUE_BULL_REDIS_USERNAME),
		password: text(env.QUEUE_BULL_REDIS_PASSWORD),
		db: number(env.QUEUE_BULL_REDIS_DB, 0),
		tls: env.QUEUE_BULL_REDIS_TLS?.trim().toLowerCase() === 'true',
	};
}

/** "host:port/db (source)", never the password. */
export function describeRedis(settings: RedisSettings): string {
	if (settings.url) {
		try {
			const url = new URL(settings.url);
			return `${url.protocol}//${url.hostname}:${url.port || 6379}${url.pathname && url.pathname !== '/' ? url.pathname : ''} (${settings.source})`;
		} catch {
			return `an unreadable URL (${settings.source})`;
		}
	}
	return `${settings.tls ? 'rediss' : 'redis'}://${settings.host}:${settings.port}/${settings.db ?? 0} (${settings.source})`;
}
