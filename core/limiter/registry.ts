/**
 * The registry: one limiter per Pumble user for the whole n8n process (and with Redis, one budget for all
 * processes). A limiter is found by the Pumble user behind a key: `resolveUser` learns it once per key
 * (from /myInfo, through a short-lived limiter of the key itself) and the registry remembers
 * keyHash → userId, never the key. Everything here is bounded: the key's own limiter goes as soon as its
 * user is known, remembered users are forgotten after a while unused (and beyond MAX_KNOWN_KEYS), and
 * limiters and operation classes idle for `idleMs` are dropped. The process-wide instance lives in
 * core/processState.ts.
 */
import { createHash } from 'crypto';

import { BoundedCache } from '../cache';
import { RedisLink, RedisLinkOptions } from './redisLink';
import { RedisSettings, redisSettingsFromEnv } from './redisSettings';
import { DEFAULT_RATE_LIMIT, LimiterLogger, RateLimitSettings } from './types';
import { UserRateLimiter } from './userLimiter';

/** Most key → user entries remembered; the least recently used are forgotten first (and relearned if needed). */
export const MAX_KNOWN_KEYS = 10_000;

/** Per-user settings a credential asks for. */
export interface LimiterRequest {
	rateLimit?: Partial<RateLimitSettings>;
	operationLimits?: Record<string, number>;
	requestTimeoutMs?: number;
}

export interface RegistryOptions {
	/** Limiters idle this long are dropped; remembered users six times as long. Default 10 minutes. */
	idleMs?: number;
	/** Redis to share budgets through; default from the environment (see redisSettings.ts). null: none. */
	redis?: RedisSettings | null;
	redisLink?: RedisLinkOptions;
	expirationMarginMs?: number;
	log?: LimiterLogger;
	/** Most key → user entries remembered (default MAX_KNOWN_KEYS). */
	maxKnownKeys?: number;
	/** The clock for remembered users (tests inject one; `sweep(now)` takes the time too). */
	now?: () => number;
}

const defaultLog: LimiterLogger = {
	warn: (message) => process.emitWarning(message, 'PumbleRateLimit'),
};

/** A stable name for a Pumble user in Redis keys: not secret, but no need to spell the ID out. */
export function clusterIdOf(userId: string): string {
	return createHash('sha256').update(`pumble-user:${userId}`).digest('hex').slice(0, 24);
}

export class RateLimiterRegistry {
	private readonly limiters = new Map<string, UserRateLimiter>();
	private readonly users: BoundedCache<string>;
	private readonly learning = new Map<string, Promise<string | undefined>>();
	/** /myInfo bootstraps in flight: every user limiter holds back one unit for each (see forKey). */
	private bootstraps = 0;
	private readonly settings: RegistryOptions;
	private sweeper?: NodeJS.Timeout;
	private link?: RedisLink | null;
	private log: LimiterLogger;
	private readonly idleMs: number;

	constructor(options: RegistryOptions | number = {}) {
		this.settings = typeof options === 'number' ? { idleMs: options } : options;
		this.idleMs = this.settings.idleMs ?? 10 * 60_000;
		this.log = this.settings.log ?? defaultLog;
		this.users = new BoundedCache<string>({ ttlMs: this.idleMs * 6, maxEntries: this.settings.maxKnownKeys ?? MAX_KNOWN_KEYS, slide: true, now: this.settings.now });
	}

	/** Where warnings go (n8n's logger once a node has run). */
	setLogger(log: LimiterLogger): void {
		this.log = log;
	}

	/** The limiter of `identity` (a user key such as `user:<id>`, or any opaque name in tests). */
	get(identity: string, request: Partial<RateLimitSettings> | LimiterRequest = {}): UserRateLimiter {
		const wanted = normalizeRequest(request);
		const settings = { ...DEFAULT_RATE_LIMIT, ...wanted.rateLimit };
		let limiter = this.limiters.get(identity);
		if (!limiter) {
			limiter = new UserRateLimiter(`pumble-${identity}`, settings, {
				link: this.redisLink(),
				clusterId: clusterIdOf(identity),
				requestTimeoutMs: wanted.requestTimeoutMs,
				expirationMarginMs: this.settings.expirationMarginMs,
				operationLimits: wanted.operationLimits,
				log: this.log,
			});
			this.limiters.set(identity, limiter);
			if (isUser(identity)) limiter.holdBack(this.bootstraps);
			this.startSweeper();
		} else {
			limiter.lowerLimit(settings.limit);
			limiter.raiseReserveShare(wanted.rateLimit?.reserveShare);
			limiter.declareOperationLimits(wanted.operationLimits);
		}
		return limiter;
	}

	/**
	 * The limiter of the Pumble user behind a key. `resolveUser` (a /myInfo through `bootstrap`) runs once
	 * per key; while it cannot (bad key, Pumble down), the key is its own budget for now.
	 */
	async forKey(
		keyHash: string,
		request: LimiterRequest,
		resolveUser: (bootstrap: UserRateLimiter) => Promise<string>,
	): Promise<UserRateLimiter> {
		const known = this.users.peek(keyHash);
		if (known) return this.get(`user:${known}`, request);
		let learning = this.learning.get(keyHash);
		if (!learning) {
			const bootstrapId = `key:${keyHash}`;
			const bootstrap = this.get(bootstrapId, request);
			// Pumble counts this /myInfo against a user we learn only from its answer: until then every user
			// limiter holds back a unit for it (of its local window; see UserRateLimiter.holdBack), so the
			// user's window has room for it whoever the user is.
			let inFlight = true;
			const landed = () => {
				if (!inFlight) return;
				inFlight = false;
				this.setBootstraps(this.bootstraps - 1);
			};
			this.setBootstraps(this.bootstraps + 1);
			learning = resolveUser(bootstrap)
				.then(async (userId) => {
					this.users.set(keyHash, userId);
					// The /myInfo counted against this user at Pumble: charged (one window from now) in the same
					// step as its held-back unit is given back, so the window never has room for it twice.
					const charged = this.get(`user:${userId}`, request).charge();
					landed();
					await charged;
					// The key's own limiter has served its purpose (its unit is now the user's).
					this.drop(bootstrapId, bootstrap);
					return userId;
				})
				.catch(() => undefined)
				.finally(() => {
					landed();
					this.learning.delete(keyHash);
				});
			this.learning.set(keyHash, learning);
		}
		const userId = await learning;
		return this.get(userId ? `user:${userId}` : `key:${keyHash}`, request);
	}

	/** The user a key belongs to, if learned. */
	userOf(keyHash: string): string | undefined {
		return this.users.peek(keyHash);
	}

	get size(): number {
		return this.limiters.size;
	}

	get rememberedKeys(): number {
		return this.users.size;
	}

	/** The Redis connection state, or undefined without Redis. */
	get redisState(): RedisLink['state'] | undefined {
		return this.redisLink()?.state;
	}

	/** Drops limiters idle for longer than `idleMs` holding no budget units, and key → user entries unused for 6 × `idleMs`. */
	sweep(now = Date.now()): void {
		for (const [identity, limiter] of this.limiters) {
			if (!limiter.busy && now - limiter.lastUsed > this.idleMs) this.drop(identity, limiter);
			else limiter.sweepOperations(now, this.idleMs);
		}
		this.users.prune(now);
		if (this.limiters.size === 0) {
			if (this.sweeper) {
				clearInterval(this.sweeper);
				this.sweeper = undefined;
			}
			// Nothing left to share: let the Redis connection go (it comes back on demand).
			if (this.link) {
				void this.link.close();
				this.link = undefined;
			}
		}
	}

	/** Stops every limiter and the Redis connection, and forgets every user (tests, scripts). */
	async close(): Promise<void> {
		const limiters = [...this.limiters.values()];
		this.limiters.clear();
		this.users.clear();
		if (this.sweeper) clearInterval(this.sweeper);
		this.sweeper = undefined;
		await Promise.all(limiters.map((limiter) => limiter.stop(true)));
		if (this.link) await this.link.close();
		this.link = undefined;
	}

	private setBootstraps(count: number): void {
		this.bootstraps = count;
		for (const [identity, limiter] of this.limiters) if (isUser(identity)) limiter.holdBack(count);
	}

	private drop(identity: string, limiter: UserRateLimiter): void {
		if (this.limiters.get(identity) !== limiter) return;
		this.limiters.delete(identity);
		void limiter.stop();
	}

	private redisLink(): RedisLink | undefined {
		if (this.link === undefined) {
			const settings = this.settings.redis === undefined ? redisSettingsFromEnv() : this.settings.redis;
			this.link = settings
				? new RedisLink(settings, { warn: (m) => this.log.warn(m), info: (m) => this.log.info?.(m), debug: (m) => this.log.debug?.(m) }, this.settings.redisLink)
				: null;
		}
		return this.link ?? undefined;
	}

	private startSweeper(): void {
		if (this.sweeper) return;
		this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleMs, 60_000));
		this.sweeper.unref?.();
	}
}

/** A user's limiter (not a key's own, which serves the bootstrap itself). */
function isUser(identity: string): boolean {
	return !identity.startsWith('key:');
}

function normalizeRequest(request: Partial<RateLimitSettings> | LimiterRequest): LimiterRequest {
	if ('rateLimit' in request || 'operationLimits' in request || 'requestTimeoutMs' in request) return request as LimiterRequest;
	return { rateLimit: request as Partial<RateLimitSettings> };
}
