/**
 * `npm run screenshot:node-red`: a picture of the `pumble` node in a real Node-RED editor, for the README.
 *
 * Installs Node-RED once (cache folder), installs the packed package into a fresh user directory, starts the
 * sandbox and Node-RED with the example flows, opens the editor in headless Chromium (Debian's `chromium`:
 * `apt-get update && apt-get install -y chromium`), opens the "Send to #general" node's edit dialog and writes
 * docs/node-red-pumble-node.png; then stops everything. The dialog must show the Pumble fields (Resource,
 * Operation, Channel) before the picture is taken, so a broken editor fails the script.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../sandbox';
import { launchChromium } from './lib/cdp';
import { cleanupAll, installSignalHandlers, packPackage, PROJECT_ROOT } from './lib/n8n';
import { createNodeRedHome, ensureNodeRed, exampleFlow, pointAt, startNodeRed, writeFlows } from './lib/node-red';

const log = (line: string): void => {
	process.stderr.write(`[screenshot:node-red] ${line}\n`);
};
const OUT = path.resolve(PROJECT_ROOT, process.env.PUMBLE_SCREENSHOT_DIR || 'docs', 'node-red-pumble-node.png');
const SEND_NODE = 'f0a1b2c3d4e5f603';

async function main(): Promise<void> {
	installSignalHandlers();
	const runtime = await ensureNodeRed(log);
	const home = await createNodeRedHome(await packPackage({ log }), log, runtime);
	const sandbox = await startSandbox();
	const pointed = pointAt([...exampleFlow('send-on-inject'), ...exampleFlow('echo')], sandbox.url, sandbox.apiKey);
	writeFlows(home, pointed.flows, pointed.credentials);
	const nodeRed = await startNodeRed(runtime, home);
	const browser = await launchChromium({ width: 1280, height: 800, scale: 1 });
	try {
		const page = await browser.newPage();
		await page.goto(nodeRed.url);
		await page.waitFor(`!!(window.RED && RED.nodes && RED.nodes.node(${JSON.stringify(SEND_NODE)}))`, 'the flow in the editor', 60_000);
		await page.evaluate(`RED.editor.edit(RED.nodes.node(${JSON.stringify(SEND_NODE)}))`);
		await page.waitFor(
			`!!document.querySelector('#node-input-resource') && document.querySelector('#node-input-operation').options.length > 0 && !!document.querySelector('#node-input-channel')`,
			'the pumble node dialog with its fields',
		);
		await new Promise((resolve) => setTimeout(resolve, 1_000)); // the tray's slide-in
		fs.mkdirSync(path.dirname(OUT), { recursive: true });
		await page.screenshot(OUT);
		log(`wrote ${path.relative(PROJECT_ROOT, OUT)}`);
	} finally {
		await browser.close();
		await nodeRed.stop();
		await sandbox.close();
		await cleanupAll(log);
	}
}

main().then(
	() => process.exit(0),
	async (error: unknown) => {
		log(`failed: ${error instanceof Error ? error.message : String(error)}`);
		await cleanupAll(log);
		process.exit(1);
	},
);
