/**
 * Where receipts are kept: the contract, and the in-memory store (one process; tests). Keys arrive
 * hashed (see ledger.ts); values hold message IDs and times, never a message's text or the API key.
 */

/** One item's record in a run: sent (with the IDs of what it wrote), or started and not yet answered. */
export interface ItemRecord {
	state: 'sent' | 'pending';
	/** The string IDs of the write's answer (`id`, `channelId`, …). */
	ids?: Record<string, string>;
	/** When the item's write started (ms). */
	at: number;
}

/** A run in progress: who runs it, so a retry can tell a crashed run from a running one. */
export interface OpenRun {
	runId: string;
	/** The process's random boot ID, its pid and host. */
	boot: string;
	pid: number;
	host: string;
	/** Last sign of life (ms). */
	beat: number;
}

export interface ReceiptStore {
	/** "redis", "file <dir>" or "memory", for log lines and docs. */
	readonly kind: string;
	/** Every item record of a run (an empty map when none). */
	readRun(runId: string): Promise<Map<string, ItemRecord>>;
	/** Sets an item's record; the run expires `ttlMs` after its last write. */
	write(runId: string, itemKey: string, record: ItemRecord | undefined, ttlMs: number): Promise<void>;
	/** Forgets a run (it finished). */
	dropRun(runId: string): Promise<void>;
	getOpen(batchKey: string): Promise<OpenRun | undefined>;
	setOpen(batchKey: string, open: OpenRun, ttlMs: number): Promise<void>;
	/** Removes the batch's open run if it is still `runId`'s. */
	closeOpen(batchKey: string, runId: string): Promise<void>;
}

interface Expiring<T> {
	value: T;
	until: number;
}

/** One process's store: lost with the process (what a Node-RED or test run without a folder gets). */
export class MemoryReceiptStore implements ReceiptStore {
	readonly kind = 'memory';
	private readonly runs = new Map<string, Expiring<Map<string, ItemRecord>>>();
	private readonly open = new Map<string, Expiring<OpenRun>>();

	constructor(
		private readonly maxRuns = 1_000,
		private readonly now: () => number = Date.now,
	) {}

	async readRun(runId: string): Promise<Map<string, ItemRecord>> {
		const found = this.runs.get(runId);
		return found && found.until > this.now() ? new Map(found.value) : new Map();
	}

	async write(runId: string, itemKey: string, record: ItemRecord | undefined, ttlMs: number): Promise<void> {
		const found = this.runs.get(runId);
		const items = found && found.until > this.now() ? found.value : new Map<string, ItemRecord>();
		if (record) items.set(itemKey, record);
		else items.delete(itemKey);
		this.runs.delete(runId);
		this.runs.set(runId, { value: items, until: this.now() + ttlMs });
		while (this.runs.size > this.maxRuns) this.runs.delete(this.runs.keys().next().value as string);
	}

	async dropRun(runId: string): Promise<void> {
		this.runs.delete(runId);
	}

	async getOpen(batchKey: string): Promise<OpenRun | undefined> {
		const found = this.open.get(batchKey);
		return found && found.until > this.now() ? found.value : undefined;
	}

	async setOpen(batchKey: string, open: OpenRun, ttlMs: number): Promise<void> {
		this.open.delete(batchKey);
		this.open.set(batchKey, { value: open, until: this.now() + ttlMs });
		while (this.open.size > this.maxRuns) this.open.delete(this.open.keys().next().value as string);
	}

	async closeOpen(batchKey: string, runId: string): Promise<void> {
		if (this.open.get(batchKey)?.value.runId === runId) this.open.delete(batchKey);
	}
}
