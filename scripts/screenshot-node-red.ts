/**
 * `npm run screenshot:node-red`: a picture of the `pumble` node in a real Node-RED editor, for the README.
 *
 * Installs Node-RED once (cache folder), installs the packed package into a fresh user directory, starts the
 * sandbox and Node-RED with the example flows, opens the editor in headless Chromium (Debian's `chromium`:
 * `apt-get update && apt-get install -y chromium`), opens the "Send to #general" node's edit dialog and writes
 * docs/node-red-pumble-node.png; then deploys a flow whose inject sends a burst of 20 messages through a pumble
 * node on a config node limited to 5 requests a minute, and, once the status under the node reads "waiting for
 * rate limit", writes docs/node-red-rate-limit-status.png; then stops everything. The dialog must show the
 * Pumble fields (Resource, Operation, Channel), and the status its text, before each picture is taken, so a
 * broken editor fails the script.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../sandbox';
import { launchChromium } from './lib/cdp';
import { cleanupAll, installSignalHandlers, packPackage, PROJECT_ROOT } from './lib/n8n';
import { createNodeRedHome, ensureNodeRed, exampleFlow, pointAt, startNodeRed, writeFlows, type FlowNode } from './lib/node-red';

const log = (line: string): void => {
	process.stderr.write(`[screenshot:node-red] ${line}\n`);
};
const OUT = path.resolve(PROJECT_ROOT, process.env.PUMBLE_SCREENSHOT_DIR || 'docs', 'node-red-pumble-node.png');
const SEND_NODE = 'f0a1b2c3d4e5f603';
const STATUS_OUT = path.resolve(PROJECT_ROOT, process.env.PUMBLE_SCREENSHOT_DIR || 'docs', 'node-red-rate-limit-status.png');

/** An inject that sends a burst of 20 messages (a Function node) to one pumble node on a config limited to 5 requests/min. */
function burstFlow(sandboxUrl: string): FlowNode[] {
	const tab = 'b0a1b2c3d4e5f601';
	return [
		{ id: tab, type: 'tab', label: 'Burst', disabled: false, info: '' },
		{ id: 'b0a1b2c3d4e5f602', type: 'inject', z: tab, name: 'Burst of 20', props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: '', payloadType: 'date', x: 130, y: 100, wires: [['b0a1b2c3d4e5f603']] },
		{ id: 'b0a1b2c3d4e5f603', type: 'function', z: tab, name: '20 messages', func: 'for (let i = 1; i <= 20; i++) node.send({ payload: "update " + i });\nreturn null;', outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 310, y: 100, wires: [['b0a1b2c3d4e5f604']] },
		{ id: 'b0a1b2c3d4e5f604', type: 'pumble', z: tab, name: 'Post to #general', pumble: 'b0a1b2c3d4e5f6c0', resource: 'message', operation: 'send', channel: 'general', channelType: 'str', singleArray: false, x: 510, y: 100, wires: [['b0a1b2c3d4e5f605']] },
		{ id: 'b0a1b2c3d4e5f605', type: 'debug', z: tab, name: 'Sent', active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', x: 700, y: 100, wires: [] },
		{ id: 'b0a1b2c3d4e5f6c0', type: 'pumble-config', name: 'Pumble (5 requests/min)', baseUrl: sandboxUrl, requestsPerMinute: 5, timeoutSeconds: 30 },
	];
}

async function main(): Promise<void> {
	installSignalHandlers();
	const runtime = await ensureNodeRed(log);
	const home = await createNodeRedHome(await packPackage({ log }), log, runtime);
	const sandbox = await startSandbox();
	const pointed = pointAt([...exampleFlow('send-on-inject'), ...exampleFlow('echo'), ...burstFlow(sandbox.url)], sandbox.url, sandbox.apiKey);
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

		// The burst: close the dialog, show the Burst tab, click its inject, wait for the status under the node.
		await page.evaluate('RED.tray.close(); RED.workspaces.show("b0a1b2c3d4e5f601"); RED.view.status && RED.view.status(true)');
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		await nodeRed.inject('b0a1b2c3d4e5f602');
		await page.waitFor(
			`[...document.querySelectorAll('.red-ui-flow-node-status-label')].some((label) => /waiting for rate limit/.test(label.textContent))`,
			'the status "waiting for rate limit" under the pumble node',
			30_000,
		);
		await new Promise((resolve) => setTimeout(resolve, 500));
		log(`status: ${await page.evaluate<string>(`[...document.querySelectorAll('.red-ui-flow-node-status-label')].map((l) => l.textContent).join(' | ')`)}`);
		await page.screenshot(STATUS_OUT);
		log(`wrote ${path.relative(PROJECT_ROOT, STATUS_OUT)}`);
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
