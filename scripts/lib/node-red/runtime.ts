/** A Node-RED runtime on a user directory: start it headless, inject into a flow, stop it. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

import { freePort, stopProcess, tail, track } from '../n8n';
import type { FlowNode, NodeRedHome } from './home';
import type { NodeRedRuntime } from './install';

export interface RunningNodeRed {
	url: string;
	output(): string;
	/** Deploys `flows` (the whole workspace) as the editor's Deploy button does; resolves once Node-RED has started them. */
	deploy(flows: FlowNode[]): Promise<void>;
	/** Clicks an inject node's button (its admin endpoint). */
	inject(nodeId: string): Promise<void>;
	stop(): Promise<void>;
}

/** Starts `runtime` (its own Node: Node-RED 5 runs on the cached Node 24) on `home`, headless, on a free port. */
export async function startNodeRed(runtime: NodeRedRuntime, home: NodeRedHome, opts: { readyTimeoutMs?: number } = {}): Promise<RunningNodeRed> {
	const port = await freePort();
	const child = track(
		spawn(runtime.nodeBin, [runtime.redJs, '--userDir', home.userDir, '--settings', `${home.userDir}/settings.js`, '--port', String(port)], {
			cwd: home.userDir,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
			env: { ...runtime.env, NODE_RED_ENABLE_PROJECTS: 'false' },
		}),
	);
	let out = '';
	const logStream = fs.createWriteStream(home.logFile, { flags: 'a' });
	const onData = (d: string): void => {
		out += d;
		logStream.write(d);
	};
	child.stdout?.setEncoding('utf8').on('data', onData);
	child.stderr?.setEncoding('utf8').on('data', onData);
	child.once('exit', () => logStream.end());
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
	while (!/Started flows/.test(out)) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Node-RED exited before it started its flows:\n${tail(out)}`);
		if (Date.now() > deadline) {
			await stopProcess(child);
			throw new Error(`Node-RED did not start its flows in time:\n${tail(out)}`);
		}
		await delay(200);
	}
	return {
		url,
		output: () => out,
		async deploy(flows) {
			const started = (out.match(/Started flows/g) ?? []).length;
			const response = await fetch(`${url}/flows`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1' },
				body: JSON.stringify(flows),
			});
			if (response.status !== 204 && response.status !== 200) throw new Error(`deploy: HTTP ${response.status} ${await response.text()}`);
			const until = Date.now() + 60_000;
			while ((out.match(/Started flows/g) ?? []).length === started) {
				if (Date.now() > until) throw new Error(`Node-RED did not start the deployed flows in time:\n${tail(out)}`);
				await delay(100);
			}
		},
		async inject(nodeId) {
			const response = await fetch(`${url}/inject/${nodeId}`, { method: 'POST' });
			if (response.status !== 200) throw new Error(`inject ${nodeId}: HTTP ${response.status} ${await response.text()}`);
		},
		stop: () => stopProcess(child, 10_000),
	};
}
