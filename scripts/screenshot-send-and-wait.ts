/**
 * `npx tsx scripts/screenshot-send-and-wait.ts`: the README picture of Send and Wait for Response, taken in
 * a real n8n editor (headless Chromium, scripts/lib/cdp.ts) against the sandbox:
 *
 *   docs/pumble-send-and-wait-waiting.png   the waiting execution, with the Pumble node's output open
 *
 * It runs a Manual Trigger → "Ask for Approval" workflow until it waits for the answer, opens that execution
 * in the editor and the node's output, checks that it shows the waiting request, then stops what it started.
 */
import * as path from 'node:path';

import { startSandbox } from '../sandbox';
import { launchChromium } from './lib/cdp';
import {
	cleanupAll,
	createN8nHome,
	ensureN8n,
	freePort,
	importCredentials,
	importWorkflow,
	packPackage,
	PROJECT_ROOT,
	setupOwner,
	startN8n,
} from './lib/n8n';
import { PUMBLE_CREDENTIALS, PUMBLE_NODE_TYPE, sandboxCredential } from './lib/workflows';

const OWNER = { email: 'screenshot@example.com', password: 'Pumble-Screenshot-Passw0rd-1', firstName: 'Ada', lastName: 'Lovelace' };
const WORKFLOW_ID = 'shotSendAndWait1';
const NODE = 'Ask for Approval';
const log = (line: string) => process.stderr.write(`[screenshot] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
	await ensureN8n();
	const home = await createN8nHome(await packPackage());
	const sandbox = await startSandbox();
	await importCredentials(home, [sandboxCredential(sandbox.apiKey, sandbox.url)]);
	await importWorkflow(home, {
		id: WORKFLOW_ID,
		name: 'Approve the release notes',
		nodes: [
			{ id: '00000000-0000-4000-8000-0000000000c1', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: '00000000-0000-4000-8000-0000000000c2',
				name: NODE,
				type: PUMBLE_NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					resource: 'message',
					operation: 'sendAndWait',
					select: 'channel',
					channel: { __rl: true, mode: 'name', value: 'general' },
					message: 'Publish the release notes for v2.4?',
					responseType: 'approval',
					approvalOptions: { values: { approvalType: 'double' } },
					options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 4, resumeUnit: 'hours' } } },
				},
				credentials: PUMBLE_CREDENTIALS,
			},
			{ id: '00000000-0000-4000-8000-0000000000c3', name: 'Approved?', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [480, 0], parameters: {} },
		],
		connections: {
			'Manual Trigger': { main: [[{ node: NODE, type: 'main', index: 0 }]] },
			[NODE]: { main: [[{ node: 'Approved?', type: 'main', index: 0 }]] },
		},
	});
	const n8n = await startN8n(home, await freePort());
	await setupOwner(n8n, OWNER);

	const browser = await launchChromium({ width: 1440, height: 900 });
	try {
		const page = await browser.newPage();
		await page.goto(`${n8n.url}/signin`);
		await page.click('input[name=emailOrLdapLoginId]');
		await page.type(OWNER.email);
		await page.click('input[name=password]');
		await page.type(OWNER.password);
		await page.click('[data-test-id=form-submit-button]');
		await page.waitFor(`!location.pathname.startsWith('/signin')`, 'the sign-in to finish');
		await page.goto(`${n8n.url}/workflow/${WORKFLOW_ID}`);
		await page.waitForBox('[data-test-id=canvas-node]', NODE, 60_000);
		await page.evaluate(`(() => {
			const style = document.createElement('style');
			style.textContent = '.el-notification, [data-test-id="banner-stack"], [data-test-id="nps-survey-modal"] { display: none !important; }';
			document.head.appendChild(style);
		})()`);
		// "Execute workflow": the node posts the request and the execution waits
		await page.click('[data-test-id=execute-workflow-button]');
		await page.waitFor(`document.body.innerText.includes('Waiting')`, 'the execution to wait', 90_000);
		const request = sandbox.state.messages.find((m) => m.text.includes('/webhook-waiting/'));
		if (!request) throw new Error('no request reached the sandbox');
		await page.click('[data-test-id=canvas-node]', NODE, { clickCount: 2 });
		await page.waitFor(`document.body.innerText.includes(${JSON.stringify(request.id)}) || document.body.innerText.includes('waiting')`, 'the node output', 60_000);
		await page.hover(5, 5);
		await sleep(1_500);
		const file = path.join(PROJECT_ROOT, 'docs', 'pumble-send-and-wait-waiting.png');
		await page.screenshot(file);
		log(`wrote ${path.relative(PROJECT_ROOT, file)}`);
	} finally {
		await browser.close();
		await n8n.stop();
		await sandbox.close();
		await home.cleanup();
		await cleanupAll();
	}
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		log(`FAILED: ${error.message}`);
		process.exit(1);
	},
);
