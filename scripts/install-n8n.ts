/**
 * `npm run n8n:install`: install the n8n versions PUMBLE_N8N_VERSIONS chooses and the Node-RED versions
 * PUMBLE_NODE_RED_VERSIONS chooses (default: all of each) into the cache folder, with the Node each needs,
 * and print how long each took (CI runs it in the background while it builds and unit-tests). The e2e
 * runners, the demos and `npm start` install through the same code when something is missing.
 */
import { cleanupAll, ensureN8n, N8N_TARGETS, selectedVersions } from './lib/n8n';
import { ensureNodeRed, NODE_RED_TARGETS, selectedNodeRedVersions } from './lib/node-red';

async function main(): Promise<number> {
	const targets = selectedVersions(N8N_TARGETS.map((t) => t.n8n));
	for (const target of targets) {
		const started = Date.now();
		const rt = await ensureN8n(undefined, target.n8n);
		const node = target.node ? `Node ${target.node} (${rt.nodeBin})` : `this machine's Node ${process.version}`;
		process.stdout.write(`n8n ${target.n8n} ready in ${rt.installDir} on ${node}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	}
	for (const target of selectedNodeRedVersions(NODE_RED_TARGETS.map((t) => t.nodeRed))) {
		const started = Date.now();
		const rt = await ensureNodeRed((line) => process.stdout.write(`${line}\n`), target);
		const node = target.node ? `Node ${target.node} (${rt.nodeBin})` : `this machine's Node ${process.version}`;
		process.stdout.write(`Node-RED ${target.nodeRed} ready in ${rt.installDir} on ${node}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	}
	return 0;
}

main()
	.catch((err: unknown) => {
		process.stderr.write(`n8n install FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
		return 1;
	})
	.then(async (code) => {
		await cleanupAll();
		process.exit(code);
	});
