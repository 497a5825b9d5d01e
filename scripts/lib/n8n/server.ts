/**
 * The long-running n8n processes on a home: `n8n start` (the editor and its REST API) on a port, ready
 * once the REST routes answer, and `n8n worker` (queue mode), ready once it says so; stopping them; and
 * the owner account through n8n's first-run endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

import { tail } from './command';
import type { N8nHome } from './home';
import { freePort } from './ports';
import { stopProcess, track } from './processes';

export interface RunningN8n {
	url: string;
	port: number;
	process: ChildProcess;
	/** Output so far. */
	output(): string;
	stop(): Promise<void>;
}

function httpGetStatus(url: string): Promise<number> {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: 2_000 }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', () => resolve(0));
		req.on('timeout', () => {
			req.destroy();
			resolve(0);
		});
	});
}

export interface StartOptions {
	/** Echo n8n's output live (default false: kept in output()). */
	echo?: boolean;
	readyTimeoutMs?: number;
	listenAddress?: string;
	/** Extra environment for this server, e.g. `{ N8N_RUNNERS_MODE: 'internal' }` so Code nodes work in the editor. */
	env?: NodeJS.ProcessEnv;
}

function spawnN8n(home: N8nHome, command: string, env: NodeJS.ProcessEnv, echo: boolean | undefined): { child: ChildProcess; output: () => string } {
	const child = track(
		spawn(home.runtime.nodeBin, [fs.realpathSync(home.n8nBin), command], {
			cwd: home.dir,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		}),
	);
	let out = '';
	const onData = (d: string): void => {
		out += d;
		if (out.length > 2_000_000) out = out.slice(-1_000_000);
		if (echo) process.stdout.write(d);
	};
	child.stdout?.setEncoding('utf8').on('data', onData);
	child.stderr?.setEncoding('utf8').on('data', onData);
	return { child, output: () => out };
}

export interface RunningWorker {
	process: ChildProcess;
	output(): string;
	stop(): Promise<void>;
}

/**
 * `n8n worker` on a home (queue mode: the home's env needs EXECUTIONS_MODE=queue and QUEUE_BULL_REDIS_*);
 * its task broker gets its own free port. Resolves once it logs "n8n worker is now ready".
 */
export async function startN8nWorker(home: N8nHome, opts: Omit<StartOptions, 'listenAddress'> = {}): Promise<RunningWorker> {
	const env: NodeJS.ProcessEnv = { ...home.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...opts.env };
	const { child, output } = spawnN8n(home, 'worker', env, opts.echo);
	const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
	while (!/n8n worker is now ready/.test(output())) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`n8n worker exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(output())}`);
		}
		if (Date.now() > deadline) {
			await stopProcess(child);
			throw new Error(`n8n worker did not get ready in time:\n${tail(output())}`);
		}
		await delay(500);
	}
	return { process: child, output, stop: () => stopProcess(child, 10_000) };
}

/** `n8n start` on `port`; resolves once /healthz/readiness and /rest/settings answer 200. */
export async function startN8n(home: N8nHome, port: number, opts: StartOptions = {}): Promise<RunningN8n> {
	const env: NodeJS.ProcessEnv = {
		...home.env,
		N8N_PORT: String(port),
		N8N_HOST: 'localhost',
		N8N_LISTEN_ADDRESS: opts.listenAddress ?? home.env.N8N_LISTEN_ADDRESS ?? '127.0.0.1',
		N8N_EDITOR_BASE_URL: `http://localhost:${port}`,
		N8N_SECURE_COOKIE: 'false',
		...opts.env,
	};
	const { child, output } = spawnN8n(home, 'start', env, opts.echo);
	const host = env.N8N_LISTEN_ADDRESS === '0.0.0.0' || env.N8N_LISTEN_ADDRESS === '::' ? '127.0.0.1' : env.N8N_LISTEN_ADDRESS;
	const base = `http://${host}:${port}`;
	const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`n8n start exited (${child.exitCode ?? child.signalCode}) before it was ready on port ${port}:\n${tail(output())}`);
		}
		// /healthz answers before the REST routes exist; /rest/settings (no auth) means the editor works
		if ((await httpGetStatus(`${base}/healthz/readiness`)) === 200 && (await httpGetStatus(`${base}/rest/settings`)) === 200) break;
		if (Date.now() > deadline) {
			await stopProcess(child);
			throw new Error(`n8n start did not get ready on port ${port} in time:\n${tail(output())}`);
		}
		await delay(500);
	}
	return {
		url: `http://localhost:${port}`,
		port,
		process: child,
		output,
		stop: () => stopProcess(child, 10_000),
	};
}

/**
 * Create the owner account through the first-run endpoint (`POST /rest/owner/setup`) so the editor
 * opens on a login page instead of the owner set-up form. n8n 2.x has no env var to skip it.
 * /healthz answers before the REST routes exist: a 404 is retried for up to `timeoutMs`.
 */
export async function setupOwner(
	n8n: RunningN8n,
	owner: { email: string; password: string; firstName: string; lastName: string },
	timeoutMs = 60_000,
): Promise<void> {
	const body = JSON.stringify(owner);
	const post = (): Promise<{ code: number; text: string }> =>
		new Promise((resolve, reject) => {
			const req = http.request(
				`http://127.0.0.1:${n8n.port}/rest/owner/setup`,
				{ method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
				(res) => {
					let text = '';
					res.setEncoding('utf8').on('data', (d: string) => (text += d));
					res.on('end', () => resolve({ code: res.statusCode ?? 0, text }));
				},
			);
			req.on('error', reject);
			req.end(body);
		});
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await post();
		if (r.code === 200) return;
		if (r.code !== 404 || Date.now() > deadline) {
			throw new Error(`owner set-up answered ${r.code}: ${r.text.replace(/\s+/g, ' ').slice(0, 300)}`);
		}
		await delay(500);
	}
}
