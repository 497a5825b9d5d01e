/** Starting bench/worker.ts processes and talking to them (READY → GO → RESULT). */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import type { GoMessage, WorkerConfig, WorkerResult } from '../worker';

export type { GoMessage, WorkerConfig, WorkerResult } from '../worker';

const ROOT = resolve(__dirname, '..', '..');

export interface RunningWorker {
	ready: Promise<void>;
	go(message: GoMessage): void;
	/** The RESULT line (the worker may still be running: see lingerMs). */
	result: Promise<WorkerResult>;
	exited: Promise<number | null>;
	child: ChildProcess;
	/** Everything the worker wrote to stderr (warnings). */
	stderr(): string;
}

export function startWorker(config: WorkerConfig, redisUrl: string | undefined, echoStderr = true): RunningWorker {
	const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'worker.ts')], {
		cwd: ROOT,
		env: { ...process.env, BENCH_CONFIG: JSON.stringify(config), PUMBLE_RATE_LIMIT_REDIS_URL: redisUrl ?? 'off' },
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
		if (echoStderr) process.stderr.write(chunk);
	});
	let readyResolve!: () => void;
	let resultResolve!: (r: WorkerResult) => void;
	let fail!: (e: Error) => void;
	const ready = new Promise<void>((resolve) => (readyResolve = resolve));
	const result = new Promise<WorkerResult>((resolve, reject) => {
		resultResolve = resolve;
		fail = reject;
	});
	let got: WorkerResult | undefined;
	createInterface({ input: child.stdout! }).on('line', (line) => {
		if (line === 'READY') readyResolve();
		else if (line.startsWith('RESULT ')) {
			got = JSON.parse(line.slice(7)) as WorkerResult;
			resultResolve(got);
		}
	});
	const exited = new Promise<number | null>((resolve) =>
		child.on('exit', (code) => {
			if (!got) fail(new Error(`worker ${config.label} exited with ${code} without a result`));
			resolve(code);
		}),
	);
	void ready.catch(() => undefined);
	void result.catch(() => undefined); // awaited by the caller when it cares
	return { ready, go: (message) => child.stdin!.write(`GO ${JSON.stringify(message)}\n`), result, exited, child, stderr: () => stderr };
}

