/**
 * Installing the package the way a user does, then running the node in the n8n the harness chose
 * (PUMBLE_N8N_VERSIONS; `npm run test:e2e` runs this file in each tested version):
 *
 * - examples/docker/Dockerfile: its RUN line, run by `sh` exactly as written, in a folder laid out like
 *   the image (`/home/node` → a temp folder) with the packed package as PUMBLE_PACKAGE. The same command
 *   is the README's manual install in `~/.n8n/nodes`. Then n8n, with that folder as its user folder,
 *   loads the package and runs a workflow with the Pumble node against the sandbox.
 * - package.json's `n8n.n8nNodesApiVersion` is one this n8n accepts: n8n loads the package (an
 *   unsupported or malformed value makes it skip the package, and the node type would be unknown).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	cleanupAll,
	createN8nHome,
	currentTarget,
	ensureN8n,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	makeTempDir,
	MANUAL_NPM_INSTALL_FLAGS,
	nodeItems,
	openN8nHome,
	packPackage,
	PROJECT_ROOT,
	runChecked,
	runtimeEnv,
	runtimeOf,
	type N8nHome,
	type WorkflowInput,
} from '../../scripts/lib/n8n';
import { PUMBLE_CREDENTIALS, PUMBLE_NODE_TYPE, sandboxCredential } from '../../scripts/lib/workflows';

const SETUP_TIMEOUT = 20 * 60_000;
const DOCKERFILE = path.join(PROJECT_ROOT, 'examples', 'docker', 'Dockerfile');
const PKG = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
	name: string;
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
	expect(calls.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([expect.stringMatching(/^GET \S*myInfo 200$/)]);
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
		"n8n's own community-package install (what Settings → Community Nodes → Install runs) gives an n8n that runs the node",
		async () => {
			const home = await createN8nHome(tgz, { installWay: 'n8n' });
			await expectNodeRuns(home, 'e2eInstallN8n01');
		},
		SETUP_TIMEOUT,
	);
});
