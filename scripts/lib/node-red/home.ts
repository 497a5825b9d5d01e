/**
 * A fresh Node-RED user directory with this package installed as a user installs it
 * (`npm install <tarball>` in `~/.node-red`), a settings file (persistent context store, plain-text
 * credentials file for the harness), and a flow whose `pumble-config` nodes point at the sandbox.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { makeTempDir, npmBin, PROJECT_ROOT, runChecked, type Log } from '../n8n';
import type { NodeRedRuntime } from './install';

export interface FlowNode {
	id: string;
	type: string;
	[key: string]: unknown;
}

export interface NodeRedHome {
	userDir: string;
	flowFile: string;
	/** The node-red's own log, appended by the runtime. */
	logFile: string;
}

/** An example flow from `examples/node-red/<name>.json`. */
export function exampleFlow(name: string): FlowNode[] {
	return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'node-red', `${name}.json`), 'utf8')) as FlowNode[];
}

/** Points every `pumble-config` node at `baseUrl` and gives it `apiKey` (the credentials file). */
export function pointAt(flows: FlowNode[], baseUrl: string, apiKey: string): { flows: FlowNode[]; credentials: Record<string, { apiKey: string }> } {
	const credentials: Record<string, { apiKey: string }> = {};
	const patched = flows.map((node) => {
		if (node.type !== 'pumble-config') return node;
		credentials[node.id] = { apiKey };
		return { ...node, baseUrl };
	});
	return { flows: patched, credentials };
}

const SETTINGS = `module.exports = {
	flowFile: 'flows.json',
	// The harness writes credentials in plain text; a real install keeps Node-RED's encryption.
	credentialSecret: false,
	contextStorage: { default: { module: 'localfilesystem', config: { flushInterval: 1 } } },
	logging: { console: { level: 'info', metrics: false, audit: false } },
	editorTheme: { tours: false, projects: { enabled: false } },
	diagnostics: { enabled: false },
	telemetry: { enabled: false },
};
`;

/** A fresh user directory with the tarball installed by `runtime`'s Node and npm, as its user would. */
export async function createNodeRedHome(tgz: string, log: Log, runtime?: NodeRedRuntime): Promise<NodeRedHome> {
	const userDir = await makeTempDir('pumble-node-red-');
	fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true }, null, 2));
	const r = await runChecked('npm install <package tarball>', npmBin(), ['install', tgz, '--no-audit', '--no-fund'], { cwd: userDir, env: runtime?.env, timeoutMs: 10 * 60_000 });
	log(`[node-red] installed the package into ${userDir} (${(r.durationMs / 1000).toFixed(1)} s)`);
	fs.writeFileSync(path.join(userDir, 'settings.js'), SETTINGS);
	return { userDir, flowFile: path.join(userDir, 'flows.json'), logFile: path.join(userDir, 'node-red.log') };
}

export function writeFlows(home: NodeRedHome, flows: FlowNode[], credentials: Record<string, unknown>): void {
	fs.writeFileSync(home.flowFile, JSON.stringify(flows, null, 2));
	fs.writeFileSync(path.join(home.userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
}
