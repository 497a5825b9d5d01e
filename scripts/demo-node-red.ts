/**
 * `npm run demo:node-red`: the Pumble nodes in a real Node-RED against the local Pumble sandbox.
 *
 * Installs Node-RED once into the cache folder, packs this package and installs the tarball into a fresh
 * Node-RED user directory as a user would (`npm install <tgz>` in ~/.node-red), starts the sandbox and
 * Node-RED headless with the example flows (send on inject, echo in thread), clicks the inject, posts a
 * message as Bob, waits for the echo, prints what Node-RED asked Pumble, and stops everything.
 * Exit 0 when both happened, 1 otherwise. Ctrl-C stops everything it started.
 */
import { startSandbox } from '../sandbox';
import { cleanupAll, installSignalHandlers, packPackage } from './lib/n8n';
import { createNodeRedHome, ensureNodeRed, exampleFlow, currentNodeRedTarget, pointAt, startNodeRed, writeFlows } from './lib/node-red';

const out = (line = ''): void => {
	process.stdout.write(`${line}\n`);
};

async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
	const started = Date.now();
	out(`▸ ${label} …`);
	const value = await fn();
	out(`  ✓ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	return value;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) return false;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return true;
}

async function main(): Promise<number> {
	installSignalHandlers();
	const target = currentNodeRedTarget();
	const runtime = await step(`Node-RED ${target.nodeRed} (installed once into the cache)`, () => ensureNodeRed(out, target));
	const tgz = await step('build and pack the package', () => packPackage({ log: out }));
	const home = await step('install the package into a fresh Node-RED user directory', () => createNodeRedHome(tgz, out, runtime));
	const sandbox = await step('start the Pumble sandbox', () => startSandbox());
	try {
		const flows = [...exampleFlow('send-on-inject'), ...exampleFlow('echo')];
		const trigger = flows.find((node) => node.type === 'pumble-trigger');
		if (trigger) trigger.interval = 2;
		const pointed = pointAt(flows, sandbox.url, sandbox.apiKey);
		writeFlows(home, pointed.flows, pointed.credentials);
		const nodeRed = await step('start Node-RED with examples/node-red/send-on-inject.json and echo.json', () => startNodeRed(runtime, home));
		try {
			await step('click "Say hello"', () => nodeRed.inject('f0a1b2c3d4e5f602'));
			const sent = await waitFor(() => sandbox.state.messages.some((m) => m.text === 'Hello from Node-RED 👋'), 30_000);
			await waitFor(() => sandbox.log.filter((e) => e.path === '/listMessages').length >= 1, 30_000);
			const ping = sandbox.postAs(sandbox.ids.bob, sandbox.ids.general, 'Is the deploy done?');
			out(`▸ Bob posted "${ping.text}" in #general; waiting for the echo …`);
			const echoed = await waitFor(() => sandbox.state.messages.some((m) => m.threadRootId === ping.id), 30_000);

			out('\nWhat Node-RED asked Pumble (the sandbox log):');
			for (const e of sandbox.log) {
				const body = e.body && typeof e.body === 'object' ? ` ${JSON.stringify(e.body).slice(0, 100)}` : '';
				out(`  ${e.method} ${e.path}${body} → ${e.status}`);
			}
			out('');
			out(`${sent ? '✓' : '✗'} the send example posted "Hello from Node-RED 👋" to #general`);
			const reply = sandbox.state.messages.find((m) => m.threadRootId === ping.id);
			out(`${echoed ? '✓' : '✗'} the echo example replied in the thread${reply ? `: "${reply.text}"` : ''}`);
			return sent && echoed ? 0 : 1;
		} finally {
			await nodeRed.stop();
		}
	} finally {
		await sandbox.close();
		await cleanupAll(out);
	}
}

main().then(
	(code) => process.exit(code),
	async (error: unknown) => {
		out(`demo:node-red failed: ${error instanceof Error ? error.message : String(error)}`);
		await cleanupAll(out);
		process.exit(1);
	},
);
