/**
 * Every Bottleneck instance of the limiter is made here, and every patch to Bottleneck's private members
 * lives here. They are written for the exact version pinned in package.json (2.19.5); each patch leaves
 * Bottleneck alone when the member it expects is missing, and test/unit/limiter.bottleneck.test.ts fails
 * when a patch no longer takes effect.
 */
import Bottleneck from 'bottleneck';

import type Redis from 'ioredis';

import type { RedisLink } from './redisLink';

export interface BottleneckOptions {
	id: string;
	maxConcurrent: number;
	/** Clustered through this Redis connection when given; local otherwise. */
	link?: RedisLink;
	/** Clustered only: Redis forgets the budget's keys after this long without use. */
	keysTimeoutMs?: number;
}

export function createBottleneck(options: BottleneckOptions): Bottleneck {
	const bottleneck = options.link
		? new Bottleneck({
				id: options.id,
				datastore: 'ioredis',
				connection: options.link.connection,
				maxConcurrent: options.maxConcurrent,
				clearDatastore: false,
				timeout: options.keysTimeoutMs,
			})
		: new Bottleneck({ id: options.id, maxConcurrent: options.maxConcurrent });
	if (!options.link) {
		fastLocalDatastore(bottleneck);
		startWithoutClock(bottleneck);
	}
	quietEvents(bottleneck);
	return bottleneck;
}

/**
 * Bottleneck's local datastore makes each of its steps asynchronous with `setTimeout(0)` — at least 1 ms,
 * and the steps of all jobs run one after another — which caps a local limiter near 400 requests/s:
 * a burst of 1000 would take 2.5 s. `setImmediate` keeps every step asynchronous, in the same order,
 * without the clamp (≈ 0.1 ms per job). Only the datastore's zero-delay yield changes; timed waits stay.
 * Returns whether the patch applied.
 */
export function fastLocalDatastore(bottleneck: Bottleneck): boolean {
	const store = (bottleneck as unknown as { _store?: { yieldLoop?: (t?: number) => Promise<void> } })._store;
	if (!store || typeof store.yieldLoop !== 'function') return false; // another Bottleneck version: keep its own
	store.yieldLoop = (t = 0) => new Promise<void>((resolve) => (t > 0 ? setTimeout(resolve, t) : setImmediate(resolve)));
	return true;
}

/**
 * Bottleneck's local datastore starts each job `_nextRequest - Date.now()` ms later, `_nextRequest` being the
 * last start + `minTime`. The limiter never sets `minTime`, so that is always "now" — until the system clock
 * steps back (NTP, or a test faking Date): then every job waits as long as the clock jumped, e.g. 194 days,
 * which a timer cannot hold (TimeoutOverflowWarning, fired after 1 ms), or a stall of an hour after a
 * one-hour step. Pinned to 0, every job starts at once, as `minTime: 0` means. Returns whether it applied.
 */
export function startWithoutClock(bottleneck: Bottleneck): boolean {
	const store = (bottleneck as unknown as { _store?: { _nextRequest?: unknown } })._store;
	if (!store || typeof store._nextRequest !== 'number') return false;
	Object.defineProperty(store, '_nextRequest', { get: () => 0, set: () => undefined, configurable: true });
	return true;
}

/**
 * Bottleneck announces every step of every job as an event (received, queued, scheduled, executing,
 * done, plus a formatted "debug" event for each), through async functions, even when nobody listens —
 * about a third of its cost per request. Skip an event only when it has no listener and "debug" has
 * none either: exactly what Bottleneck would have done, without the work. Returns whether it applied.
 */
export function quietEvents(bottleneck: Bottleneck): boolean {
	type Trigger = (name: string, ...args: unknown[]) => Promise<unknown>;
	const events = (bottleneck as unknown as { Events?: { trigger?: Trigger; _events?: Record<string, unknown> } }).Events;
	if (!events || typeof events.trigger !== 'function' || typeof events._events !== 'object' || events._events === null) return false;
	const trigger = events.trigger.bind(events);
	events.trigger = (name, ...args) => {
		const listeners = events._events ?? {};
		return listeners[name] == null && listeners.debug == null ? Promise.resolve(undefined) : trigger(name, ...args);
	};
	return true;
}

/**
 * Bottleneck 2.19 recognises its scripts' own errors by exact message ("SETTINGS_KEY_NOT_FOUND": the
 * budget's keys expired or Redis restarted → initialise them again; "UNKNOWN_CLIENT" → register again).
 * Redis 7 prefixes script errors with "ERR ", so without this Bottleneck would never recover from either
 * and every request would fail over to the local limiter. Strips the prefix from exactly those errors.
 * Returns whether the patch applied.
 */
export function understandRedis7Errors(connection: Bottleneck.IORedisConnection): boolean {
	type ScriptFn = (...args: unknown[]) => unknown;
	const target = connection as unknown as { __scriptFn__?: (name: string) => ScriptFn };
	const original = target.__scriptFn__?.bind(connection);
	if (!original) return false; // another Bottleneck version
	target.__scriptFn__ = (name: string) => {
		const script = original(name);
		return (...args: unknown[]) => {
			const callback = args[args.length - 1];
			if (typeof callback === 'function') {
				args[args.length - 1] = (error: unknown, replies: unknown) => {
					if (error instanceof Error) error.message = withoutRedis7Prefix(error.message);
					return (callback as (error: unknown, replies: unknown) => unknown)(error, replies);
				};
			}
			return script(...args);
		};
	};
	return true;
}

/** "ERR SETTINGS_KEY_NOT_FOUND" → "SETTINGS_KEY_NOT_FOUND" (and the same for Bottleneck's other own errors). */
export function withoutRedis7Prefix(message: string): string {
	return /^ERR ((?:SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT|OVERWEIGHT:).*)$/.exec(message)?.[1] ?? message;
}

/** Stops a clustered Bottleneck's heartbeat without asking Redis anything (the connection is closing or gone). */
export function stopHeartbeat(bottleneck: Bottleneck): void {
	const store = (bottleneck as unknown as { _store?: { heartbeat?: NodeJS.Timeout } })._store;
	clearInterval(store?.heartbeat);
}

/**
 * Bottleneck's connection over an ioredis client, and the duplicate of it Bottleneck subscribes with (a
 * member its typings do not declare), so that the caller can watch both.
 */
export function createRedisConnection(client: Redis, RedisClass: unknown): { connection: Bottleneck.IORedisConnection; subscriber: Redis } {
	const connection = new Bottleneck.IORedisConnection({ client, Redis: RedisClass } as unknown as Bottleneck.IORedisConnectionOptions);
	const subscriber = (connection as unknown as { subscriber: Redis }).subscriber;
	understandRedis7Errors(connection);
	return { connection, subscriber };
}
