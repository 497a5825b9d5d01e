/**
 * One Redis connection (plus Bottleneck's subscriber) shared by every clustered window of the process.
 * It only watches the connection; the user limiter decides what to do when it is up or down.
 */
import type Bottleneck from 'bottleneck';
import Redis, { type RedisOptions } from 'ioredis';

import { createRedisConnection } from './bottleneckAdapter';
import { describeRedis, type RedisSettings } from './redisSettings';
import type { LimiterLogger } from './types';

export type LinkState = 'connecting' | 'up' | 'down';

/** Redis's own time in ms (every process reads the same clock). */
const REDIS_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ";
/** Who waits: a sorted set of tokens scored by when their word runs out; the set itself expires. */
const MARK_WAITING =
	REDIS_NOW +
	"redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) " +
	"redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) " +
	"redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[2])) return 1";
const OTHERS_WAITING =
	REDIS_NOW +
	"local n = redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf') " +
	"local own = redis.call('ZSCORE', KEYS[1], ARGV[1]) " +
	"if own and tonumber(own) > now then n = n - 1 end return n";

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
			connectionName: 'pumble-rate-limit',
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
		// Bottleneck subscribes with its own duplicate of the client: watch that one too.
		({ connection: this.connection, subscriber: this.subscriber } = createRedisConnection(this.client, Redis));

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

	/**
	 * Says "`token` has requests waiting for this budget" for `ttlMs` (Redis's clock: the processes' clocks
	 * may differ). `key` is under the budget's hashed key, never an API key.
	 */
	async markWaiting(key: string, token: string, ttlMs: number): Promise<void> {
		await this.client.eval(MARK_WAITING, 1, key, token, Math.max(1, Math.round(ttlMs)));
	}

	/** `token` has no request waiting any more. */
	async clearWaiting(key: string, token: string): Promise<void> {
		await this.client.zrem(key, token);
	}

	/** How many others than `token` said lately that they have requests waiting for this budget. */
	async othersWaiting(key: string, token: string): Promise<number> {
		return Number(await this.client.eval(OTHERS_WAITING, 1, key, token));
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
			this.log.info?.(`Pumble rate limit: Redis at ${describeRedis(this.settings)} is back; the processes share each user's budget again`);
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
				'Each process now limits its own requests, so together they may exceed Pumble\'s per-user limit until Redis is back; ' +
				'requests keep going out, and sharing resumes by itself when Redis answers again.',
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
