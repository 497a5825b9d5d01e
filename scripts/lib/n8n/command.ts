/** Run a command to completion, capturing its output, with a timeout; describe a failure readably. */
import { spawn, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { stopProcess, track } from './processes';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface CommandResult {
	/** What ran, for messages (no secrets: arguments are paths and ids). */
	command: string;
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/** Append stdout+stderr to this file as well (long installs). */
	logFile?: string;
}

export function tail(text: string, lines = 40): string {
	const all = text.trimEnd().split('\n');
	return all.slice(-lines).join('\n');
}

export const fmtSecs = (ms: number): string => {
	const s = Math.round(ms / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

export function describeFailure(what: string, r: CommandResult): string {
	const status = r.signal ? `signal ${r.signal}` : `exit code ${r.code}`;
	return [
		`${what} failed (${status}, ${(r.durationMs / 1000).toFixed(1)} s): ${r.command}`,
		'--- stdout (tail) ---',
		tail(r.stdout) || '(empty)',
		'--- stderr (tail) ---',
		tail(r.stderr) || '(empty)',
	].join('\n');
}

/** Run a command to completion, capturing its output; never throws for a non-zero exit. */
export function runCommand(file: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
	const command = [file, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const spawnOpts: SpawnOptions = {
			cwd: opts.cwd ?? PROJECT_ROOT,
			env: opts.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		};
		const child = track(spawn(file, args, spawnOpts));
		let stdout = '';
		let stderr = '';
		const logStream = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
		child.stdout?.setEncoding('utf8').on('data', (d: string) => {
			stdout += d;
			logStream?.write(d);
		});
		child.stderr?.setEncoding('utf8').on('data', (d: string) => {
			stderr += d;
			logStream?.write(d);
		});
		let timedOut = false;
		const timer =
			opts.timeoutMs !== undefined
				? setTimeout(() => {
						timedOut = true;
						void stopProcess(child, 2_000);
					}, opts.timeoutMs)
				: undefined;
		child.once('error', (err) => {
			if (timer) clearTimeout(timer);
			logStream?.end();
			reject(new Error(`could not start ${command}: ${err.message}`));
		});
		child.once('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			logStream?.end();
			if (timedOut) stderr += `\n[harness] killed after ${opts.timeoutMs} ms timeout\n`;
			resolve({ command, code, signal, stdout, stderr, durationMs: Date.now() - started });
		});
	});
}

/** runCommand, throwing describeFailure(what) on a non-zero exit. */
export async function runChecked(what: string, file: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
	const r = await runCommand(file, args, opts);
	if (r.code !== 0) throw new Error(describeFailure(what, r));
	return r;
}

export const npmBin = (): string => (process.platform === 'win32' ? 'npm.cmd' : 'npm');
