/**
 * `npm run test:e2e`: the whole e2e suite (every test/e2e/*.test.ts, unchanged) once per n8n version.
 *
 *   PUMBLE_N8N_VERSIONS   versions to run, comma-separated, or `all` (default: all = 2.8.4 and 2.41.1)
 *   PUMBLE_N8N_CACHE      where n8n and Node are installed once (default ~/.cache/n8n-nodes-pumble)
 *   PUMBLE_E2E_CONCURRENT 1: run the versions at the same time (each jest's lines prefixed with its
 *                         version); 0 (default): one after the other. Every e2e file starts its own n8n,
 *                         sandbox and Redis on free ports in its own temp folders, so two runs share nothing.
 *   extra arguments       passed to jest, e.g. `npm run test:e2e -- test/e2e/trigger.test.ts`
 *
 * Builds and packs the package once (handed to every test file in PUMBLE_PACKAGE_TGZ), then for each
 * version: installs it if missing (progress lines), runs `jest --selectProjects e2e --runInBand` with
 * PUMBLE_N8N_VERSIONS set to that one version, and at the end prints a table of install and test
 * times. Every version runs even when another one failed; the exit code is 1 if any failed.
 */
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';

import {
	cleanupAll,
	ensureN8n,
	fmtSecs,
	installSignalHandlers,
	N8N_TARGETS,
	PACKAGE_TGZ_ENV,
	packPackage,
	PROJECT_ROOT,
	selectedVersions,
	track,
	VERSIONS_ENV,
	type N8nTarget,
} from './lib/n8n';

interface Row {
	target: N8nTarget;
	installMs?: number;
	testMs?: number;
	result: string;
}

const out = (line = ''): void => {
	process.stdout.write(`${line}\n`);
};

const CONCURRENT_ENV = 'PUMBLE_E2E_CONCURRENT';

/** Runs jest for one version; with `prefix`, each of its output lines is printed behind `[<version>] `. */
function runJest(target: N8nTarget, tgz: string, args: string[], prefix: boolean): Promise<number | null> {
	const env: NodeJS.ProcessEnv = { ...process.env, [VERSIONS_ENV]: target.n8n, [PACKAGE_TGZ_ENV]: tgz };
	if (env.NODE_OPTIONS && /tsx/.test(env.NODE_OPTIONS)) delete env.NODE_OPTIONS;
	const child = track(
		spawn(process.execPath, [require.resolve('jest/bin/jest'), '--selectProjects', 'e2e', '--runInBand', ...args], {
			cwd: PROJECT_ROOT,
			env,
			stdio: ['ignore', prefix ? 'pipe' : 'inherit', prefix ? 'pipe' : 'inherit'],
			detached: true,
		}),
	);
	if (prefix)
		for (const [stream, sink] of [
			[child.stdout, process.stdout],
			[child.stderr, process.stderr],
		] as const)
			if (stream) readline.createInterface({ input: stream }).on('line', (line) => sink.write(`[${target.n8n}] ${line}\n`));
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code, signal) => resolve(signal ? null : code));
	});
}

async function main(): Promise<number> {
	installSignalHandlers();
	const targets = selectedVersions(N8N_TARGETS.map((t) => t.n8n));
	const jestArgs = process.argv.slice(2);
	out(`e2e in n8n ${targets.map((t) => t.n8n).join(', ')} (${VERSIONS_ENV}=${process.env[VERSIONS_ENV] ?? ''}; default all)`);
	const packStarted = Date.now();
	const tgz = await packPackage({ fresh: true });
	out(`built and packed the package once: ${tgz} (${fmtSecs(Date.now() - packStarted)})`);

	const concurrent = process.env[CONCURRENT_ENV] === '1' && targets.length > 1;
	const runOne = async (row: Row): Promise<void> => {
		const { target } = row;
		const on = target.node ? `Node ${target.node} (from the cache)` : `this machine's Node ${process.version.slice(1)}`;
		out(`\n=== e2e in n8n ${target.n8n} on ${on} ===`);
		const installStarted = Date.now();
		try {
			await ensureN8n(undefined, target.n8n);
			row.installMs = Date.now() - installStarted;
		} catch (err) {
			row.result = 'install FAILED';
			out(`n8n ${target.n8n} install FAILED: ${err instanceof Error ? err.message : String(err)}`);
			return;
		}
		const testStarted = Date.now();
		const code = await runJest(target, tgz, jestArgs, concurrent);
		row.testMs = Date.now() - testStarted;
		row.result = code === 0 ? 'passed' : `FAILED (jest exit ${code ?? 'signal'})`;
	};
	const rows: Row[] = targets.map((target) => ({ target, result: 'not run' }));
	const started = Date.now();
	if (concurrent) {
		out(`${CONCURRENT_ENV}=1: all versions at once, each line prefixed with its n8n version`);
		await Promise.all(rows.map(runOne));
	} else for (const row of rows) await runOne(row);

	out('\n=== e2e summary ===');
	out(`${'n8n'.padEnd(8)} ${'Node'.padEnd(9)} ${'install'.padStart(8)} ${'tests'.padStart(8)}  result`);
	for (const r of rows) {
		const node = r.target.node ?? process.version.slice(1);
		const fmt = (ms?: number): string => (ms === undefined ? '-' : fmtSecs(ms)).padStart(8);
		out(`${r.target.n8n.padEnd(8)} ${node.padEnd(9)} ${fmt(r.installMs)} ${fmt(r.testMs)}  ${r.result}`);
	}
	out(`(install: 0s when the cache already held it; ${concurrent ? 'concurrent' : 'one after the other'}, ${fmtSecs(Date.now() - started)} in all)`);
	return rows.every((r) => r.result === 'passed') ? 0 : 1;
}

main()
	.catch((err: unknown) => {
		out(`e2e FAILED: ${err instanceof Error ? err.message : String(err)}`);
		return 1;
	})
	.then(async (code) => {
		await cleanupAll();
		process.exit(code);
	});
