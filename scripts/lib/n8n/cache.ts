/**
 * The cache folder that holds each installed n8n and Node (`$PUMBLE_N8N_CACHE`, default
 * `~/.cache/n8n-nodes-pumble`): one sub-folder per install, a marker file once it is complete, and a
 * lock so that one process at a time installs into a folder (e.g. `npm run demo` while e2e runs).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { fmtSecs } from './command';
import type { Log } from './processes';

const MARKER_FILE = '.pumble-n8n-install-complete';
export const PROGRESS_EVERY_MS = 15_000;

export function cacheRoot(): string {
	return process.env.PUMBLE_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-pumble');
}

/** True when `dir` holds a complete install of `what` (e.g. "n8n 2.8.4"). */
export function hasMarker(dir: string, what: string): boolean {
	try {
		const m = JSON.parse(fs.readFileSync(path.join(dir, MARKER_FILE), 'utf8')) as { what?: string; version?: string };
		return (m.what ?? `n8n ${m.version}`) === what;
	} catch {
		return false;
	}
}

export function writeMarker(dir: string, what: string, extra: Record<string, unknown> = {}): void {
	fs.writeFileSync(path.join(dir, MARKER_FILE), JSON.stringify({ what, installedAt: new Date().toISOString(), ...extra }, null, 2));
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Wait until this process holds `<dir>.lock` (a stale lock of a dead process is taken over); returns the release. */
export async function acquireInstallLock(dir: string, what: string, log: Log): Promise<() => void> {
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	const lock = `${dir}.lock`;
	const started = Date.now();
	let lastNote = 0;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			return () => fs.rmSync(lock, { recursive: true, force: true });
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
			let holder = NaN;
			try {
				holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				/* being written */
			}
			const lockAge = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if ((Number.isFinite(holder) && !pidAlive(holder)) || (!Number.isFinite(holder) && lockAge > 10_000)) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - lastNote >= PROGRESS_EVERY_MS) {
				lastNote = Date.now();
				log(`[n8n] another process (pid ${holder}) is installing ${what} into ${dir}; waiting … ${fmtSecs(Date.now() - started)}`);
			}
			await delay(1_000);
		}
	}
}

/** Log a progress line every 15 s while `work` runs (`describe` says how far it got). */
export async function withProgress<T>(log: Log, describe: (elapsed: string) => string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	const timer = setInterval(() => log(describe(fmtSecs(Date.now() - started))), PROGRESS_EVERY_MS);
	try {
		return await work();
	} finally {
		clearInterval(timer);
	}
}

export function countEntries(dir: string): number {
	try {
		return fs.readdirSync(dir).length;
	} catch {
		return 0;
	}
}
