/**
 * Install an n8n version once into the cache folder, with progress lines: `npm install n8n@<version>`
 * (with the `xlsx` override) run by the Node that will run it; for a version that needs
 * `--ignore-scripts`, sqlite3 is then built from its bundled sources against that Node's headers.
 * Skipped when the marker says the install is complete.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { acquireInstallLock, countEntries, hasMarker, withProgress, writeMarker } from './cache';
import { describeFailure, fmtSecs, npmBin, runCommand } from './command';
import { ensureNode } from './node';
import { defaultLog, type Log } from './processes';
import { runtimeEnv, runtimeOf, type N8nRuntime } from './runtime';
import { currentTarget } from './versions';
import { PACKAGE_NAME } from '../packageName';

/** n8n-nodes-base pulls `xlsx` from a CDN that is not reachable here: pin the npm registry copy. */
const XLSX_OVERRIDE = '0.18.5';

const markerOf = (rt: N8nRuntime): string => `n8n ${rt.target.n8n}${rt.target.node ? ` on node ${rt.target.node}` : ''}`;

function binVersion(rt: N8nRuntime): string | undefined {
	const r = spawnSync(rt.nodeBin, [rt.n8nBin, '--version'], { encoding: 'utf8', timeout: 60_000, env: runtimeEnv(rt) });
	return r.status === 0 ? r.stdout.trim().split('\n').pop()?.trim() : undefined;
}

function isInstalled(rt: N8nRuntime): boolean {
	if (!fs.existsSync(rt.n8nBin) || !fs.existsSync(rt.nodeBin)) return false;
	if (hasMarker(rt.installDir, markerOf(rt))) return true;
	// Installed by someone else (or before the marker existed): trust it if it answers the version.
	if (!rt.target.ignoreScripts && binVersion(rt) === rt.target.n8n) {
		writeMarker(rt.installDir, markerOf(rt));
		return true;
	}
	return false;
}

async function npmStep(rt: N8nRuntime, what: string, args: string[], logFile: string, log: Log, timeoutMs: number): Promise<number> {
	const r = await withProgress(
		log,
		(elapsed) => `[n8n] … still ${what}: ${elapsed} elapsed, ${countEntries(path.join(rt.installDir, 'node_modules'))} entries in node_modules`,
		() => runCommand(npmBin(), args, { cwd: rt.installDir, env: runtimeEnv(rt), logFile, timeoutMs }),
	);
	if (r.code !== 0) throw new Error(describeFailure(`${what} (full log: ${logFile})`, r));
	log(`[n8n] ${what}: done in ${fmtSecs(r.durationMs)}`);
	return r.durationMs;
}

/**
 * Install n8n `version` (default: the one PUMBLE_N8N_VERSIONS chooses) into
 * `$PUMBLE_N8N_CACHE` (default `~/.cache/n8n-nodes-pumble`)/n8n-<version>, and the Node it needs
 * into node-<node version>; skip what is already complete. Prints a progress line every 15 s.
 */
export async function ensureN8n(log: Log = defaultLog, version: string = currentTarget().n8n): Promise<N8nRuntime> {
	const rt = runtimeOf(version);
	const { target } = rt;
	if (target.node) await ensureNode(target.node, log);
	if (isInstalled(rt)) return rt;

	const release = await acquireInstallLock(rt.installDir, markerOf(rt), log);
	try {
		if (isInstalled(rt)) return rt; // the other process finished it
		const dir = rt.installDir;
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			`${JSON.stringify(
				{
					name: 'pumble-n8n-cache',
					private: true,
					description: `n8n ${target.n8n} for the end-to-end tests and demo of ${PACKAGE_NAME}`,
					dependencies: { n8n: target.n8n },
					overrides: { xlsx: XLSX_OVERRIDE },
				},
				null,
				2,
			)}\n`,
		);
		const logFile = path.join(dir, 'install.log');
		fs.writeFileSync(logFile, `# npm install n8n@${target.n8n} started ${new Date().toISOString()}\n`);
		const nodeNote = target.node ? `Node ${target.node} from the cache` : `this machine's Node ${process.version}`;
		log(`[n8n] installing n8n ${target.n8n} into ${dir} on ${nodeNote} (once; several minutes, ~2,100–2,400 packages; log: ${logFile})`);
		const started = Date.now();
		const installArgs = ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];
		if (target.ignoreScripts) installArgs.push('--ignore-scripts');
		await npmStep(rt, `installing n8n ${target.n8n}`, installArgs, logFile, log, 30 * 60_000);
		if (target.ignoreScripts) {
			// No install scripts ran: build sqlite3's native binding from its bundled sources, no download.
			await npmStep(rt, `building sqlite3 for n8n ${target.n8n} against Node ${target.node}'s headers`, ['rebuild', 'sqlite3', `--nodedir=${rt.nodeDir}`, '--loglevel=warn'], logFile, log, 20 * 60_000);
		}
		const v = fs.existsSync(rt.n8nBin) ? binVersion(rt) : undefined;
		if (v !== target.n8n) {
			throw new Error(`installed n8n into ${dir} but \`n8n --version\` says ${JSON.stringify(v)}, expected ${target.n8n} (log: ${logFile})`);
		}
		writeMarker(dir, markerOf(rt), { installMs: Date.now() - started });
		log(`[n8n] n8n ${target.n8n} installed in ${fmtSecs(Date.now() - started)}`);
		return rt;
	} finally {
		release();
	}
}
