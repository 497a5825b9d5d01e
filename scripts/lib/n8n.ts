/**
 * Drive a real n8n (2.8.4) headless: install it once into a cache folder outside the project,
 * pack this package, install the tarball the way n8n installs a community package, import
 * credentials and workflows, execute a workflow by id and parse its run data, or start the editor.
 *
 * Used by `test/e2e/*`, `npm run demo` (scripts/demo.ts) and `npm start` (scripts/start.ts).
 * Facts this relies on: /work/shared/n8n/HEADLESS.md (measured on these machines).
 *
 * Everything started here is tracked: `cleanupAll()` kills every child process still running and
 * removes temp folders (kept when PUMBLE_KEEP_TMP=1, for debugging). A process 'exit' hook kills
 * leftover children synchronously; scripts call `installSignalHandlers()` for Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const N8N_VERSION = '2.8.4';
/** n8n-nodes-base pulls `xlsx` from a CDN that is not reachable here: pin the npm registry copy. */
const XLSX_OVERRIDE = '0.18.5';
const MARKER_FILE = '.pumble-n8n-install-complete';
const PROGRESS_EVERY_MS = 15_000;
/** Fixed per harness: credentials are encrypted with it on import and decrypted on execute. */
export const E2E_ENCRYPTION_KEY = 'n8n-nodes-pumble-e2e-encryption-key-0001';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stderr.write(`${line}\n`);

const keepTmp = (): boolean => /^(1|true|yes)$/i.test(process.env.PUMBLE_KEEP_TMP ?? '');

// ---------------------------------------------------------------------------------------------
// Tracking of what we start, so that it is always cleaned up
// ---------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHookInstalled = false;

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		// Children are spawned detached (own process group): signal the whole group (npm → sh → gcc …).
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

function ensureExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const child of children) killTree(child, 'SIGKILL');
		if (!keepTmp()) {
			for (const dir of tempDirs) {
				try {
					fs.rmSync(dir, { recursive: true, force: true });
				} catch {
					/* best effort */
				}
			}
		}
	});
}

function track(child: ChildProcess): ChildProcess {
	ensureExitHook();
	children.add(child);
	child.once('exit', () => children.delete(child));
	return child;
}

/** Stop a child (SIGTERM to its process group, SIGKILL after `graceMs`); resolves when it exited. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {
		children.delete(child);
		return;
	}
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killTree(child, 'SIGTERM');
	const timer = setTimeout(() => killTree(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	children.delete(child);
}

export async function makeTempDir(prefix: string): Promise<string> {
	ensureExitHook();
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
	tempDirs.add(dir);
	return dir;
}

export async function removeTempDir(dir: string, log: Log = defaultLog): Promise<void> {
	tempDirs.delete(dir);
	if (keepTmp()) {
		log(`[n8n] keeping ${dir} (PUMBLE_KEEP_TMP)`);
		return;
	}
	await fsp.rm(dir, { recursive: true, force: true });
}

/** Kill every child process still running and remove every temp folder this module created. */
export async function cleanupAll(log: Log = defaultLog): Promise<void> {
	await Promise.all([...children].map((c) => stopProcess(c)));
	for (const dir of [...tempDirs]) await removeTempDir(dir, log);
}

let signalHandlersInstalled = false;
/**
 * For scripts (not for jest): on SIGINT/SIGTERM/SIGHUP run `onSignal` (stop servers …), then
 * `cleanupAll()`, then exit 130/143. A second Ctrl-C kills everything at once.
 */
export function installSignalHandlers(onSignal: () => Promise<void> | void = () => undefined, log: Log = defaultLog): void {
	if (signalHandlersInstalled) return;
	signalHandlersInstalled = true;
	let stopping = false;
	const handler = (signal: NodeJS.Signals): void => {
		const code = signal === 'SIGINT' ? 130 : 143;
		if (stopping) {
			for (const child of children) killTree(child, 'SIGKILL');
			process.exit(code);
		}
		stopping = true;
		log(`\n[n8n] ${signal}: stopping everything …`);
		void (async () => {
			try {
				await onSignal();
			} catch (err) {
				log(`[n8n] while stopping: ${String(err)}`);
			}
			await cleanupAll(log);
			process.exit(code);
		})();
	};
	for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, handler);
}

// ---------------------------------------------------------------------------------------------
// Running commands
// ---------------------------------------------------------------------------------------------

export interface CommandResult {
	/** What ran, for messages (no secrets: arguments are paths and ids). */
	command: string;
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/** Append stdout+stderr to this file as well (long installs). */
	logFile?: string;
}

function tail(text: string, lines = 40): string {
	const all = text.trimEnd().split('\n');
	return all.slice(-lines).join('\n');
}

export function describeFailure(what: string, r: CommandResult): string {
	const status = r.signal ? `signal ${r.signal}` : `exit code ${r.code}`;
	return [
		`${what} failed (${status}, ${(r.durationMs / 1000).toFixed(1)} s): ${r.command}`,
		'--- stdout (tail) ---',
		tail(r.stdout) || '(empty)',
		'--- stderr (tail) ---',
		tail(r.stderr) || '(empty)',
	].join('\n');
}

/** Run a command to completion, capturing its output; never throws for a non-zero exit. */
export function runCommand(file: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
	const command = [file, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const spawnOpts: SpawnOptions = {
			cwd: opts.cwd ?? PROJECT_ROOT,
			env: opts.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		};
		const child = track(spawn(file, args, spawnOpts));
		let stdout = '';
		let stderr = '';
		const logStream = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
		child.stdout?.setEncoding('utf8').on('data', (d: string) => {
			stdout += d;
			logStream?.write(d);
		});
		child.stderr?.setEncoding('utf8').on('data', (d: string) => {
			stderr += d;
			logStream?.write(d);
		});
		let timedOut = false;
		const timer =
			opts.timeoutMs !== undefined
				? setTimeout(() => {
						timedOut = true;
						void stopProcess(child, 2_000);
					}, opts.timeoutMs)
				: undefined;
		child.once('error', (err) => {
			if (timer) clearTimeout(timer);
			logStream?.end();
			reject(new Error(`could not start ${command}: ${err.message}`));
		});
		child.once('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			logStream?.end();
			if (timedOut) stderr += `\n[harness] killed after ${opts.timeoutMs} ms timeout\n`;
			resolve({ command, code, signal, stdout, stderr, durationMs: Date.now() - started });
		});
	});
}

async function runChecked(what: string, file: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
	const r = await runCommand(file, args, opts);
	if (r.code !== 0) throw new Error(describeFailure(what, r));
	return r;
}

const npmBin = (): string => (process.platform === 'win32' ? 'npm.cmd' : 'npm');

// ---------------------------------------------------------------------------------------------
// Installing n8n once into a cache folder
// ---------------------------------------------------------------------------------------------

export function n8nCacheRoot(): string {
	return process.env.PUMBLE_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-pumble');
}

export function n8nInstallDir(): string {
	return path.join(n8nCacheRoot(), `n8n-${N8N_VERSION}`);
}

/** `node_modules/.bin/n8n` of the cached install (may not exist yet). */
export function n8nBinPath(): string {
	return path.join(n8nInstallDir(), 'node_modules', '.bin', 'n8n');
}

function readMarker(dir: string): boolean {
	try {
		const m = JSON.parse(fs.readFileSync(path.join(dir, MARKER_FILE), 'utf8')) as { version?: string };
		return m.version === N8N_VERSION;
	} catch {
		return false;
	}
}

function binVersion(bin: string): string | undefined {
	const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', timeout: 60_000 });
	return r.status === 0 ? r.stdout.trim().split('\n').pop()?.trim() : undefined;
}

function isInstalled(dir: string): boolean {
	const bin = path.join(dir, 'node_modules', '.bin', 'n8n');
	if (!fs.existsSync(bin)) return false;
	if (readMarker(dir)) return true;
	// Installed by someone else (or before the marker existed): trust it if it answers the version.
	if (binVersion(bin) === N8N_VERSION) {
		writeMarker(dir);
		return true;
	}
	return false;
}

function writeMarker(dir: string): void {
	fs.writeFileSync(
		path.join(dir, MARKER_FILE),
		JSON.stringify({ version: N8N_VERSION, installedAt: new Date().toISOString() }, null, 2),
	);
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const fmtSecs = (ms: number): string => {
	const s = Math.round(ms / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/** One installer at a time per cache folder (e.g. `npm run demo` while the e2e tests run). */
async function acquireInstallLock(dir: string, log: Log): Promise<() => void> {
	const lock = `${dir}.lock`;
	const started = Date.now();
	let lastNote = 0;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			return () => fs.rmSync(lock, { recursive: true, force: true });
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
			let holder = NaN;
			try {
				holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				/* being written */
			}
			const lockAge = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if ((Number.isFinite(holder) && !pidAlive(holder)) || (!Number.isFinite(holder) && lockAge > 10_000)) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - lastNote >= PROGRESS_EVERY_MS) {
				lastNote = Date.now();
				log(`[n8n] another process (pid ${holder}) is installing n8n ${N8N_VERSION} into ${dir}; waiting … ${fmtSecs(Date.now() - started)}`);
			}
			await sleep(1_000);
		}
	}
}

function countEntries(dir: string): number {
	try {
		return fs.readdirSync(dir).length;
	} catch {
		return 0;
	}
}

/**
 * Install n8n 2.8.4 once into `$PUMBLE_N8N_CACHE` (default `~/.cache/n8n-nodes-pumble`)/n8n-2.8.4,
 * with the xlsx override; skip when already complete. Prints a progress line every 15 s while
 * installing (≈ 5–6 min the first time). Returns the n8n binary path.
 */
export async function ensureN8n(log: Log = defaultLog): Promise<string> {
	const dir = n8nInstallDir();
	const bin = n8nBinPath();
	if (isInstalled(dir)) return bin;

	fs.mkdirSync(path.dirname(dir), { recursive: true });
	const release = await acquireInstallLock(dir, log);
	try {
		if (isInstalled(dir)) return bin; // the other process finished it
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			`${JSON.stringify(
				{
					name: 'n8n-nodes-pumble-n8n-cache',
					private: true,
					description: `n8n ${N8N_VERSION} for the end-to-end tests and demo of n8n-nodes-pumble`,
					dependencies: { n8n: N8N_VERSION },
					overrides: { xlsx: XLSX_OVERRIDE },
				},
				null,
				2,
			)}\n`,
		);
		const logFile = path.join(dir, 'install.log');
		fs.writeFileSync(logFile, `# npm install n8n@${N8N_VERSION} started ${new Date().toISOString()}\n`);
		log(`[n8n] installing n8n ${N8N_VERSION} into ${dir} (once; ≈ 5–6 min, ~2,100 packages, 2.3 GB; log: ${logFile})`);
		const started = Date.now();
		const timer = setInterval(() => {
			const pkgs = countEntries(path.join(dir, 'node_modules'));
			log(`[n8n] … still installing n8n ${N8N_VERSION}: ${fmtSecs(Date.now() - started)} elapsed, ${pkgs} entries in node_modules`);
		}, PROGRESS_EVERY_MS);
		let r: CommandResult;
		try {
			r = await runCommand(npmBin(), ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'], {
				cwd: dir,
				logFile,
				timeoutMs: 30 * 60_000,
			});
		} finally {
			clearInterval(timer);
		}
		if (r.code !== 0) throw new Error(describeFailure(`installing n8n ${N8N_VERSION} into ${dir} (full log: ${logFile})`, r));
		const v = fs.existsSync(bin) ? binVersion(bin) : undefined;
		if (v !== N8N_VERSION) {
			throw new Error(`installed n8n into ${dir} but \`n8n --version\` says ${JSON.stringify(v)}, expected ${N8N_VERSION} (log: ${logFile})`);
		}
		writeMarker(dir);
		log(`[n8n] n8n ${N8N_VERSION} installed in ${fmtSecs(Date.now() - started)}`);
		return bin;
	} finally {
		release();
	}
}

// ---------------------------------------------------------------------------------------------
// Packing this package
// ---------------------------------------------------------------------------------------------

export interface PackOptions {
	/** Skip `npm run build` (already built). */
	skipBuild?: boolean;
	log?: Log;
}

/** `npm run build`, then `npm pack` into a temp folder; returns the .tgz path. */
export async function packPackage(opts: PackOptions = {}): Promise<string> {
	const log = opts.log ?? defaultLog;
	if (!opts.skipBuild) {
		const b = await runChecked('npm run build', npmBin(), ['run', 'build'], { cwd: PROJECT_ROOT, timeoutMs: 5 * 60_000 });
		log(`[n8n] built the package (${fmtSecs(b.durationMs)})`);
	}
	const dest = await makeTempDir('pumble-pack-');
	const r = await runChecked('npm pack', npmBin(), ['pack', '--json', '--pack-destination', dest], {
		cwd: PROJECT_ROOT,
		timeoutMs: 2 * 60_000,
	});
	let filename: string | undefined;
	try {
		const parsed = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename?: string }>;
		filename = parsed[0]?.filename;
	} catch {
		/* fall through */
	}
	filename ??= fs.readdirSync(dest).find((f) => f.endsWith('.tgz'));
	const tgz = filename ? path.join(dest, path.basename(filename)) : '';
	if (!tgz || !fs.existsSync(tgz)) throw new Error(describeFailure('npm pack (no .tgz produced)', r));
	return tgz;
}

// ---------------------------------------------------------------------------------------------
// An n8n home (N8N_USER_FOLDER) with the package installed as a community package
// ---------------------------------------------------------------------------------------------

export interface N8nHome {
	/** N8N_USER_FOLDER (n8n keeps .n8n/{config,database.sqlite,nodes} there). */
	dir: string;
	/** The n8n binary this home runs with. */
	n8nBin: string;
	/** Complete environment for n8n commands on this home. */
	env: NodeJS.ProcessEnv;
	/** The installed package's name and folder (`.n8n/nodes/node_modules/<name>`). */
	packageName: string;
	packageDir: string;
	/** Every n8n command run on this home, with its full stdout/stderr (for secret sweeps). */
	transcripts: CommandResult[];
	/** Stop what runs on this home, remove the folder (unless PUMBLE_KEEP_TMP=1). */
	cleanup(): Promise<void>;
}

export interface CreateHomeOptions {
	/** Defaults to the cached install (call ensureN8n() first). */
	n8nBin?: string;
	/** Extra environment (e.g. N8N_LOG_LEVEL). */
	env?: NodeJS.ProcessEnv;
	log?: Log;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/** Parent environment minus anything that would leak into / change n8n (its own settings, tsx loaders). */
function baseEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (k.startsWith('N8N_') || k.startsWith('DB_') || k.startsWith('QUEUE_') || k === 'EXECUTIONS_MODE') continue;
		if (k === 'NODE_OPTIONS' && v && /tsx|ts-node|jest/.test(v)) continue;
		if (k === 'NODE_ENV' && v === 'test') continue; // jest sets it; n8n would treat the run as its own test run
		if (k.startsWith('JEST_')) continue;
		env[k] = v;
	}
	return env;
}

/**
 * Fresh temp N8N_USER_FOLDER with the tarball installed exactly the way n8n 2.8.4 installs a
 * community package (CommunityPackagesService.downloadPackage): unpack into
 * `.n8n/nodes/node_modules/<name>`, drop dev/peer/optional dependencies from its package.json,
 * `npm install --bin-links=false --install-strategy=shallow --ignore-scripts=true --package-lock=false`
 * inside it, and record it in `.n8n/nodes/package.json`.
 */
export async function createN8nHome(tgz: string, opts: CreateHomeOptions = {}): Promise<N8nHome> {
	const log = opts.log ?? defaultLog;
	const n8nBin = opts.n8nBin ?? n8nBinPath();
	if (!fs.existsSync(n8nBin)) throw new Error(`n8n is not installed at ${n8nBin}: call ensureN8n() first`);
	if (!fs.existsSync(tgz)) throw new Error(`package tarball not found: ${tgz}`);

	const dir = await makeTempDir('pumble-n8n-home-');
	const nodesDir = path.join(dir, '.n8n', 'nodes');
	await fsp.mkdir(nodesDir, { recursive: true });
	await fsp.writeFile(
		path.join(nodesDir, 'package.json'),
		`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`,
	);

	// Unpack into a staging folder, read the name, move into node_modules/<name>.
	const staging = path.join(nodesDir, '.staging');
	await fsp.mkdir(staging, { recursive: true });
	await runChecked('unpacking the package tarball', 'tar', ['-xzf', tgz, '-C', staging, '--strip-components=1'], { cwd: nodesDir });
	const pkgJsonPath = path.join(staging, 'package.json');
	const pkg = JSON.parse(await fsp.readFile(pkgJsonPath, 'utf8')) as Record<string, unknown> & { name: string; version: string };
	const { devDependencies: _d, peerDependencies: _p, optionalDependencies: _o, ...kept } = pkg;
	await fsp.writeFile(pkgJsonPath, JSON.stringify(kept, null, 2), 'utf8');
	const packageDir = path.join(nodesDir, 'node_modules', pkg.name);
	await fsp.mkdir(path.dirname(packageDir), { recursive: true });
	await fsp.rename(staging, packageDir);

	const npmArgs = [
		'install',
		'--audit=false',
		'--fund=false',
		'--bin-links=false',
		'--install-strategy=shallow',
		'--ignore-scripts=true',
		'--package-lock=false',
		'--no-update-notifier',
	];
	const inst = await runChecked(`npm install of ${pkg.name} inside ${packageDir}`, npmBin(), npmArgs, {
		cwd: packageDir,
		timeoutMs: 5 * 60_000,
	});
	const nodesPkg = JSON.parse(await fsp.readFile(path.join(nodesDir, 'package.json'), 'utf8')) as {
		dependencies: Record<string, string>;
	};
	nodesPkg.dependencies[pkg.name] = pkg.version;
	await fsp.writeFile(path.join(nodesDir, 'package.json'), JSON.stringify(nodesPkg, null, 2), 'utf8');
	log(`[n8n] installed ${pkg.name}@${pkg.version} as a community package in ${dir} (${fmtSecs(inst.durationMs)})`);

	const brokerPort = await freePort();
	const env: NodeJS.ProcessEnv = {
		...baseEnv(),
		N8N_USER_FOLDER: dir,
		N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_MODE: 'external',
		N8N_RUNNERS_AUTH_TOKEN: randomBytes(16).toString('hex'),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		...opts.env,
	};
	const transcripts: CommandResult[] = [];
	const home: N8nHome = {
		dir,
		n8nBin,
		env,
		packageName: pkg.name,
		packageDir,
		transcripts,
		cleanup: async () => {
			await removeTempDir(dir, log);
		},
	};
	return home;
}

/** Run `n8n <args>` on a home (cwd = the home, so no project `.env` is read); recorded in home.transcripts. */
export async function runN8n(home: N8nHome, args: string[], timeoutMs = 180_000): Promise<CommandResult> {
	const r = await runCommand(process.execPath, [fs.realpathSync(home.n8nBin), ...args], {
		cwd: home.dir,
		env: home.env,
		timeoutMs,
	});
	r.command = `n8n ${args.join(' ')}`;
	home.transcripts.push(r);
	return r;
}

async function writeInputFile(home: N8nHome, name: string, data: unknown): Promise<string> {
	const dir = path.join(home.dir, 'imports');
	await fsp.mkdir(dir, { recursive: true });
	const file = path.join(dir, `${name}-${randomBytes(4).toString('hex')}.json`);
	await fsp.writeFile(file, JSON.stringify(data, null, 2), { encoding: 'utf8', mode: 0o600 });
	return file;
}

export interface CredentialInput {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** `n8n import:credentials --input=<file>` (the plain `data` objects are encrypted on import). */
export async function importCredentials(home: N8nHome, creds: CredentialInput[]): Promise<CommandResult> {
	const file = await writeInputFile(home, 'credentials', creds);
	try {
		const r = await runN8n(home, ['import:credentials', `--input=${file}`]);
		const what = `importing ${creds.length} credential(s) (${creds.map((c) => c.type).join(', ')})`;
		if (r.code !== 0) throw new Error(describeFailure(what, r));
		if (!/Successfully imported \d+ credential/.test(r.stdout)) throw new Error(describeFailure(`${what}: no "Successfully imported" line`, r));
		return r;
	} finally {
		await fsp.rm(file, { force: true }); // holds the secrets in clear
	}
}

export interface WorkflowInput {
	/** ≤ 21 characters; `n8n execute --id` needs it. */
	id: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

/** `n8n import:workflow --input=<file>`. The workflow needs a fixed `id` (≤ 21 chars). */
export async function importWorkflow(home: N8nHome, wf: WorkflowInput): Promise<CommandResult> {
	if (typeof wf.id !== 'string' || wf.id.length === 0 || wf.id.length > 21) {
		throw new Error(`workflow "${wf.name}" needs a fixed id of 1–21 characters (got ${JSON.stringify(wf.id)})`);
	}
	const full = { active: false, settings: { executionOrder: 'v1' }, pinData: {}, ...wf };
	const file = await writeInputFile(home, 'workflow', full);
	const r = await runN8n(home, ['import:workflow', `--input=${file}`]);
	const what = `importing workflow "${wf.name}" (${wf.id})`;
	if (r.code !== 0) throw new Error(describeFailure(what, r));
	if (!/Successfully imported \d+ workflow/.test(r.stdout)) throw new Error(describeFailure(`${what}: no "Successfully imported" line`, r));
	return r;
}

// ---- run data ----

export interface RunItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }> | number;
	binary?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface NodeRun {
	startTime?: number;
	executionTime?: number;
	executionStatus?: string;
	data?: { main?: Array<RunItem[] | null> };
	error?: { message?: string; description?: string; [key: string]: unknown };
	source?: unknown;
	[key: string]: unknown;
}

export interface N8nRun {
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
			error?: { message?: string; [key: string]: unknown };
		};
		[key: string]: unknown;
	};
	status?: string;
	finished?: boolean;
	[key: string]: unknown;
}

export interface ExecuteResult extends CommandResult {
	/** The run data (lines from the first line exactly `{` to the last line exactly `}`). */
	run: N8nRun;
	/** The same lines, unparsed. */
	runText: string;
	runData: Record<string, NodeRun[]>;
}

/** Lines from the first line exactly `{` to the last line exactly `}`; undefined when there is none. */
export function extractRunJson(stdout: string): string | undefined {
	const lines = stdout.split(/\r?\n/);
	const first = lines.findIndex((l) => l === '{');
	let last = -1;
	for (let i = lines.length - 1; i >= 0; i--) {
		if (lines[i] === '}') {
			last = i;
			break;
		}
	}
	if (first < 0 || last < first) return undefined;
	return lines.slice(first, last + 1).join('\n');
}

export interface ExecuteOptions {
	/** Return (do not throw) when n8n exits non-zero, e.g. to assert on a workflow error. */
	allowFailure?: boolean;
	timeoutMs?: number;
}

/** `n8n execute --id=<id> --rawOutput` → parsed run data; throws on a non-zero exit or missing run data. */
export async function executeWorkflow(home: N8nHome, id: string, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
	const r = await runN8n(home, ['execute', `--id=${id}`, '--rawOutput'], opts.timeoutMs ?? 180_000);
	if (r.code !== 0 && !opts.allowFailure) throw new Error(describeFailure(`executing workflow ${id}`, r));
	const runText = extractRunJson(r.stdout);
	if (runText === undefined) {
		throw new Error(describeFailure(`executing workflow ${id} (no run data on stdout: no line "{" … "}")`, r));
	}
	let run: N8nRun;
	try {
		run = JSON.parse(runText) as N8nRun;
	} catch (err) {
		throw new Error(`${describeFailure(`parsing the run data of workflow ${id}`, r)}\n${String(err)}`);
	}
	const runData = run?.data?.resultData?.runData;
	if (!runData || typeof runData !== 'object') throw new Error(describeFailure(`executing workflow ${id} (run data has no data.resultData.runData)`, r));
	return { ...r, run, runText, runData };
}

/** Items a node produced (first run, first output by default). */
export function nodeItems(result: ExecuteResult, nodeName: string, output = 0, runIndex = 0): RunItem[] {
	const runs = result.runData[nodeName];
	if (!runs || !runs[runIndex]) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(result.runData).join(', ')})`);
	return runs[runIndex].data?.main?.[output] ?? [];
}

// ---------------------------------------------------------------------------------------------
// n8n start (the editor)
// ---------------------------------------------------------------------------------------------

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
	const child = track(
		spawn(process.execPath, [fs.realpathSync(home.n8nBin), 'start'], {
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
		if (opts.echo) process.stdout.write(d);
	};
	child.stdout?.setEncoding('utf8').on('data', onData);
	child.stderr?.setEncoding('utf8').on('data', onData);
	const host = env.N8N_LISTEN_ADDRESS === '0.0.0.0' || env.N8N_LISTEN_ADDRESS === '::' ? '127.0.0.1' : env.N8N_LISTEN_ADDRESS;
	const base = `http://${host}:${port}`;
	const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`n8n start exited (${child.exitCode ?? child.signalCode}) before it was ready on port ${port}:\n${tail(out)}`);
		}
		// /healthz answers before the REST routes exist; /rest/settings (no auth) means the editor works
		if ((await httpGetStatus(`${base}/healthz/readiness`)) === 200 && (await httpGetStatus(`${base}/rest/settings`)) === 200) break;
		if (Date.now() > deadline) {
			await stopProcess(child);
			throw new Error(`n8n start did not get ready on port ${port} in time:\n${tail(out)}`);
		}
		await sleep(500);
	}
	return {
		url: `http://localhost:${port}`,
		port,
		process: child,
		output: () => out,
		stop: () => stopProcess(child, 10_000),
	};
}

/**
 * Create the owner account through the first-run endpoint (`POST /rest/owner/setup`) so the editor
 * opens on a login page instead of the owner set-up form. n8n 2.8.4 has no env var to skip it.
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
		await sleep(500);
	}
}
