/**
 * One run of a writing node, item by item, in a durable store: before an item's write, "pending";
 * after it, "sent" with the IDs of what it wrote; a certain refusal clears the record. A later attempt
 * at the same run reads the records back and does not write what was sent.
 *
 * Which run is "the same": the host names it. n8n carries a run ID inside the execution (saved with a
 * failed execution, so its Retry brings it back); a crashed execution saves nothing of the node, so
 * while a run is going its batch (workflow, node, run index, parameters and every item's input, hashed)
 * points at it, and a *retry* whose batch is identical adopts that run if its process is gone (see
 * `isGone`). A run that finishes forgets its records. Outside a retry nothing is matched: two identical
 * sends in two runs are both sent. (A retry cannot tell which crashed run it retries: of two crashed runs
 * with the identical batch, it adopts the one whose open record is current.)
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import type { ItemRecord, OpenRun, ReceiptStore } from './store';

/** This process, for telling a crashed run from a running one. */
const BOOT = randomUUID();
/** A run whose owner has not shown life for this long is taken as gone (another host's process). */
export const LEASE_MS = 60_000;
const BEAT_EVERY_MS = 10_000;
export const DEFAULT_RECEIPT_TTL_MS = 7 * 24 * 60 * 60_000;

export function hashOf(...parts: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32);
}

export interface LedgerScope {
	/** The API key's hash: runs of different keys never meet. */
	identity: string;
	/** The batch: everything that makes two runs' inputs the same (hashed here). */
	batch: unknown[];
	/** The run ID the host carried over from an earlier attempt, if any. */
	carried?: string;
	/** The host knows this is a retry of another run (n8n's mode `retry`): a crashed run of the batch is adopted. */
	isRetry: boolean;
}

/** The string IDs of a write's answer: what a receipt keeps (never text). */
export function idsOf(output: unknown): Record<string, string> {
	const first: unknown = Array.isArray(output) ? output[0] : output;
	const ids: Record<string, string> = {};
	if (first && typeof first === 'object') {
		for (const [key, value] of Object.entries(first)) if (typeof value === 'string' && (key === 'id' || /Id$/.test(key))) ids[key] = value;
	}
	return ids;
}

function isGone(open: OpenRun, now: number): boolean {
	if (open.boot === BOOT) return false; // this process runs it
	if (open.host === hostname()) {
		if (open.pid === process.pid) return true; // a former process with this pid (a restarted container)
		try {
			process.kill(open.pid, 0);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
		}
	}
	return now - open.beat > LEASE_MS;
}

export class RunLedger {
	/** Set when the store failed (then no longer used in this run): records may be missing, so a retry could send those items again. */
	degraded?: string;
	private beat?: NodeJS.Timeout;

	private constructor(
		private readonly store: ReceiptStore,
		/** The run ID to carry to a later attempt. */
		readonly runId: string,
		/** How the run was found: new, carried over by the host, or adopted from a crashed run. */
		readonly origin: 'new' | 'carried' | 'adopted',
		private readonly runKey: string,
		private readonly batchKey: string,
		private readonly records: Map<string, ItemRecord>,
		private readonly ttlMs: number,
		private readonly now: () => number,
	) {}

	static async open(store: ReceiptStore, scope: LedgerScope, ttlMs = DEFAULT_RECEIPT_TTL_MS, now: () => number = Date.now): Promise<RunLedger> {
		const batchKey = hashOf(scope.identity, ...scope.batch);
		let runId = scope.carried;
		let origin: RunLedger['origin'] = runId ? 'carried' : 'new';
		let degraded: string | undefined;
		const guard = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
			try {
				return await work();
			} catch (error) {
				degraded ??= error instanceof Error ? error.message : String(error);
				return fallback;
			}
		};
		if (!runId && scope.isRetry) {
			const open = await guard(() => store.getOpen(batchKey), undefined);
			if (open && isGone(open, now())) {
				runId = open.runId;
				origin = 'adopted';
			}
		}
		runId ??= randomUUID();
		const runKey = hashOf(scope.identity, runId);
		const records = origin === 'new' ? new Map<string, ItemRecord>() : await guard(() => store.readRun(runKey), new Map<string, ItemRecord>());
		const ledger = new RunLedger(store, runId, origin, runKey, batchKey, records, ttlMs, now);
		ledger.degraded = degraded;
		await ledger.guard(() => ledger.markOpen());
		ledger.beat = setInterval(() => void ledger.guard(() => ledger.markOpen()), BEAT_EVERY_MS);
		ledger.beat.unref?.();
		return ledger;
	}

	private markOpen(): Promise<void> {
		return this.store.setOpen(this.batchKey, { runId: this.runId, boot: BOOT, pid: process.pid, host: hostname(), beat: this.now() }, this.ttlMs);
	}

	/** A store that failed once is not asked again in this run: a slow or absent store never stalls the sends. */
	private async guard(work: () => Promise<void>): Promise<void> {
		if (this.degraded) return;
		try {
			await work();
		} catch (error) {
			this.degraded ??= error instanceof Error ? error.message : String(error);
		}
	}

	private key(itemIndex: number, fingerprint: string): string {
		return hashOf(itemIndex, fingerprint);
	}

	/** What an earlier attempt of this run recorded for the item (same index, same input). */
	recall(itemIndex: number, fingerprint: string): ItemRecord | undefined {
		return this.records.get(this.key(itemIndex, fingerprint));
	}

	/** Records sent by an earlier attempt. */
	get earlierSends(): number {
		return [...this.records.values()].filter((record) => record.state === 'sent').length;
	}

	async started(itemIndex: number, fingerprint: string): Promise<void> {
		await this.put(itemIndex, fingerprint, { state: 'pending', at: this.now() });
	}

	async sent(itemIndex: number, fingerprint: string, output: unknown): Promise<void> {
		await this.put(itemIndex, fingerprint, { state: 'sent', ids: idsOf(output), at: this.now() });
	}

	/** Certainly not written (refused): a later attempt sends it. */
	async notSent(itemIndex: number, fingerprint: string): Promise<void> {
		await this.put(itemIndex, fingerprint, undefined);
	}

	private async put(itemIndex: number, fingerprint: string, record: ItemRecord | undefined): Promise<void> {
		const key = this.key(itemIndex, fingerprint);
		if (record) this.records.set(key, record);
		else this.records.delete(key);
		await this.guard(() => this.store.write(this.runKey, key, record, this.ttlMs));
	}

	/** The run is over and nothing will retry it: its records go. */
	async finished(): Promise<void> {
		this.stopBeat();
		await this.guard(() => this.store.closeOpen(this.batchKey, this.runId));
		await this.guard(() => this.store.dropRun(this.runKey));
	}

	/** The run stopped with a failure: its records stay for the retry that carries its run ID. */
	async stopped(): Promise<void> {
		this.stopBeat();
		await this.guard(() => this.store.closeOpen(this.batchKey, this.runId));
	}

	private stopBeat(): void {
		if (this.beat) clearInterval(this.beat);
		this.beat = undefined;
	}
}
