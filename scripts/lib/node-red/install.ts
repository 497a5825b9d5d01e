/**
 * Node-RED, installed once into the cache folder beside the n8n installs (`$PUMBLE_N8N_CACHE`, default
 * `~/.cache/n8n-nodes-pumble/node-red-<version>`). Node-RED 4.x runs on the machine's Node 20.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { acquireInstallLock, cacheRoot, fmtSecs, hasMarker, npmBin, runChecked, withProgress, writeMarker, type Log } from '../n8n';

export const NODE_RED_VERSION = process.env.PUMBLE_NODE_RED_VERSION || '4.1.8';

export function nodeRedInstallDir(version = NODE_RED_VERSION): string {
	return path.join(cacheRoot(), `node-red-${version}`);
}

/** The `red.js` of the cached install; installs Node-RED first when it is not there yet. */
export async function ensureNodeRed(log: Log, version = NODE_RED_VERSION): Promise<string> {
	const dir = nodeRedInstallDir(version);
	const what = `node-red ${version}`;
	const redJs = path.join(dir, 'node_modules', 'node-red', 'red.js');
	if (hasMarker(dir, what) && fs.existsSync(redJs)) return redJs;
	const release = await acquireInstallLock(dir, what, log);
	try {
		if (hasMarker(dir, what) && fs.existsSync(redJs)) return redJs;
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pumble-node-red-cache', private: true }, null, 2));
		log(`[node-red] installing Node-RED ${version} into ${dir} (once; about a minute) …`);
		const r = await withProgress(
			log,
			(elapsed) => `[node-red] still installing Node-RED ${version} … ${elapsed}`,
			() =>
				runChecked(`npm install node-red@${version}`, npmBin(), ['install', `node-red@${version}`, '--no-audit', '--no-fund', '--omit=dev'], {
					cwd: dir,
					timeoutMs: 15 * 60_000,
				}),
		);
		if (!fs.existsSync(redJs)) throw new Error(`Node-RED ${version} installed, but ${redJs} is missing`);
		writeMarker(dir, what);
		log(`[node-red] Node-RED ${version} installed (${fmtSecs(r.durationMs)})`);
		return redJs;
	} finally {
		release();
	}
}
