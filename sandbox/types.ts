/** The public surface of the sandbox: options, the handle returned by `startSandbox`, log entries. */
import type { AppPlatform } from './app/platform';
import type { KeyUser, SandboxIds } from './seed';
import type { Message, Workspace } from './workspace';

export type Fault =
	| '429'
	| '429-date'
	| '429-bare'
	| '500'
	| '502'
	| '503'
	| 'reset-before'
	| 'reset-after'
	| 'slow'
	| 'malformed-json'
	| 'html-error'
	| 'empty-body'
	| 'late-commit';

/**
 * The faults that act on the answer. `late-commit` (the write lands after the connection dropped) is kept
 * out of this list so mixes built from it keep their meaning; `ALL_FAULTS` has every kind.
 */
export const FAULTS: readonly Fault[] = [
	'429',
	'429-date',
	'429-bare',
	'500',
	'502',
	'503',
	'reset-before',
	'reset-after',
	'slow',
	'malformed-json',
	'html-error',
	'empty-body',
];

export const ALL_FAULTS: readonly Fault[] = [...FAULTS, 'late-commit'];

/** Page order of `listMessages` with `strategy=AFTER`. */
export type ListAfterOrder = 'newestFirst' | 'oldestFirst';
export const LIST_AFTER_ORDERS: readonly ListAfterOrder[] = ['newestFirst', 'oldestFirst'];

/** How an `asBot` DM (`dmUser`, `dmGroup`) is posted; see README "Behaviour choices". */
export type BotDm = 'botInUserDm' | 'asUser' | 'botOwnDm';
export const BOT_DMS: readonly BotDm[] = ['botInUserDm', 'asUser', 'botOwnDm'];

export interface FaultOptions {
	/** Share (0..1) of authenticated API requests that get a random fault. */
	rate: number;
	kinds: Fault[];
	/** PRNG seed, so a fault sequence replays identically for the same request sequence. Default 1. */
	seed?: number;
	/** Operations eligible for random faults, e.g. `['sendMessage', '/listMessages']`. Default: all. */
	paths?: string[];
	/** How long the `slow` fault holds the response. Default 30000. */
	slowMs?: number;
}

export interface RateLimit {
	limit: number;
	windowMs: number;
}

export type RetryAfterMode = 'seconds' | 'http-date' | 'none';

export interface SandboxOptions {
	/** 0 = a random free port. The host is always 127.0.0.1. */
	port?: number;
	/** Interface to listen on. Default 127.0.0.1; use 0.0.0.0 to reach the sandbox from a container. */
	host?: string;
	/** Override the API key of a seeded user. */
	keys?: Partial<Record<KeyUser, string>>;
	/** Additional keys (key -> user), e.g. a second key for Ada to show that limits are per user, not per key. */
	extraKeys?: Record<string, KeyUser>;
	/** Per Pumble user (not per key), sliding window. Default 1000 / 60000. */
	rateLimit?: RateLimit;
	/** Hidden per-operation limits per workspace, keyed by operation name, e.g. `{ sendMessage: {...} }`. */
	operationLimits?: Record<string, RateLimit>;
	/** How a 429 carries Retry-After. Default 'seconds'. */
	retryAfter?: RetryAfterMode;
	/** Delay before every API response. Default 0. */
	latencyMs?: number | { min: number; max: number };
	/** Status for a missing or unknown key. Default 403. */
	authFailureStatus?: 401 | 403;
	/** Whether the cursor item comes back at the start of the next page. Default true. */
	cursorInclusive?: boolean;
	/** Body of fetchThreadReplies: bare array (default) or `{messages}`. */
	threadRepliesEnvelope?: 'array' | 'messages';
	/** Epoch ms. Default Date.now. */
	clock?: () => number;
	/** Messages pre-seeded in #general. Default 30. */
	seedMessages?: number;
	/** Page order of `listMessages` with `strategy=AFTER`. Default 'newestFirst'. */
	listAfterOrder?: ListAfterOrder;
	/** How `asBot` DMs are posted. Default 'botInUserDm'. */
	botDm?: BotDm;
	/** How long after the dropped connection a `late-commit` fault applies the request. Default 2000. */
	lateCommitMs?: number;
	faults?: FaultOptions;
}

export interface RequestLogEntry {
	seq: number;
	/** Arrival, epoch ms from the sandbox clock. */
	ts: number;
	endTs: number;
	method: string;
	/** Path without the query string. */
	path: string;
	query: Record<string, string>;
	body: unknown;
	headerName: 'ApiKey' | 'Api-Key' | null;
	/** First 12 hex digits of the key's SHA-256; the key itself is never stored. */
	keyHash: string | null;
	userId: string | null;
	/** Status sent, or 0 when the connection was reset instead. */
	status: number;
	fault?: Fault;
	/**
	 * For a `late-commit` fault: when the request was applied (sandbox clock) and the status it would have
	 * answered; both null while pending, and when it was dropped by `reset()`/`close()`.
	 */
	lateCommit?: { ts: number | null; status: number | null };
}

export interface FaultMatch {
	path?: string;
	method?: string;
	/** For `late-commit`: this fault's delay instead of the `lateCommitMs` option. */
	lateCommitMs?: number;
}

export interface PostAsOptions {
	threadRootId?: string;
	timestampMilli?: number;
	asBot?: boolean;
	alsoSendToChannel?: boolean;
}

export interface Sandbox {
	/** `http://127.0.0.1:<port>` */
	url: string;
	/** Ada's key (the workspace owner). */
	apiKey: string;
	keys: Record<KeyUser, string>;
	ids: SandboxIds;
	state: Workspace;
	/** Pumble's App platform: its app, deliveries to subscribed URLs, slash commands, clicks, redeliveries. */
	app: AppPlatform;
	/** Every API request in arrival order (admin `/__sandbox/*` calls are not logged). */
	log: RequestLogEntry[];
	configure(patch: Partial<SandboxOptions>): void;
	queueFault(fault: Fault, match?: FaultMatch): void;
	/** Applies every pending `late-commit` request now, in arrival order; returns how many. */
	commitLate(): number;
	postAs(userId: string, channelId: string, text: string, opts?: PostAsOptions): Message;
	reset(): void;
	close(): Promise<void>;
}

/** Options with defaults applied; what the running sandbox reads on every request. */
export interface ResolvedOptions {
	rateLimit: RateLimit;
	operationLimits: Record<string, RateLimit>;
	retryAfter: RetryAfterMode;
	latencyMs: number | { min: number; max: number };
	authFailureStatus: 401 | 403;
	cursorInclusive: boolean;
	threadRepliesEnvelope: 'array' | 'messages';
	clock: () => number;
	seedMessages: number;
	listAfterOrder: ListAfterOrder;
	botDm: BotDm;
	lateCommitMs: number;
	faults?: FaultOptions;
}
