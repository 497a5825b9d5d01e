/**
 * How every request reaches Pumble: through the user's rate limiter, with the retry policy, into one
 * error type. The one place that decides whether a *request* is repeated after a failure. (Whether a
 * failed *send* is posted again is decided once more above it, by the reconciler, reconcile/, after
 * looking in Pumble; the trigger's poller only re-reads.)
 *
 * - Whose budget: the Pumble user behind the key, learned once per key from /myInfo (see
 *   RateLimiterRegistry.forKey), so two credentials of the same person share one budget.
 * - 429: Pumble refused without processing. Wait Retry-After (seconds or an HTTP date, bounded by
 *   `maxRetryAfterMs`) or back off exponentially with jitter, then retry — reads and writes alike.
 *   Meanwhile the operation's class waits (and learns its limit) when the user's budget had room;
 *   otherwise all of the user's requests wait.
 * - Connection refused: nothing was sent; retry anything.
 * - 5xx, timeouts, resets, unreadable answers: retry reads only. A write's outcome is unknown there, and
 *   sending it again could post a message twice, so it fails with outcome "unknown".
 * - Cancelled (`signal`): a request not yet sent never leaves (outcome "notProcessed", `cancelled`); a
 *   write cancelled in flight fails once with outcome "unknown", `cancelled`. Neither is repeated, and no
 *   wait (queue, backoff, Retry-After) outlives the signal.
 */
import { createHash } from 'crypto';
import { Endpoint, ENDPOINTS } from './endpoints';
import { PumbleApiError } from '../errors';
import { earlierAttempt, unknownEarlierWrite } from '../reconcile/earlier';
import { RateLimiterRegistry, RateLimitScope, RateLimitSettings, rateLimiters, ScheduleOptions, UserRateLimiter, type WaitingEvent } from '../limiter';
import { boundDelay, isCancelled, sleep as cancellableSleep, throwIfCancelled } from '../time';
import { QueryValue, Transport, TransportError, TransportResponse } from './transport';

export interface RetryPolicy {
	/** Attempts after a 429 before giving up. */
	maxRateLimitRetries: number;
	/** Attempts after a 5xx/network failure (reads) or a refused connection (any). */
	maxFailureRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A Retry-After longer than this is capped (a broken proxy must not park a workflow for hours). */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRateLimitRetries: 6,
	maxFailureRetries: 6,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
};

export interface ClientEvents {
	/** Pumble answered 429; this request (`scope: 'request'`), its operation class (`'operation'`) or all of the user's requests wait `waitMs`. */
	rateLimited?(event: { operation: string; waitMs: number; attempt: number; scope: RateLimitScope }): void;
	/**
	 * A request waits for the user's budget (once per request): `reason` 'otherRequester' when other
	 * executions, flows or processes hold it, with `message` for the user (WAIT_MESSAGES).
	 */
	waiting?(event: WaitingEvent & { operation: string }): void;
	/** A request that was `waiting` stopped waiting: it left, or failed or was cancelled before it could (once per `waiting`). */
	waitOver?(event: { operation: string }): void;
	/** A request is about to be repeated after a failure that allows it. */
	retrying?(event: { operation: string; reason: string; waitMs: number; attempt: number }): void;
}

export interface ClientOptions {
	transport: Transport;
	/** The key's name (never the key itself: see `identityOf`). The budget is that of the user behind it. */
	identity: string;
	rateLimit?: Partial<RateLimitSettings>;
	/** Known per-operation limits per window, by rateClass (e.g. `{ sendMessage: 80 }`). */
	operationLimits?: Record<string, number>;
	timeoutMs?: number;
	retry?: Partial<RetryPolicy>;
	events?: ClientEvents;
	/** Injected by tests to skip real waiting; it is given the signal and must honour it. */
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** The execution's cancel signal (n8n's Stop button, the execution timeout). */
	signal?: AbortSignal;
	/**
	 * Who this client's requests are for, in the user's limiter: an n8n execution, a Node-RED node, a
	 * trigger's poll. Requesters share the user's budget fairly (core/limiter/rollingWindow.ts).
	 */
	requester?: string;
	random?: () => number;
	/** A fixed limiter (tests); otherwise the user's limiter from `registry`. */
	limiter?: UserRateLimiter;
	/** Defaults to the process-wide registry, so executions share one budget per user. */
	registry?: RateLimiterRegistry;
}

export interface CallInput {
	query?: Record<string, QueryValue>;
	body?: unknown;
	/** Told each time the request actually leaves, after any queue wait (the reconciler's time window). */
	dispatched?(at: number): void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** A stable, non-reversible name for an API key: the limiter registry's key, safe to log. */
export function identityOf(apiKey: string): string {
	return createHash('sha256').update(`pumble:${apiKey}`).digest('hex').slice(0, 32);
}

export class PumbleClient {
	private resolvedLimiter?: UserRateLimiter;
	private limiterPromise?: Promise<UserRateLimiter>;
	private readonly retry: RetryPolicy;
	private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	private readonly random: () => number;
	readonly timeoutMs: number;

	constructor(private readonly options: ClientOptions) {
		this.resolvedLimiter = options.limiter;
		this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
		this.sleep = options.sleep ?? cancellableSleep;
		this.random = options.random ?? Math.random;
		// A timer holds at most MAX_TIMER_MS; a longer timeout would fire at once.
		this.timeoutMs = boundDelay(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
	}

	get identity(): string {
		return this.options.identity;
	}

	/** The execution's cancel signal, for the waits of collaborators (the reconciler). */
	get signal(): AbortSignal | undefined {
		return this.options.signal;
	}

	/** The limiter this client's requests go through, once known (after the first call). */
	get limiter(): UserRateLimiter | undefined {
		return this.resolvedLimiter;
	}

	/** The user's limiter: learned once per key from /myInfo, then shared with every client of that user. */
	userLimiter(): Promise<UserRateLimiter> {
		if (this.resolvedLimiter) return Promise.resolve(this.resolvedLimiter);
		this.limiterPromise ??= (this.options.registry ?? rateLimiters)
			.forKey(
				this.options.identity,
				{ rateLimit: this.options.rateLimit, operationLimits: this.options.operationLimits, requestTimeoutMs: this.timeoutMs },
				async (bootstrap) => {
					const me = await this.send<{ id?: unknown }>(bootstrap, ENDPOINTS.myInfo, {});
					if (typeof me?.id !== 'string' || me.id === '') throw new Error('myInfo answered without a user ID');
					return me.id;
				},
			)
			.then((limiter) => (this.resolvedLimiter = limiter));
		return this.limiterPromise;
	}

	/** Sends one operation and returns its parsed answer (`undefined` for the empty-body writes). */
	async call<T>(endpoint: Endpoint, input: CallInput = {}): Promise<T> {
		const earlier = earlierAttempt();
		if (earlier?.kind === 'pending' && !earlier.looked && !endpoint.read) throw unknownEarlierWrite(endpoint.name);
		const limiter = await this.guard(endpoint, false, () => this.userLimiter());
		return this.send<T>(limiter, endpoint, input);
	}

	private async send<T>(limiter: UserRateLimiter, endpoint: Endpoint, input: CallInput): Promise<T> {
		const { signal } = this.options;
		let rateLimited = 0;
		let failures = 0;
		let pausedUntilSeen: number | undefined;
		for (;;) {
			let response: TransportResponse | undefined;
			let dispatchedAt = 0;
			let failure: unknown;
			let left = false;
			const events = this.options.events;
			let waiting = false;
			const waitOver = (): void => {
				if (!waiting) return;
				waiting = false;
				events?.waitOver?.({ operation: endpoint.name });
			};
			try {
				throwIfCancelled(signal);
				const options: ScheduleOptions<TransportResponse> & { signal?: AbortSignal } = {
					refused: (answer) => answer.status === 429,
					pausedUntilSeen,
					signal,
					requester: this.options.requester,
					onWaiting: events?.waiting || events?.waitOver ? (event) => {
						waiting = true;
						events.waiting?.({ ...event, operation: endpoint.name });
					} : undefined,
				};
				({ value: response, dispatchedAt } = await limiter.schedule(
					endpoint.rateClass,
					() => {
						// The queue may have outlived the execution: a cancelled request never leaves.
						waitOver();
						throwIfCancelled(signal);
						left = true;
						input.dispatched?.(Date.now());
						return this.options.transport.send({
							method: endpoint.method,
							path: endpoint.path,
							query: input.query,
							body: input.body,
							timeoutMs: this.timeoutMs,
							...(signal ? { signal } : {}),
						});
					},
					options,
				));
			} catch (error) {
				failure = error;
			} finally {
				waitOver();
			}
			if (response === undefined) {
				if (isCancelled(failure) || (failure instanceof TransportError && failure.failure === 'cancelled') || (signal?.aborted && !left)) {
					throw cancelledError(endpoint, left);
				}
				if (!(failure instanceof TransportError)) throw failure;
				const mayRepeat = failure.certainlyNotProcessed || endpoint.read;
				if (mayRepeat && failures < this.retry.maxFailureRetries) {
					failures++;
					await this.backOff(endpoint, failure.failure, failures);
					continue;
				}
				throw networkError(endpoint, failure);
			}

			if (response.status === 429) {
				if (rateLimited >= this.retry.maxRateLimitRetries) {
					throw PumbleApiError.fromResponse(endpoint.name, 429, response.body);
				}
				rateLimited++;
				const waitMs = this.retryAfterMs(response) ?? this.backoffDelay(rateLimited);
				const { scope, until } = await limiter.onRateLimited(endpoint.rateClass, dispatchedAt, waitMs);
				this.options.events?.rateLimited?.({ operation: endpoint.name, waitMs, attempt: rateLimited, scope });
				await this.wait(endpoint, waitMs);
				pausedUntilSeen = until;
				continue;
			}

			if (response.status >= 500 && endpoint.read && failures < this.retry.maxFailureRetries) {
				failures++;
				await this.backOff(endpoint, `HTTP ${response.status}`, failures);
				continue;
			}

			if (response.status < 200 || response.status >= 300) {
				throw PumbleApiError.fromResponse(endpoint.name, response.status, response.body);
			}

			if (endpoint.answers === 'empty') return undefined as T;
			if (response.body !== null && typeof response.body === 'object') return response.body as T;
			// A 2xx without the JSON this operation always answers: a proxy or a cut-off body.
			if (endpoint.read && failures < this.retry.maxFailureRetries) {
				failures++;
				await this.backOff(endpoint, 'unreadable answer', failures);
				continue;
			}
			throw new PumbleApiError({
				operation: endpoint.name,
				status: response.status,
				apiMessage: `Pumble answered ${response.status} without the expected JSON`,
				hint: endpoint.read
					? 'Try again; if it persists, a proxy between this machine and Pumble may be rewriting answers.'
					: 'Pumble probably carried out the request, but its answer was unreadable. Check in Pumble before running it again.',
				outcome: endpoint.read ? 'rejected' : 'unknown',
			});
		}
	}

	/** Runs a step that sends nothing itself; a cancellation there means the request was not sent. */
	private async guard<T>(endpoint: Endpoint, left: boolean, step: () => Promise<T>): Promise<T> {
		if (this.options.signal?.aborted) throw cancelledError(endpoint, left);
		const outcome = await step().then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if ('error' in outcome) {
			if (isCancelled(outcome.error) && !(outcome.error instanceof PumbleApiError)) throw cancelledError(endpoint, left);
			throw outcome.error;
		}
		if (this.options.signal?.aborted) throw cancelledError(endpoint, left);
		return outcome.value;
	}

	/** A pause between attempts (only ever after an attempt Pumble certainly did not act on, or a read). */
	private async wait(endpoint: Endpoint, waitMs: number): Promise<void> {
		await this.guard(endpoint, false, () => this.sleep(waitMs, this.options.signal));
	}

	private async backOff(endpoint: Endpoint, reason: string, attempt: number): Promise<void> {
		const waitMs = this.backoffDelay(attempt);
		this.options.events?.retrying?.({ operation: endpoint.name, reason, waitMs, attempt });
		await this.wait(endpoint, waitMs);
	}

	/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
	backoffDelay(attempt: number): number {
		const ceiling = boundDelay(this.retry.baseDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
		return Math.round(boundDelay(ceiling / 2 + (this.random() * ceiling) / 2, this.retry.maxDelayMs));
	}

	/** Retry-After as seconds or an HTTP date, bounded by `maxRetryAfterMs`; undefined when absent or unreadable. */
	retryAfterMs(response: TransportResponse): number | undefined {
		const header = response.headers['retry-after'];
		const value = Array.isArray(header) ? header[0] : header;
		if (!value) return undefined;
		let ms: number;
		if (/^\s*\d+(\.\d+)?\s*$/.test(value)) ms = Number(value) * 1000;
		else {
			const date = Date.parse(value);
			if (Number.isNaN(date)) return undefined;
			ms = date - Date.now();
		}
		return boundDelay(ms, this.retry.maxRetryAfterMs);
	}
}

function networkError(endpoint: Endpoint, error: TransportError): PumbleApiError {
	const outcome = error.certainlyNotProcessed ? 'notProcessed' : endpoint.read ? 'rejected' : 'unknown';
	return new PumbleApiError({
		operation: endpoint.name,
		apiMessage: error.message,
		networkFailure: error.failure,
		outcome,
		hint:
			outcome === 'notProcessed'
				? 'Check the base URL and the network between this machine and Pumble.'
				: outcome === 'unknown'
					? 'The request may or may not have been carried out by Pumble. Check in Pumble before running it again, so nothing happens twice.'
					: 'Pumble did not answer after several tries. Try again later, or raise the timeout.',
		...(outcome === 'notProcessed' ? { fix: { code: 'baseUrl' as const } } : outcome === 'rejected' ? { fix: { code: 'timeout' as const } } : {}),
	});
}

/**
 * The execution was cancelled. `left`: the request had left (a write's outcome is then unknown; a read
 * changed nothing). Otherwise it never left: not sent, and never to be read back or repeated.
 */
function cancelledError(endpoint: Endpoint, left: boolean): PumbleApiError {
	const unknown = left && !endpoint.read;
	return new PumbleApiError({
		operation: endpoint.name,
		apiMessage: left ? 'cancelled while waiting for Pumble\'s answer' : 'cancelled before the request was sent',
		networkFailure: 'cancelled',
		cancelled: true,
		outcome: unknown ? 'unknown' : 'notProcessed',
		hint: unknown
			? 'Pumble may or may not have carried it out. Check in Pumble before running this item again, so nothing happens twice.'
			: 'Nothing was sent to Pumble for this item.',
	});
}
