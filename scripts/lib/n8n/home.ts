/**
 * An n8n home: an N8N_USER_FOLDER (a fresh temp folder) with this package installed as a community package, and
 * the complete environment n8n commands get on it (fixed encryption key, no telemetry, external task
 * runners on a free broker port, the chosen n8n version's Node first on PATH).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { CommandResult } from './command';
import { installCommunityPackage, type InstallWay } from './communityPackage';
import { freePort } from './ports';
import { defaultLog, makeTempDir, removeTempDir, type Log } from './processes';
import { runtimeEnv, runtimeOf, type N8nRuntime } from './runtime';

/** Fixed per harness: credentials are encrypted with it on import and decrypted on execute. */
export const E2E_ENCRYPTION_KEY = 'pumble-e2e-encryption-key-0001';

export interface N8nHome {
	/** N8N_USER_FOLDER (n8n keeps .n8n/{config,database.sqlite,nodes} there). */
	dir: string;
	/** The n8n version, its binary and the Node that runs it. */
	runtime: N8nRuntime;
	/** The n8n binary this home runs with (= runtime.n8nBin). */
	n8nBin: string;
	/** Complete environment for n8n commands on this home. */
	env: NodeJS.ProcessEnv;
	/** The installed package's name and folder (`.n8n/nodes/node_modules/<name>`); undefined in an empty home. */
	packageName?: string;
	packageDir?: string;
	/** Every n8n command run on this home, with its full stdout/stderr (for secret sweeps). */
	transcripts: CommandResult[];
	/** Stop what runs on this home, remove the folder (unless PUMBLE_KEEP_TMP=1). */
	cleanup(): Promise<void>;
}

export interface CreateHomeOptions {
	/** The n8n version (default: the one PUMBLE_N8N_VERSIONS chooses); call ensureN8n() for it first. */
	version?: string;
	/** How the package gets into `.n8n/nodes` (default 'n8n': as n8n's "Install community node" does). */
	installWay?: InstallWay;
	/** Extra environment (e.g. N8N_LOG_LEVEL). */
	env?: NodeJS.ProcessEnv;
	log?: Log;
}

/** Fresh temp N8N_USER_FOLDER with the tarball installed into `.n8n/nodes` (see communityPackage.ts). */
export async function createN8nHome(tgz: string, opts: CreateHomeOptions = {}): Promise<N8nHome> {
	const log = opts.log ?? defaultLog;
	const runtime = runtimeOf(opts.version);
	if (!fs.existsSync(runtime.n8nBin)) throw new Error(`n8n ${runtime.target.n8n} is not installed at ${runtime.n8nBin}: call ensureN8n() first`);
	if (!fs.existsSync(tgz)) throw new Error(`package tarball not found: ${tgz}`);
	const dir = await makeTempDir('pumble-n8n-home-');
	await installCommunityPackage(path.join(dir, '.n8n', 'nodes'), tgz, opts.installWay ?? 'n8n', runtimeEnv(runtime), log);
	return openN8nHome(dir, opts);
}

/** Fresh temp N8N_USER_FOLDER with no community package (e.g. to install one through n8n's REST API). */
export async function createEmptyN8nHome(opts: Omit<CreateHomeOptions, 'installWay'> = {}): Promise<N8nHome> {
	const runtime = runtimeOf(opts.version);
	if (!fs.existsSync(runtime.n8nBin)) throw new Error(`n8n ${runtime.target.n8n} is not installed at ${runtime.n8nBin}: call ensureN8n() first`);
	return openN8nHome(await makeTempDir('pumble-n8n-home-'), opts);
}

/**
 * A home on an existing N8N_USER_FOLDER whose `.n8n/nodes` holds at most one package (put there by
 * createN8nHome, or by other means such as the Dockerfile's RUN line). `cleanup()` removes the folder.
 */
export async function openN8nHome(dir: string, opts: Omit<CreateHomeOptions, 'installWay'> = {}): Promise<N8nHome> {
	const log = opts.log ?? defaultLog;
	const runtime = runtimeOf(opts.version);
	const nodesDir = path.join(dir, '.n8n', 'nodes');
	const nodesPkg = path.join(nodesDir, 'package.json');
	const deps = fs.existsSync(nodesPkg)
		? Object.keys((JSON.parse(fs.readFileSync(nodesPkg, 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {})
		: [];
	if (deps.length > 1) throw new Error(`${nodesPkg} should list at most one package, lists ${deps.length}: ${deps.join(', ')}`);
	const brokerPort = await freePort();
	const env: NodeJS.ProcessEnv = {
		...runtimeEnv(runtime),
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
	return {
		dir,
		runtime,
		n8nBin: runtime.n8nBin,
		env,
		packageName: deps[0],
		packageDir: deps[0] === undefined ? undefined : path.join(nodesDir, 'node_modules', deps[0]),
		transcripts: [],
		cleanup: async () => {
			await removeTempDir(dir, log);
		},
	};
}
