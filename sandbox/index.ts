/**
 * A local fake of the Pumble "API Keys" add-on REST API for tests, demos and benchmarks.
 *
 *   const sandbox = await startSandbox({ rateLimit: { limit: 5, windowMs: 1000 } });
 *   await fetch(`${sandbox.url}/myInfo`, { headers: { ApiKey: sandbox.apiKey } });
 *   await sandbox.close();
 */
import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AppPlatform } from './app/platform';
import { LateCommits } from './lateCommit';
import { FaultInjector } from './faults';
import { SlidingWindow } from './limits';
import { DEFAULT_KEYS, IDS, KEY_USERS } from './seed';
import type { KeyUser, SandboxIds } from './seed';
import { createRequestListener } from './server';
import type { ServerContext } from './server';
import type {
	Fault,
	FaultMatch,
	PostAsOptions,
	RequestLogEntry,
	ResolvedOptions,
	Sandbox,
	SandboxOptions,
} from './types';
import { Workspace } from './workspace';
import type { Message, User } from './workspace';

export type {
	BotDm,
	Fault,
	FaultMatch,
	FaultOptions,
	ListAfterOrder,
	PostAsOptions,
	RateLimit,
	RequestLogEntry,
	RetryAfterMode,
	Sandbox,
	SandboxOptions,
} from './types';
export { ALL_FAULTS, BOT_DMS, FAULTS, LIST_AFTER_ORDERS } from './types';
export type { KeyUser, SandboxIds } from './seed';
export { DEFAULT_KEYS, IDS } from './seed';
export type {
	Channel,
	ChannelListEntry,
	ChannelRecord,
	ChannelType,
	Message,
	MessageRecord,
	ScheduledMessage,
	ScheduledRecord,
	User,
	UserGroup,
	WorkspaceSnapshot,
} from './workspace';
export { Workspace } from './workspace';
export { ApiError } from './validation';
export { OPERATIONS, keyHash } from './server';
export { AppPlatform, SANDBOX_APP } from './app/platform';
export type { AppSettings, Delivery, Ephemeral, SendMode, TimestampUnit } from './app/platform';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const sandbox = new PumbleSandbox(options);
	await sandbox.listen(options.port ?? 0, options.host ?? '127.0.0.1');
	return sandbox;
}

const DEFAULTS: Omit<ResolvedOptions, 'clock'> = {
	rateLimit: { limit: 1000, windowMs: 60_000 },
	operationLimits: {},
	retryAfter: 'seconds',
	latencyMs: 0,
	authFailureStatus: 403,
	cursorInclusive: true,
	threadRepliesEnvelope: 'array',
	seedMessages: 30,
	listAfterOrder: 'newestFirst',
	botDm: 'botInUserDm',
	lateCommitMs: 2000,
	faults: undefined,
};

class PumbleSandbox implements Sandbox, ServerContext {
	url = '';
	readonly ids: SandboxIds = IDS;
	readonly state: Workspace;
	readonly log: RequestLogEntry[] = [];
	readonly options: ResolvedOptions;
	readonly limiter = new SlidingWindow();
	readonly faults: FaultInjector;
	readonly lateCommits = new LateCommits();
	readonly app: AppPlatform;
	keys: Record<KeyUser, string> = { ...DEFAULT_KEYS };

	private extraKeys: Record<string, KeyUser> = {};
	private keyOwners = new Map<string, string>();
	private seq = 0;
	private readonly closer = new AbortController();
	private readonly server: Server;

	constructor(options: SandboxOptions) {
		this.options = { ...DEFAULTS, clock: Date.now };
		this.faults = new FaultInjector();
		this.configure(options);
		this.state = new Workspace({
			now: () => this.options.clock(),
			cursorInclusive: () => this.options.cursorInclusive,
			listAfterOrder: () => this.options.listAfterOrder,
			botDm: () => this.options.botDm,
		});
		// Every request in flight listens for the close, so there are as many listeners as open requests.
		setMaxListeners(0, this.closer.signal);
		this.state.reset(this.options.seedMessages);
		this.app = new AppPlatform(() => this.state, () => this.options.clock());
		this.app.attach(this.state);
		this.server = createServer(createRequestListener(this));
	}

	get apiKey(): string {
		return this.keys.ada;
	}

	get closing(): AbortSignal {
		return this.closer.signal;
	}

	listen(port: number, host: string): Promise<void> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, host, () => {
				this.server.off('error', reject);
				const address = this.server.address() as AddressInfo;
				const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
				this.url = `http://${shownHost}:${address.port}`;
				resolve();
			});
		});
	}

	nextSeq(): number {
		this.seq += 1;
		return this.seq;
	}

	userForKey(key: string): User | undefined {
		const userId = this.keyOwners.get(key);
		return userId === undefined ? undefined : this.state.userById(userId);
	}

	configure(patch: Partial<SandboxOptions>): void {
		const o = this.options;
		if (patch.rateLimit) o.rateLimit = { ...patch.rateLimit };
		if (patch.operationLimits) o.operationLimits = { ...patch.operationLimits };
		if (patch.retryAfter) o.retryAfter = patch.retryAfter;
		if ('latencyMs' in patch) o.latencyMs = patch.latencyMs ?? 0;
		if (patch.authFailureStatus) o.authFailureStatus = patch.authFailureStatus;
		if (patch.cursorInclusive !== undefined) o.cursorInclusive = patch.cursorInclusive;
		if (patch.threadRepliesEnvelope) o.threadRepliesEnvelope = patch.threadRepliesEnvelope;
		if (patch.clock) o.clock = patch.clock;
		if (patch.seedMessages !== undefined) o.seedMessages = patch.seedMessages;
		if (patch.listAfterOrder) o.listAfterOrder = patch.listAfterOrder;
		if (patch.botDm) o.botDm = patch.botDm;
		if (patch.lateCommitMs !== undefined) o.lateCommitMs = patch.lateCommitMs;
		if ('faults' in patch) {
			o.faults = patch.faults ?? undefined;
			this.faults.configure(o.faults);
		}
		if (patch.keys || patch.extraKeys) {
			this.keys = { ...this.keys, ...patch.keys };
			this.extraKeys = { ...this.extraKeys, ...patch.extraKeys };
			this.indexKeys();
		} else if (this.keyOwners.size === 0) {
			this.indexKeys();
		}
	}

	/** The options minus the keys, for the admin endpoint: nothing printed may contain a key in clear. */
	publicConfig(): unknown {
		const { clock: _clock, ...rest } = this.options;
		return rest;
	}

	queueFault(fault: Fault, match?: FaultMatch): void {
		this.faults.enqueue(fault, match);
	}

	commitLate(): number {
		return this.lateCommits.commitAll();
	}

	postAs(userId: string, channelId: string, text: string, opts?: PostAsOptions): Message {
		return this.state.postAs(userId, channelId, text, opts);
	}

	/** Seed state, empty log, fresh limit counters and fault queue, no pending late commits. `seq` keeps counting up. */
	reset(): void {
		this.lateCommits.dropAll();
		this.state.reset(this.options.seedMessages);
		this.log.length = 0;
		this.limiter.clear();
		this.faults.reset();
		this.app.clearLog();
	}

	close(): Promise<void> {
		this.lateCommits.dropAll();
		this.closer.abort();
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	private indexKeys(): void {
		const userIds: Record<KeyUser, string> = { ada: IDS.ada, bob: IDS.bob, carol: IDS.carol };
		this.keyOwners = new Map();
		for (const user of KEY_USERS) this.keyOwners.set(this.keys[user], userIds[user]);
		for (const [key, user] of Object.entries(this.extraKeys)) this.keyOwners.set(key, userIds[user]);
	}
}
