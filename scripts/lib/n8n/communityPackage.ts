/**
 * Put a packed community package into an n8n `nodes` folder (`<N8N_USER_FOLDER>/.n8n/nodes`), two ways:
 * - `n8n`: what n8n's CommunityPackagesService does for "Install community node" (n8n 2.8.4 and
 *   2.41.1 alike): unpack into `node_modules/<name>`, drop dev/peer/optional dependencies from its
 *   package.json, `npm install --bin-links=false --install-strategy=shallow --ignore-scripts=true
 *   --package-lock=false` inside it, and record it in the folder's package.json;
 * - `npm`: what a person does by hand (README "npm install in ~/.n8n/nodes", and the Docker image):
 *   `npm install --omit=dev --ignore-scripts <package>` run in the nodes folder.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

import { fmtSecs, npmBin, runChecked } from './command';
import { defaultLog, type Log } from './processes';

export type InstallWay = 'n8n' | 'npm';

export interface InstalledPackage {
	name: string;
	version: string;
	/** `<nodesDir>/node_modules/<name>`. */
	packageDir: string;
}

/** Flags of the manual way, shared with the README's commands and the Dockerfile. */
export const MANUAL_NPM_INSTALL_FLAGS = ['--omit=dev', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund'];

async function writeNodesPackageJson(nodesDir: string): Promise<void> {
	await fsp.mkdir(nodesDir, { recursive: true });
	const file = path.join(nodesDir, 'package.json');
	try {
		await fsp.access(file);
	} catch {
		await fsp.writeFile(file, `${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`);
	}
}

/** Install the tarball `tgz` into `nodesDir`, the given way, running npm with `env` (the Node that runs n8n first on PATH). */
export async function installCommunityPackage(
	nodesDir: string,
	tgz: string,
	way: InstallWay,
	env: NodeJS.ProcessEnv,
	log: Log = defaultLog,
): Promise<InstalledPackage> {
	await writeNodesPackageJson(nodesDir);
	if (way === 'npm') {
		const r = await runChecked(`npm install ${path.basename(tgz)} in ${nodesDir}`, npmBin(), ['install', ...MANUAL_NPM_INSTALL_FLAGS, tgz], {
			cwd: nodesDir,
			env,
			timeoutMs: 5 * 60_000,
		});
		const deps = (JSON.parse(await fsp.readFile(path.join(nodesDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
		const name = Object.keys(deps).find((n) => deps[n].includes(path.basename(tgz)));
		if (!name) throw new Error(`npm install ${tgz} in ${nodesDir} recorded no dependency for it`);
		const packageDir = path.join(nodesDir, 'node_modules', name);
		const { version } = JSON.parse(await fsp.readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
		log(`[n8n] npm install of ${name}@${version} in ${nodesDir} (${fmtSecs(r.durationMs)})`);
		return { name, version, packageDir };
	}

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
	const inst = await runChecked(`npm install of ${pkg.name} inside ${packageDir}`, npmBin(), npmArgs, { cwd: packageDir, env, timeoutMs: 5 * 60_000 });
	const nodesPkg = JSON.parse(await fsp.readFile(path.join(nodesDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
	nodesPkg.dependencies[pkg.name] = pkg.version;
	await fsp.writeFile(path.join(nodesDir, 'package.json'), JSON.stringify(nodesPkg, null, 2), 'utf8');
	log(`[n8n] installed ${pkg.name}@${pkg.version} as a community package in ${nodesDir} (${fmtSecs(inst.durationMs)})`);
	return { name: pkg.name, version: pkg.version, packageDir };
}
