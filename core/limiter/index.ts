/**
 * The rate limiter: one budget per Pumble user, shared by every execution in the process — and, with
 * Redis, by every n8n process — plus per-operation limits, declared or learned. One idea per file:
 * - rollingWindow.ts: a window of `limit` units over `windowMs` (local or in Redis), shared fairly: turns and the reserve;
 * - fairQueue.ts: one queue per requester, served round-robin;
 * - operationClass.ts: an operation class's own limit, and how it is learned from 429s;
 * - semaphore.ts: requests in flight at once;
 * - userLimiter.ts: one user's budget, classes and pauses, and the waits a request goes through;
 * - sharedWindow.ts: that user's window in Redis, as Redis comes and goes;
 * - registry.ts: one limiter per Pumble user, found through the key;
 * - redisSettings.ts / redisLink.ts: which Redis, and the connection to it;
 * - bottleneckAdapter.ts: Bottleneck instances and the patches to its internals;
 * - events.ts: what a limiter tells observers (the benchmark, a host's log or status: `waiting`);
 * - types.ts: the settings, results and errors they share.
 * The process-wide registry (`rateLimiters`) is owned by core/processState.ts.
 */
export { clusterIdOf, MAX_KNOWN_KEYS, RateLimiterRegistry } from './registry';
export type { LimiterRequest, RegistryOptions } from './registry';
export { MAX_PAUSE_MS, UserRateLimiter } from './userLimiter';
export type { RateLimitScope, ScheduleOptions, UserLimiterOptions } from './userLimiter';
export { MIN_EVIDENCE, OperationClass } from './operationClass';
export { RollingWindow } from './rollingWindow';
export { Semaphore } from './semaphore';
export { LimiterEvents, WAIT_MESSAGES } from './events';
export type { LimiterEventMap, LimiterEventName, WaitingEvent, WaitReason } from './events';
export { FairQueue } from './fairQueue';
export { DEFAULT_RATE_LIMIT, DEFAULT_RESERVE_SHARE, NotDispatchedError, RequeueError, reserveUnits } from './types';
export type { Dispatched, LimiterLogger, RateLimitSettings } from './types';
export { describeRedis, redisSettingsFromEnv } from './redisSettings';
export type { RedisSettings } from './redisSettings';
export type { LinkState } from './redisLink';
export { rateLimiters } from '../processState';

import type { LimiterEventMap } from './events';
/** One dispatch as the benchmark measures it (the `dispatched` event). */
export type DispatchSample = LimiterEventMap['dispatched'];
