/**
 * `npm run test:e2e:node-red`: the Node-RED tests once per Node-RED version, each on the Node it needs.
 *
 *   PUMBLE_NODE_RED_VERSIONS  versions to run, comma-separated, or `all` (default: all = 4.1.15 and 5.0.7)
 *   PUMBLE_N8N_CACHE          where Node-RED and Node are installed once (default ~/.cache/n8n-nodes-pumble)
 *   extra arguments           passed to jest, e.g. `npm run test:e2e:node-red -- -t "trigger"`
 *
 * Builds and packs the package once (PUMBLE_PACKAGE_TGZ for the test files), then for each version:
 * installs it (and its Node) if missing, and runs, with jest on that Node and PUMBLE_NODE_RED_VERSIONS set
 * to that one version, the integration tests of the nodes in Node-RED's test runtime
 * (test/integration/node-red, node-red-node-test-helper over that install) and the e2e tests in a real
 * Node-RED with the tarball installed (test/e2e-node-red). Every version runs even when an earlier one
 * failed; a table of install and test times at the end; the exit code is 1 if any failed.
 */
import { spawn } from 'node:child_process';

import { cleanupAll, fmtSecs, installSignalHandlers, PACKAGE_TGZ_ENV, packPackage, PROJECT_ROOT, track } from './lib/n8n';
import { ensureNodeRed, NODE_RED_TARGETS, NODE_RED_VERSIONS_ENV, selectedNodeRedVersions, type NodeRedRuntime, type NodeRedTarget } from './lib/node-red';

interface Row {
	target: NodeRedTarget;
	installMs?: number;
	testMs?: number;
	result: string;
}

const out = (line = ''): void => {
	process.stdout.write(`${line}\n`);
};

function runJest(runtime: NodeRedRuntime, tgz: string, args: string[]): Promise<number | null> {
	const env: NodeJS.ProcessEnv = { ...runtime.env, [NODE_RED_VERSIONS_ENV]: runtime.target.nodeRed, [PACKAGE_TGZ_ENV]: tgz };
	if (env.NODE_OPTIONS && /tsx/.test(env.NODE_OPTIONS)) delete env.NODE_OPTIONS;
	const jestArgs = ['--selectProjects', 'integration', 'e2e-node-red', '--runInBand', '--testPathPattern', 'test/(integration/node-red|e2e-node-red)/', ...args];
	const child = track(
		spawn(runtime.nodeBin, [require.resolve('jest/bin/jest'), ...jestArgs], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true }),
	);
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code, signal) => resolve(signal ? null : code));
	});
}

async function main(): Promise<number> {
	installSignalHandlers();
	const targets = selectedNodeRedVersions(NODE_RED_TARGETS.map((t) => t.nodeRed));
	out(`Node-RED tests in Node-RED ${targets.map((t) => t.nodeRed).join(', ')} (${NODE_RED_VERSIONS_ENV}=${process.env[NODE_RED_VERSIONS_ENV] ?? ''}; default all)`);
	const packStarted = Date.now();
	const tgz = await packPackage({ fresh: true });
	out(`built and packed the package once: ${tgz} (${fmtSecs(Date.now() - packStarted)})`);

	const rows: Row[] = [];
	for (const target of targets) {
		const row: Row = { target, result: 'not run' };
		rows.push(row);
		const on = target.node ? `Node ${target.node} (from the cache)` : `this machine's Node ${process.version.slice(1)}`;
		out(`\n=== Node-RED ${target.nodeRed} on ${on} ===`);
		const installStarted = Date.now();
		let runtime: NodeRedRuntime;
		try {
			runtime = await ensureNodeRed(out, target);
			row.installMs = Date.now() - installStarted;
		} catch (err) {
			row.result = 'install FAILED';
			out(`Node-RED ${target.nodeRed} install FAILED: ${err instanceof Error ? err.message : String(err)}`);
			continue;
		}
		const testStarted = Date.now();
		const code = await runJest(runtime, tgz, process.argv.slice(2));
		row.testMs = Date.now() - testStarted;
		row.result = code === 0 ? 'passed' : `FAILED (jest exit ${code ?? 'signal'})`;
	}

	out('\n=== Node-RED summary ===');
	out(`${'Node-RED'.padEnd(9)} ${'Node'.padEnd(9)} ${'install'.padStart(8)} ${'tests'.padStart(8)}  result`);
	for (const r of rows) {
		const fmt = (ms?: number): string => (ms === undefined ? '-' : fmtSecs(ms)).padStart(8);
		out(`${r.target.nodeRed.padEnd(9)} ${(r.target.node ?? process.version.slice(1)).padEnd(9)} ${fmt(r.installMs)} ${fmt(r.testMs)}  ${r.result}`);
	}
	out('(install: 0s when the cache already held it)');
	return rows.every((r) => r.result === 'passed') ? 0 : 1;
}

main()
	.catch((err: unknown) => {
		out(`Node-RED tests FAILED: ${err instanceof Error ? err.message : String(err)}`);
		return 1;
	})
	.then(async (code) => {
		await cleanupAll();
		process.exit(code);
	});
