/** What the HTTP layer needs from the sandbox that owns it. */
import type { AppPlatform } from '../app/platform';
import type { FaultInjector } from '../faults';
import type { LateCommits } from '../lateCommit';
import type { SlidingWindow } from '../limits';
import type { SandboxIds } from '../seed';
import type { Fault, FaultMatch, PostAsOptions, RequestLogEntry, ResolvedOptions, SandboxOptions } from '../types';
import type { Message, User, Workspace } from '../workspace';

export interface ServerContext {
	readonly options: ResolvedOptions;
	readonly state: Workspace;
	readonly log: RequestLogEntry[];
	readonly limiter: SlidingWindow;
	readonly faults: FaultInjector;
	readonly lateCommits: LateCommits;
	readonly ids: SandboxIds;
	/** The App platform: signed event deliveries, the App API. */
	readonly app: AppPlatform;
	/** The sandbox's own URL (the App API's base URL in a credential). */
	readonly url: string;
	/** Aborts when the sandbox closes, so held responses (latency, `slow`) let go. */
	readonly closing: AbortSignal;
	nextSeq(): number;
	userForKey(key: string): User | undefined;
	publicConfig(): unknown;
	reset(): void;
	configure(patch: Partial<SandboxOptions>): void;
	queueFault(fault: Fault, match?: FaultMatch): void;
	commitLate(): number;
	postAs(userId: string, channelId: string, text: string, opts?: PostAsOptions): Message;
}
