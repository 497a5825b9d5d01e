/**
 * Where the per-user budget lives when several n8n processes share it: Redis, through Bottleneck's
 * clustering (datastore "ioredis"). This file only finds the Redis server and watches the connection;
 * limiter.ts decides what to do when it is up or down.
 *
 * Configuration, first match wins:
 * 1. `PUMBLE_RATE_LIMIT_REDIS_URL` — `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS);
 *    `off` (or `none`, `false`, `0`) turns sharing off even in queue mode.
 * 2. n8n queue mode (`EXECUTIONS_MODE=queue`): the Redis n8n itself uses, from `QUEUE_BULL_REDIS_HOST`
 *    (default localhost), `_PORT` (6379), `_USERNAME`, `_PASSWORD`, `_DB` (0) and `_TLS` (`true`).
 * 3. Otherwise none: each process limits on its own (right for a single n8n process).
 */
import Bottleneck from 'bottleneck';
import Redis, { type RedisOptions } from 'ioredis';

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

/**
 * Bottleneck 2.19 recognises its scripts' own errors by exact message ("SETTINGS_KEY_NOT_FOUND": the
 * budget's keys expired or Redis restarted → initialise them again; "UNKNOWN_CLIENT" → register again).
 * Redis 7 prefixes script errors with "ERR ", so without this Bottleneck would never recover from either
 * and every request would fail over to the local limiter. Strips the prefix from exactly those errors.
 */
function understandRedis7Errors(connection: Bottleneck.IORedisConnection): void {
	type ScriptFn = (...args: unknown[]) => unknown;
	const target = connection as unknown as { __scriptFn__?: (name: string) => ScriptFn };
	const original = target.__scriptFn__?.bind(connection);
	if (!original) return; // another Bottleneck version
	target.__scriptFn__ = (name: string) => {
		const script = original(name);
		return (...args: unknown[]) => {
			const callback = args[args.length - 1];
			if (typeof callback === 'function') {
				args[args.length - 1] = (error: unknown, replies: unknown) => {
					if (error instanceof Error) {
						const own = /^ERR ((?:SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT|OVERWEIGHT:).*)$/.exec(error.message);
						if (own) error.message = own[1];
					}
					return (callback as (error: unknown, replies: unknown) => unknown)(error, replies);
				};
			}
			return script(...args);
		};
	};
}

export interface LimiterLogger {
	warn(message: string): void;
	info?(message: string): void;
	debug?(message: string): void;
}

export type LinkState = 'connecting' | 'up' | 'down';

export interface RedisLinkOptions {
	/** How long the first connection attempt may hold requests before they go to the local limiter. */
	connectTimeoutMs?: number;
	/** A command that takes longer fails, and the requests waiting on it use the local limiter. */
	commandTimeoutMs?: number;
}

/**
 * One Redis connection (plus Bottleneck's subscriber) for every clustered limiter of the process. It
 * never throws at its users: it reports "up" or "down", and keeps reconnecting in the background.
 */
export class RedisLink {
	state: LinkState = 'connecting';
	readonly connection: Bottleneck.IORedisConnection;
	private readonly client: Redis;
	private readonly subscriber: Redis;
	private readonly listeners = new Set<(state: LinkState) => void>();
	private settledResolve!: () => void;
	private readonly settled: Promise<void>;
	private closed = false;
	private lastError = '';
	private firstAttempt?: NodeJS.Timeout;

	constructor(
		readonly settings: RedisSettings,
		private readonly log: LimiterLogger,
		options: RedisLinkOptions = {},
	) {
		const connectTimeout = options.connectTimeoutMs ?? 3_000;
		const redisOptions: RedisOptions = {
			connectTimeout,
			commandTimeout: options.commandTimeoutMs ?? 5_000,
			// Fail fast while disconnected: the request then goes through the local limiter instead of waiting.
			enableOfflineQueue: false,
			maxRetriesPerRequest: 0,
			// Keep trying in the background, up to every 15 s.
			retryStrategy: (times) => Math.min(250 * 2 ** Math.min(times, 6), 15_000),
			connectionName: 'n8n-nodes-pumble-rate-limit',
			...(settings.url
				? {}
				: {
						host: settings.host,
						port: settings.port,
						username: settings.username,
						password: settings.password,
						db: settings.db,
						tls: settings.tls ? {} : undefined,
					}),
		};
		this.client = settings.url ? new Redis(settings.url, redisOptions) : new Redis(redisOptions);
		this.connection = new Bottleneck.IORedisConnection({ client: this.client, Redis } as unknown as Bottleneck.IORedisConnectionOptions);
		// Bottleneck subscribes with its own duplicate of the client: watch that one too.
		this.subscriber = (this.connection as unknown as { subscriber: Redis }).subscriber;
		understandRedis7Errors(this.connection);

		this.settled = new Promise<void>((resolve) => (this.settledResolve = resolve));
		this.firstAttempt = setTimeout(() => {
			if (this.state === 'connecting') this.markDown(`no answer within ${connectTimeout} ms`);
		}, connectTimeout + 500);
		this.firstAttempt.unref?.();

		for (const redis of [this.client, this.subscriber]) {
			redis.on('ready', () => {
				if (this.client.status === 'ready' && this.subscriber.status === 'ready') this.markUp();
			});
			redis.on('error', (error: Error & { code?: string }) => {
				this.lastError = error.code ?? error.message;
				this.log.debug?.(`Pumble rate limit: Redis error: ${this.lastError}`);
			});
			redis.on('close', () => this.markDown(this.lastError || 'connection closed'));
			redis.on('end', () => this.markDown(this.lastError || 'connection ended'));
		}
	}

	/** Resolves once the first connection attempt succeeded or failed (bounded by the connect timeout). */
	async whenSettled(): Promise<LinkState> {
		await this.settled;
		return this.state;
	}

	onChange(listener: (state: LinkState) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Raw client for the few reads Bottleneck has no API for (e.g. who else is using a budget). */
	get redis(): Redis {
		return this.client;
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		clearTimeout(this.firstAttempt);
		this.listeners.clear();
		this.state = 'down';
		this.settledResolve();
		try {
			await this.connection.disconnect(false);
		} catch {
			// already gone
		}
	}

	private markUp(): void {
		if (this.closed || this.state === 'up') return;
		clearTimeout(this.firstAttempt);
		const wasDown = this.state === 'down';
		this.state = 'up';
		this.settledResolve();
		if (wasDown) {
			this.log.info?.(`Pumble rate limit: Redis at ${describeRedis(this.settings)} is back; the n8n processes share each user's budget again`);
		}
		this.emit();
	}

	private markDown(reason: string): void {
		if (this.closed || this.state === 'down') return;
		const wasUp = this.state === 'up';
		this.state = 'down';
		this.settledResolve();
		this.log.warn(
			`Pumble rate limit: Redis at ${describeRedis(this.settings)} is ${wasUp ? 'no longer reachable' : 'unreachable'} (${reason}). ` +
				'Each n8n process now limits its own requests, so together they may exceed Pumble\'s per-user limit until Redis is back; ' +
				'workflows keep running, and sharing resumes by itself when Redis answers again.',
		);
		this.emit();
	}

	private emit(): void {
		for (const listener of [...this.listeners]) {
			try {
				listener(this.state);
			} catch (error) {
				this.log.debug?.(`Pumble rate limit: state listener failed: ${String(error)}`);
			}
		}
	}
}
