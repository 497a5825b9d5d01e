/** A throw-away Redis (Debian's `redis-server`, no persistence) on a free port, for queue mode. */
import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';

import Redis from 'ioredis';

import { freePort } from './ports';
import { stopProcess, track } from './processes';

export interface RunningRedis {
	port: number;
	/** A client on it (closed by stop()). */
	client: Redis;
	stop(): Promise<void>;
}

/** `redis-server --port <free> --bind 127.0.0.1 --save ''`; resolves once it answers PING. */
export async function startRedis(): Promise<RunningRedis> {
	const port = await freePort();
	const child = track(
		spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		}),
	);
	let out = '';
	child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
	child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
	const started = new Promise<never>((_, reject) => {
		child.once('error', (err) => reject(new Error(`could not start redis-server (apt-get install -y redis-server): ${err.message}`)));
	});
	void started.catch(() => undefined); // only the race below reports it
	const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
	// Refused connections while redis-server starts are expected (PING is retried below): not "unhandled".
	client.on('error', () => undefined);
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}):\n${out}`);
		const pong = await Promise.race([client.ping().catch(() => ''), started]);
		if (pong === 'PONG') break;
		if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING:\n${out}`);
		await delay(200);
	}
	return {
		port,
		client,
		stop: async () => {
			client.disconnect();
			await stopProcess(child);
		},
	};
}
