/**
 * `npm run test:e2e:node-red`: the Node-RED tests once per Node-RED version, each on the Node it needs.
 *
 *   PUMBLE_NODE_RED_VERSIONS  versions to run, comma-separated, or `all` (default: all = 4.1.15 and 5.0.7)
 *   PUMBLE_N8N_CACHE          where Node-RED and Node are installed once (default ~/.cache/n8n-nodes-pumble)
 *   extra arguments           passed to jest, e.g. `npm run test:e2e:node-red -- -t "trigger"`
 *
 * For each version (scripts/lib/perVersion.ts: packed once, installed with its Node if missing, a table at
 * the end), with jest on that Node and PUMBLE_NODE_RED_VERSIONS set to that one version: the integration
 * tests of the nodes in Node-RED's test runtime (test/integration/node-red, node-red-node-test-helper over
 * that install) and the e2e tests in a real Node-RED with the tarball installed (test/e2e-node-red).
 */
import { ensureNodeRed, NODE_RED_TARGETS, NODE_RED_VERSIONS_ENV, selectedNodeRedVersions } from './lib/node-red';
import { out, runPerVersion } from './lib/perVersion';

runPerVersion({
	title: 'Node-RED tests',
	host: 'Node-RED',
	versionsEnv: NODE_RED_VERSIONS_ENV,
	targets: () =>
		selectedNodeRedVersions(NODE_RED_TARGETS.map((t) => t.nodeRed)).map((target) => ({
			version: target.nodeRed,
			node: target.node,
			install: async () => {
				const runtime = await ensureNodeRed(out, target);
				return { nodeBin: runtime.nodeBin, env: runtime.env };
			},
		})),
	jestArgs: [
		'--selectProjects',
		'integration',
		'e2e-node-red',
		'--runInBand',
		'--testPathPattern',
		'test/(integration/node-red|e2e-node-red)/',
		...process.argv.slice(2),
	],
	concurrent: false,
});
