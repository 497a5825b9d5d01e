/**
 * Everything the harness starts is tracked so that it is always cleaned up: child processes (each in
 * its own process group) and temp folders. `cleanupAll()` stops and removes them (folders are kept
 * when PUMBLE_KEEP_TMP=1, for debugging); a process 'exit' hook kills leftover children
 * synchronously; scripts call `installSignalHandlers()` for Ctrl-C.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export type Log = (line: string) => void;
export const defaultLog: Log = (line) => process.stderr.write(`${line}\n`);

const keepTmp = (): boolean => /^(1|true|yes)$/i.test(process.env.PUMBLE_KEEP_TMP ?? '');

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHookInstalled = false;

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		// Children are spawned detached (own process group): signal the whole group (npm → sh → gcc …).
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

function ensureExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const child of children) killTree(child, 'SIGKILL');
		if (!keepTmp()) {
			for (const dir of tempDirs) {
				try {
					fs.rmSync(dir, { recursive: true, force: true });
				} catch {
					/* best effort */
				}
			}
		}
	});
}

/** Track a child spawned with `detached: true`: it is stopped by cleanupAll() and on exit. */
export function track(child: ChildProcess): ChildProcess {
	ensureExitHook();
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}

/** Stop a child (SIGTERM to its process group, SIGKILL after `graceMs`); resolves when it exited. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {
		children.delete(child);
		return;
	}
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killTree(child, 'SIGTERM');
	const timer = setTimeout(() => killTree(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	children.delete(child);
}

export async function makeTempDir(prefix: string): Promise<string> {
	ensureExitHook();
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
	tempDirs.add(dir);
	return dir;
}

export async function removeTempDir(dir: string, log: Log = defaultLog): Promise<void> {
	tempDirs.delete(dir);
	if (keepTmp()) {
		log(`[n8n] keeping ${dir} (PUMBLE_KEEP_TMP)`);
		return;
	}
	await fsp.rm(dir, { recursive: true, force: true });
}

/** Kill every child process still running and remove every temp folder this module created. */
export async function cleanupAll(log: Log = defaultLog): Promise<void> {
	await Promise.all([...children].map((c) => stopProcess(c)));
	for (const dir of [...tempDirs]) await removeTempDir(dir, log);
}

let signalHandlersInstalled = false;
/**
 * For scripts (not for jest): on SIGINT/SIGTERM/SIGHUP run `onSignal` (stop servers …), then
 * `cleanupAll()`, then exit 130/143. A second Ctrl-C kills everything at once.
 */
export function installSignalHandlers(onSignal: () => Promise<void> | void = () => undefined, log: Log = defaultLog): void {
	if (signalHandlersInstalled) return;
	signalHandlersInstalled = true;
	let stopping = false;
	const handler = (signal: NodeJS.Signals): void => {
		const code = signal === 'SIGINT' ? 130 : 143;
		if (stopping) {
			for (const child of children) killTree(child, 'SIGKILL');
			process.exit(code);
		}
		stopping = true;
		log(`\n[n8n] ${signal}: stopping everything …`);
		void (async () => {
			try {
				await onSignal();
			} catch (err) {
				log(`[n8n] while stopping: ${String(err)}`);
			}
			await cleanupAll(log);
			process.exit(code);
		})();
	};
	for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, handler);
}
