/**
 * Installing the package the way a user does, then running the node in the n8n the harness chose
 * (PUMBLE_N8N_VERSIONS; `npm run test:e2e` runs this file in each tested version):
 *
 * - examples/docker/Dockerfile: its RUN line, run by `sh` exactly as written, in a folder laid out like
 *   the image (`/home/node` → a temp folder) with the packed package as PUMBLE_PACKAGE. The same command
 *   is the README's manual install in `~/.n8n/nodes`. Then n8n, with that folder as its user folder,
 *   loads the package and runs a workflow with the Pumble node against the sandbox.
 * - The editor's Settings → Community Nodes → Install: `n8n start`, sign in, and the REST call that button
 *   makes (`POST /rest/community-packages`), so that n8n's own installer runs: its registry checks, `npm
 *   pack`, unpacking, `npm install --ignore-scripts` of the runtime dependencies from the registry, the
 *   node API version check and loading. The package is not on the registry, so an `npm` first on n8n's
 *   PATH answers `npm pack|view n8n-nodes-pumble@…` from the packed tarball and hands every other npm
 *   command to the real npm. First with `N8N_UNVERIFIED_PACKAGES_ENABLED=false` (n8n 3's default): the
 *   install is refused; then with `true`: it installs, and the node runs.
 * - package.json's `n8n.n8nNodesApiVersion` is one this n8n accepts: n8n loads the package (an
 *   unsupported or malformed value makes it skip the package, and the node type would be unknown).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	cleanupAll,
	createEmptyN8nHome,
	currentTarget,
	ensureN8n,
	executeWorkflow,
	freePort,
	importCredentials,
	importWorkflow,
	makeTempDir,
	MANUAL_NPM_INSTALL_FLAGS,
	N8nRest,
	nodeItems,
	openN8nHome,
	packPackage,
	PROJECT_ROOT,
	runChecked,
	runtimeEnv,
	runtimeOf,
	setupOwner,
	startN8n,
	type N8nHome,
	type WorkflowInput,
} from '../../scripts/lib/n8n';
import { PUMBLE_CREDENTIALS, PUMBLE_NODE_TYPE, sandboxCredential } from '../../scripts/lib/workflows';

const SETUP_TIMEOUT = 20 * 60_000;
const DOCKERFILE = path.join(PROJECT_ROOT, 'examples', 'docker', 'Dockerfile');
const OWNER = { email: 'owner@example.com', password: 'E2e-install-Passw0rd', firstName: 'E2E', lastName: 'Owner' };
const PKG = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	dependencies: Record<string, string>;
	peerDependencies: Record<string, string>;
};

let sandbox: Sandbox;
let tgz: string;

/** The Dockerfile's instructions, continuation lines joined. */
function dockerInstructions(): Array<{ op: string; args: string }> {
	return fs
		.readFileSync(DOCKERFILE, 'utf8')
		.replace(/\\\n/g, ' ')
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l && !l.startsWith('#'))
		.map((l) => {
			const [op, ...rest] = l.split(/\s+/);
			return { op: op.toUpperCase(), args: rest.join(' ') };
		});
}

/**
 * A folder with an `npm` that answers `npm pack|view <our package>@…` from the tarball and passes every
 * other command to the real npm; each call is appended to `calls.log` there.
 */
async function npmShim(): Promise<{ dir: string; calls: () => string[] }> {
	const dir = await makeTempDir('pumble-npm-shim-');
	const realNpm = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
	if (!realNpm) throw new Error('no npm on PATH');
	const log = path.join(dir, 'calls.log');
	fs.writeFileSync(
		path.join(dir, 'npm'),
		[
			'#!/bin/sh',
			`echo "$*" >> '${log}'`,
			'case "$1" in pack|view) case "$2" in',
			`  '${PKG.name}'@*) if [ "$1" = pack ]; then cp '${tgz}' . && basename '${tgz}'; else echo '"${PKG.version}"'; fi; exit 0 ;;`,
			'esac ;; esac',
			`exec '${realNpm}' "$@"`,
			'',
		].join('\n'),
		{ mode: 0o755 },
	);
	return { dir, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []) };
}

function getMeWorkflow(id: string): WorkflowInput {
	return {
		id,
		name: 'Install check (Manual Trigger → Pumble Get Me)',
		nodes: [
			{ id: '00000000-0000-4000-8000-0000000000c1', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: '00000000-0000-4000-8000-0000000000c2',
				name: 'Get Me',
				type: PUMBLE_NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'user', operation: 'getMe' },
				credentials: PUMBLE_CREDENTIALS,
			},
		],
		connections: { 'Manual Trigger': { main: [[{ node: 'Get Me', type: 'main', index: 0 }]] } },
	};
}

/** Import the sandbox credential and the Get Me workflow into `home`, run it, and check the node answered from the sandbox. */
async function expectNodeRuns(home: N8nHome, workflowId: string): Promise<void> {
	sandbox.reset();
	await importCredentials(home, [sandboxCredential(sandbox.apiKey, sandbox.url)]);
	await importWorkflow(home, getMeWorkflow(workflowId));
	const r = await executeWorkflow(home, workflowId);
	expect(r.run.status).toBe('success');
	const [me] = nodeItems(r, 'Get Me');
	const calls = sandbox.log.filter((e) => !e.path.startsWith('/__sandbox'));
	expect(calls.length).toBeGreaterThan(0);
	expect(new Set(calls.map((e) => `${e.method} ${e.path} ${e.status} ${e.headerName ?? 'no key header'}`))).toEqual(new Set(['GET /myInfo 200 ApiKey']));
	expect(typeof me.json.id).toBe('string');
	expect(sandbox.state.users.map((u) => u.id)).toContain(me.json.id);
}

beforeAll(async () => {
	await ensureN8n();
	tgz = await packPackage();
	sandbox = await startSandbox();
}, SETUP_TIMEOUT);

afterAll(async () => {
	await sandbox?.close();
	await cleanupAll();
});

describe(`installing the package in n8n ${currentTarget().n8n}`, () => {
	test('the Dockerfile starts from n8nio/n8n of a tested version and runs the README\'s manual npm install', () => {
		const steps = dockerInstructions();
		const from = steps.find((s) => s.op === 'FROM');
		const versionArg = steps.find((s) => s.op === 'ARG' && s.args.startsWith('N8N_VERSION='));
		expect(from?.args).toBe('n8nio/n8n:${N8N_VERSION}');
		expect(versionArg?.args).toBe('N8N_VERSION=2.41.1');
		const run = steps.filter((s) => s.op === 'RUN');
		expect(run).toHaveLength(1);
		expect(run[0].args).toBe(
			`mkdir -p /home/node/.n8n/nodes && cd /home/node/.n8n/nodes && npm install ${MANUAL_NPM_INSTALL_FLAGS.join(' ')} "\${PUMBLE_PACKAGE}"`,
		);
	});

	test(
		"the Dockerfile's RUN line, in a folder laid out like the image, gives an n8n that runs the node",
		async () => {
			const runLine = dockerInstructions().find((s) => s.op === 'RUN')!.args;
			const root = await makeTempDir('pumble-image-');
			const homeNode = path.join(root, 'home', 'node');
			const script = runLine.split('/home/node').join(homeNode);
			const env = { ...runtimeEnv(runtimeOf()), PUMBLE_PACKAGE: tgz };
			await runChecked('the Dockerfile RUN line', 'sh', ['-c', script], { cwd: root, env, timeoutMs: 5 * 60_000 });

			const nodeModules = path.join(homeNode, '.n8n', 'nodes', 'node_modules');
			const installed = fs.readdirSync(nodeModules);
			expect(installed).toEqual(expect.arrayContaining([PKG.name, ...Object.keys(PKG.dependencies)]));
			// peer dependencies are not installed: the node must use n8n's own n8n-workflow
			for (const peer of Object.keys(PKG.peerDependencies)) expect(installed).not.toContain(peer);
			const nodesPkg = JSON.parse(fs.readFileSync(path.join(homeNode, '.n8n', 'nodes', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
			expect(Object.keys(nodesPkg.dependencies)).toEqual([PKG.name]);

			// n8n with that folder as its user folder (the image's N8N_USER_FOLDER is /home/node)
			await expectNodeRuns(await openN8nHome(homeNode), 'e2eInstallImage1');
		},
		SETUP_TIMEOUT,
	);

	test(
		"the editor's Community Nodes install (n8n's REST endpoint and installer) refuses the package while N8N_UNVERIFIED_PACKAGES_ENABLED=false, installs it with true, and the node runs",
		async () => {
			const shim = await npmShim();
			const home = await createEmptyN8nHome();
			const withShim = (unverified: 'true' | 'false'): NodeJS.ProcessEnv => ({
				PATH: `${shim.dir}${path.delimiter}${home.env.PATH}`,
				N8N_UNVERIFIED_PACKAGES_ENABLED: unverified,
			});
			const nodesDir = path.join(home.dir, '.n8n', 'nodes');

			// n8n 3's default: an unverified package is refused before anything is downloaded
			let n8n = await startN8n(home, await freePort(), { env: withShim('false') });
			await setupOwner(n8n, OWNER);
			let rest = new N8nRest(n8n);
			await rest.login(OWNER.email, OWNER.password);
			await expect(rest.call('POST', '/community-packages', { name: `${PKG.name}@${PKG.version}` })).rejects.toThrow(/unverified community packages is forbidden/);
			expect(shim.calls().filter((c) => c.includes(PKG.name))).toEqual([]);
			expect(fs.existsSync(path.join(nodesDir, 'node_modules', PKG.name))).toBe(false);
			await n8n.stop();

			// N8N_UNVERIFIED_PACKAGES_ENABLED=true: n8n's installer fetches, installs and loads it
			n8n = await startN8n(home, await freePort(), { env: withShim('true') });
			rest = new N8nRest(n8n);
			await rest.login(OWNER.email, OWNER.password);
			// typed as `<name>@<version>`: n8n 2.8.4 checks a dist-tag such as "latest" only against the registry itself
			const installed = await rest.call<{ packageName: string; installedVersion: string; installedNodes: Array<{ type: string }> }>(
				'POST',
				'/community-packages',
				{ name: `${PKG.name}@${PKG.version}` },
			);
			expect(installed.packageName).toBe(PKG.name);
			expect(installed.installedVersion).toBe(PKG.version);
			expect(installed.installedNodes.map((n) => n.type).sort()).toEqual([`${PKG.name}.pumble`, `${PKG.name}.pumbleAppTrigger`, `${PKG.name}.pumbleTrigger`]);
			const listed = await rest.call<Array<{ packageName: string }>>('GET', '/community-packages');
			expect(listed.map((p) => p.packageName)).toEqual([PKG.name]);
			await n8n.stop();

			const calls = shim.calls();
			expect(calls).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^pack ${PKG.name}@${PKG.version.replace(/\./g, '\\.')} `))]));
			expect(calls).toEqual(expect.arrayContaining([expect.stringMatching(/^install .*--ignore-scripts=true/)]));
			const installedDeps = fs.readdirSync(path.join(nodesDir, 'node_modules', PKG.name, 'node_modules'));
			expect(installedDeps).toEqual(expect.arrayContaining(Object.keys(PKG.dependencies)));
			expect(installedDeps).not.toContain('n8n-workflow');

			await expectNodeRuns(home, 'e2eInstallRest01');
		},
		SETUP_TIMEOUT,
	);
});
