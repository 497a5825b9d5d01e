/**
 * `npm start` (scripts/start.ts) as a child process for the scripts that drive the editor: on free ports,
 * with a known owner login, ready once it printed the editor URL; `stop()` ends it as Ctrl-C does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { freePort, PROJECT_ROOT } from './n8n';

export interface Editor {
	url: string;
	email: string;
	password: string;
	/** The sandbox `npm start` runs, when this script started it. */
	sandboxUrl?: string;
	stop(): Promise<void>;
}

/** `npm start` on free ports, its output's `[n8n]`/`[start]` lines passed to `log`; resolves once it printed the editor URL and the login. */
export async function startEditor(log: (line: string) => void): Promise<Editor> {
	const email = 'screenshot@example.com';
	const password = `Pumble-${randomBytes(6).toString('hex')}-1`;
	const [n8nPort, sandboxPort] = [await freePort(), await freePort()];
	log(`starting npm start (n8n on ${n8nPort}, sandbox on ${sandboxPort}); the first run installs n8n (≈ 6 min)`);
	const child: ChildProcess = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['start'], {
		cwd: PROJECT_ROOT,
		env: {
			...process.env,
			PUMBLE_DEMO_EMAIL: email,
			PUMBLE_DEMO_PASSWORD: password,
			N8N_PORT: String(n8nPort),
			PUMBLE_SANDBOX_PORT: String(sandboxPort),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const killGroup = (signal: NodeJS.Signals): void => {
		try {
			process.kill(-(child.pid ?? 0), signal);
		} catch {
			/* gone */
		}
	};
	process.once('exit', () => killGroup('SIGKILL'));
	const stop = async (): Promise<void> => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		killGroup('SIGINT'); // npm start stops n8n and the sandbox on Ctrl-C
		const t = setTimeout(() => killGroup('SIGKILL'), 30_000);
		await exited;
		clearTimeout(t);
	};
	let out = '';
	const ready = new Promise<string>((resolve, reject) => {
		const onData = (d: string): void => {
			out += d;
			for (const line of d.split('\n')) if (/^\[(n8n|start)\]/.test(line.trim())) log(line.trim());
			const m = /n8n editor\s+(http:\/\/\S+)/.exec(out);
			if (m && /login\s+\S+/.test(out)) resolve(m[1]);
		};
		child.stdout?.setEncoding('utf8').on('data', onData);
		child.stderr?.setEncoding('utf8').on('data', onData);
		void exited.then((code) => reject(new Error(`npm start exited (${code}) before the editor was ready:\n${out.split('\n').slice(-30).join('\n')}`)));
	});
	const timeout = sleep(30 * 60_000).then(() => {
		throw new Error('npm start did not get ready in 30 min');
	});
	try {
		const url = await Promise.race([ready, timeout]);
		return { url, email, password, sandboxUrl: `http://127.0.0.1:${sandboxPort}`, stop };
	} catch (err) {
		await stop();
		throw err;
	}
}
