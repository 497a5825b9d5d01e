/**
 * One test suite once per version of a host (n8n, Node-RED), each on the Node it needs: the package built and
 * packed once (handed to every test file in PUMBLE_PACKAGE_TGZ), each version installed if missing, one jest
 * run per version, and a table of install and test times at the end. Every version runs even when another
 * failed; the exit code is 1 if any failed. `scripts/e2e.ts` and `scripts/e2e-node-red.ts` are its two uses.
 */
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';

import { cleanupAll, fmtSecs, installSignalHandlers, PACKAGE_TGZ_ENV, packPackage, PROJECT_ROOT, track } from './n8n';

export const out = (line = ''): void => {
	process.stdout.write(`${line}\n`);
};

/** How jest runs for one version: on which Node, with which environment. */
export interface JestRuntime {
	nodeBin: string;
	env: NodeJS.ProcessEnv;
}

export interface VersionTarget {
	/** The host's version, as the table and the prefixed lines show it. */
	version: string;
	/** The Node it runs on, when not this machine's (installed in the cache). */
	node?: string;
	/** Installs this version if it is missing; how jest then runs. */
	install(): Promise<JestRuntime>;
}

export interface PerVersionRun {
	/** What runs, in the headings: `e2e`, `Node-RED tests`. */
	title: string;
	/** The host, in the headings and the table: `n8n`, `Node-RED`. */
	host: string;
	/** The variable naming the versions, set to the one version for each jest. */
	versionsEnv: string;
	/** The versions chosen (read when the run starts, so a bad choice is reported as the run's failure). */
	targets(): VersionTarget[];
	/** jest's arguments, the user's included. */
	jestArgs: string[];
	/** All versions at once, each jest's lines prefixed with its version. */
	concurrent: boolean;
}

interface Row {
	target: VersionTarget;
	installMs?: number;
	testMs?: number;
	result: string;
}

/** Runs jest once; with `prefix`, each of its output lines is printed behind `[<prefix>] `. */
function runJest(runtime: JestRuntime, args: string[], prefix?: string): Promise<number | null> {
	const env: NodeJS.ProcessEnv = { ...runtime.env };
	if (env.NODE_OPTIONS && /tsx/.test(env.NODE_OPTIONS)) delete env.NODE_OPTIONS;
	const child = track(
		spawn(runtime.nodeBin, [require.resolve('jest/bin/jest'), ...args], {
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
			if (stream) readline.createInterface({ input: stream }).on('line', (line) => sink.write(`[${prefix}] ${line}\n`));
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code, signal) => resolve(signal ? null : code));
	});
}

async function runAll(run: PerVersionRun): Promise<number> {
	installSignalHandlers();
	const { title, host, versionsEnv } = run;
	const targets = run.targets();
	out(`${title} in ${host} ${targets.map((t) => t.version).join(', ')} (${versionsEnv}=${process.env[versionsEnv] ?? ''}; default all)`);
	const packStarted = Date.now();
	const tgz = await packPackage({ fresh: true });
	out(`built and packed the package once: ${tgz} (${fmtSecs(Date.now() - packStarted)})`);

	const concurrent = run.concurrent && targets.length > 1;
	const runOne = async (row: Row): Promise<void> => {
		const { target } = row;
		const on = target.node ? `Node ${target.node} (from the cache)` : `this machine's Node ${process.version.slice(1)}`;
		out(`\n=== ${title} in ${host} ${target.version} on ${on} ===`);
		const installStarted = Date.now();
		let runtime: JestRuntime;
		try {
			runtime = await target.install();
			row.installMs = Date.now() - installStarted;
		} catch (err) {
			row.result = 'install FAILED';
			out(`${host} ${target.version} install FAILED: ${err instanceof Error ? err.message : String(err)}`);
			return;
		}
		const testStarted = Date.now();
		const env = {
			...runtime.env,
			[versionsEnv]: target.version,
			[PACKAGE_TGZ_ENV]: tgz,
		};
		const code = await runJest({ nodeBin: runtime.nodeBin, env }, run.jestArgs, concurrent ? target.version : undefined);
		row.testMs = Date.now() - testStarted;
		row.result = code === 0 ? 'passed' : `FAILED (jest exit ${code ?? 'signal'})`;
	};
	const rows: Row[] = targets.map((target) => ({ target, result: 'not run' }));
	const started = Date.now();
	if (concurrent) {
		out(`all versions at once, each line prefixed with its ${host} version`);
		await Promise.all(rows.map(runOne));
	} else for (const row of rows) await runOne(row);

	const width = Math.max(host.length, 8) + 1;
	out(`\n=== ${title} summary ===`);
	out(`${host.padEnd(width)} ${'Node'.padEnd(9)} ${'install'.padStart(8)} ${'tests'.padStart(8)}  result`);
	for (const r of rows) {
		const fmt = (ms?: number): string => (ms === undefined ? '-' : fmtSecs(ms)).padStart(8);
		out(
			`${r.target.version.padEnd(width)} ${(r.target.node ?? process.version.slice(1)).padEnd(9)} ${fmt(r.installMs)} ${fmt(r.testMs)}  ${r.result}`,
		);
	}
	out(`(install: 0s when the cache already held it; ${concurrent ? 'concurrent' : 'one after the other'}, ${fmtSecs(Date.now() - started)} in all)`);
	return rows.every((r) => r.result === 'passed') ? 0 : 1;
}

/** Runs the suite in every version, stops whatever it started, and exits with its code. */
export function runPerVersion(run: PerVersionRun): void {
	runAll(run)
		.catch((err: unknown) => {
			out(`${run.title} FAILED: ${err instanceof Error ? err.message : String(err)}`);
			return 1;
		})
		.then(async (code) => {
			await cleanupAll();
			process.exit(code);
		});
}
