/**
 * `npm run test:e2e`: the whole e2e suite (every test/e2e/*.test.ts, unchanged) once per n8n version.
 *
 *   PUMBLE_N8N_VERSIONS   versions to run, comma-separated, or `all` (default: all = 2.8.4 and 2.41.1)
 *   PUMBLE_N8N_CACHE      where n8n and Node are installed once (default ~/.cache/n8n-nodes-pumble)
 *   PUMBLE_E2E_CONCURRENT 1: run the versions at the same time (each jest's lines prefixed with its
 *                         version); 0 (default): one after the other. Every e2e file starts its own n8n,
 *                         sandbox and Redis on free ports in its own temp folders, so two runs share nothing.
 *   extra arguments       passed to jest, e.g. `npm run test:e2e -- test/e2e/trigger.test.ts`
 *
 * For each version (scripts/lib/perVersion.ts: packed once, installed if missing, a table at the end):
 * `jest --selectProjects e2e --runInBand` with PUMBLE_N8N_VERSIONS set to that one version.
 */
import { ensureN8n, N8N_TARGETS, selectedVersions, VERSIONS_ENV } from './lib/n8n';
import { runPerVersion } from './lib/perVersion';

runPerVersion({
	title: 'e2e',
	host: 'n8n',
	versionsEnv: VERSIONS_ENV,
	targets: () =>
		selectedVersions(N8N_TARGETS.map((t) => t.n8n)).map((target) => ({
			version: target.n8n,
			node: target.node,
			// jest itself runs on this machine's Node; each test file starts n8n on the Node that version needs.
			install: async () => {
				await ensureN8n(undefined, target.n8n);
				return { nodeBin: process.execPath, env: process.env };
			},
		})),
	jestArgs: ['--selectProjects', 'e2e', '--runInBand', ...process.argv.slice(2)],
	concurrent: process.env.PUMBLE_E2E_CONCURRENT === '1',
});
