/**
 * `npm run test:e2e`: the whole e2e suite (every test/e2e/*.test.ts, unchanged) once per n8n version.
 *
 *   PUMBLE_N8N_VERSIONS   versions to run, comma-separated, or `all` (default: all = 2.8.4 and 2.41.1)
 *   PUMBLE_N8N_CACHE      where n8n and Node are installed once (default ~/.cache/n8n-nodes-pumble)
 *   extra arguments       passed to jest, e.g. `npm run test:e2e -- test/e2e/trigger.test.ts`
 *
 * Builds and packs the package once (handed to every test file in PUMBLE_PACKAGE_TGZ), then for each
 * version: installs it if missing (progress lines), runs `jest --selectProjects e2e --runInBand` with
 * PUMBLE_N8N_VERSIONS set to that one version, and at the end prints a table of install and test
 * times. Every version runs even when an earlier one failed; the exit code is 1 if any failed.
 */
import { spawn } from 'node:child_process';

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

function runJest(target: N8nTarget, tgz: string, args: string[]): Promise<number | null> {
	const env: NodeJS.ProcessEnv = { ...process.env, [VERSIONS_ENV]: target.n8n, [PACKAGE_TGZ_ENV]: tgz };
	if (env.NODE_OPTIONS && /tsx/.test(env.NODE_OPTIONS)) delete env.NODE_OPTIONS;
	const child = track(
		spawn(process.execPath, [require.resolve('jest/bin/jest'), '--selectProjects', 'e2e', '--runInBand', ...args], {
			cwd: PROJECT_ROOT,
			env,
			stdio: ['ignore', 'inherit', 'inherit'],
			detached: true,
		}),
	);
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

	const rows: Row[] = [];
	for (const target of targets) {
		const row: Row = { target, result: 'not run' };
		rows.push(row);
		const on = target.node ? `Node ${target.node} (from the cache)` : `this machine's Node ${process.version.slice(1)}`;
		out(`\n=== e2e in n8n ${target.n8n} on ${on} ===`);
		const installStarted = Date.now();
		try {
			await ensureN8n(undefined, target.n8n);
			row.installMs = Date.now() - installStarted;
		} catch (err) {
			row.result = 'install FAILED';
			out(`n8n ${target.n8n} install FAILED: ${err instanceof Error ? err.message : String(err)}`);
			continue;
		}
		const testStarted = Date.now();
		const code = await runJest(target, tgz, jestArgs);
		row.testMs = Date.now() - testStarted;
		row.result = code === 0 ? 'passed' : `FAILED (jest exit ${code ?? 'signal'})`;
	}

	out('\n=== e2e summary ===');
	out(`${'n8n'.padEnd(8)} ${'Node'.padEnd(9)} ${'install'.padStart(8)} ${'tests'.padStart(8)}  result`);
	for (const r of rows) {
		const node = r.target.node ?? process.version.slice(1);
		const fmt = (ms?: number): string => (ms === undefined ? '-' : fmtSecs(ms)).padStart(8);
		out(`${r.target.n8n.padEnd(8)} ${node.padEnd(9)} ${fmt(r.installMs)} ${fmt(r.testMs)}  ${r.result}`);
	}
	out('(install: 0s when the cache already held it)');
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
