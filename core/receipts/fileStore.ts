/**
 * Receipts in files, for an n8n without Redis: one append-only file per run (`runs/<run>.jsonl`, a line
 * per item record) and one small file per running batch (`open/<batch>.json`, replaced atomically).
 * Appends survive the process being killed (they are in the OS's page cache at once); a power loss may
 * lose the last seconds. Bounded: a run's file expires `ttlMs` after its last write, and at most
 * `maxRuns` run files are kept (the oldest go first); expired files are swept at most every 10 minutes.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import type { ItemRecord, OpenRun, ReceiptStore } from './store';

const SWEEP_EVERY_MS = 10 * 60_000;
const SAFE = /^[A-Za-z0-9_-]+$/;

function name(key: string): string {
	if (!SAFE.test(key)) throw new Error('receipt keys are hashes');
	return key;
}

export class FileReceiptStore implements ReceiptStore {
	readonly kind: string;
	private lastSweep = 0;

	constructor(
		readonly dir: string,
		private readonly ttlMs: number,
		private readonly maxRuns = 2_000,
		private readonly now: () => number = Date.now,
	) {
		this.kind = `file ${dir}`;
	}

	private runFile(runId: string) {
		return path.join(this.dir, 'runs', `${name(runId)}.jsonl`);
	}

	private openFile(batchKey: string) {
		return path.join(this.dir, 'open', `${name(batchKey)}.json`);
	}

	private async fresh(file: string): Promise<boolean> {
		const stat = await fs.stat(file).catch(() => undefined);
		if (!stat) return false;
		if (stat.mtimeMs + this.ttlMs > this.now()) return true;
		await fs.rm(file, { force: true });
		return false;
	}

	async readRun(runId: string): Promise<Map<string, ItemRecord>> {
		await this.sweep();
		const items = new Map<string, ItemRecord>();
		const file = this.runFile(runId);
		if (!(await this.fresh(file))) return items;
		const text = await fs.readFile(file, 'utf8').catch(() => '');
		for (const line of text.split('\n')) {
			if (!line) continue;
			try {
				const { k, r } = JSON.parse(line) as { k: string; r: ItemRecord | null };
				if (r) items.set(k, r);
				else items.delete(k);
			} catch {
				// a line torn by a kill mid-write: the item's record is as if never written
			}
		}
		return items;
	}

	async write(runId: string, itemKey: string, record: ItemRecord | undefined): Promise<void> {
		const file = this.runFile(runId);
		await fs.mkdir(path.dirname(file), { recursive: true });
		await fs.appendFile(file, `${JSON.stringify({ k: itemKey, r: record ?? null })}\n`);
	}

	async dropRun(runId: string): Promise<void> {
		await fs.rm(this.runFile(runId), { force: true });
	}

	async getOpen(batchKey: string): Promise<OpenRun | undefined> {
		const file = this.openFile(batchKey);
		if (!(await this.fresh(file))) return undefined;
		try {
			return JSON.parse(await fs.readFile(file, 'utf8')) as OpenRun;
		} catch {
			return undefined;
		}
	}

	async setOpen(batchKey: string, open: OpenRun): Promise<void> {
		const file = this.openFile(batchKey);
		await fs.mkdir(path.dirname(file), { recursive: true });
		const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
		await fs.writeFile(temporary, JSON.stringify(open));
		await fs.rename(temporary, file);
	}

	async closeOpen(batchKey: string, runId: string): Promise<void> {
		if ((await this.getOpen(batchKey))?.runId === runId) await fs.rm(this.openFile(batchKey), { force: true });
	}

	/** Removes expired files, and the oldest run files beyond `maxRuns`. */
	private async sweep(): Promise<void> {
		if (this.now() - this.lastSweep < SWEEP_EVERY_MS) return;
		this.lastSweep = this.now();
		for (const folder of ['runs', 'open']) {
			const dir = path.join(this.dir, folder);
			const names = await fs.readdir(dir).catch(() => [] as string[]);
			const files: Array<{ file: string; mtime: number }> = [];
			for (const entry of names) {
				const file = path.join(dir, entry);
				const stat = await fs.stat(file).catch(() => undefined);
				if (!stat) continue;
				if (stat.mtimeMs + this.ttlMs <= this.now()) await fs.rm(file, { force: true });
				else files.push({ file, mtime: stat.mtimeMs });
			}
			files.sort((a, b) => a.mtime - b.mtime);
			for (const { file } of files.slice(0, Math.max(0, files.length - this.maxRuns))) await fs.rm(file, { force: true });
		}
	}
}
