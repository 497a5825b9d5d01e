/**
 * `npm run screenshot`: pictures of the Pumble node in a real n8n editor (the version `npm start` runs:
 * PUMBLE_N8N_VERSIONS, default 2.8.4), for the README.
 *
 * Starts `npm start` (sandbox + n8n with the package, the credential and the examples imported, owner
 * created) on free ports, signs in with the owner it prints, drives headless Chromium (Debian's
 * `chromium`: `apt-get update && apt-get install -y chromium`) over the DevTools protocol, and writes
 *
 *   docs/pumble-node-operations.png   the node creator listing every Pumble action, by resource
 *   docs/pumble-node-send-message.png the Send Message node open (channel picker, text, options)
 *   docs/pumble-credential.png        the Pumble API credential dialog
 *   docs/pumble-send-and-wait.png     Send and Wait for Response waiting: a workflow (Manual Trigger →
 *                                     "Ask for Approval", approve / decline, to #general) created through
 *                                     the REST API and run with the editor's "Execute workflow" button;
 *                                     the node open, its output "Waiting for input"
 *
 * then stops everything it started. Each picture is checked before it is taken (e.g. the action list
 * must show "Send a message" and at least 20 actions; the waiting one needs the execution "waiting" in
 * n8n, the request with its links in the sandbox when this script started it, and the node's output
 * panel saying it waits for the user's response), so a broken editor fails the script.
 *
 *   PUMBLE_SCREENSHOT_URL=http://localhost:5678 PUMBLE_DEMO_EMAIL=… PUMBLE_DEMO_PASSWORD=…  use a running `npm start`
 *   PUMBLE_SCREENSHOT_DIR=docs     where to write the PNGs
 *   CHROMIUM_PATH=/usr/bin/chromium
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { launchChromium, type Browser, type Page } from './lib/cdp';
import { N8nRest, PROJECT_ROOT, type WorkflowInput } from './lib/n8n';
import { startEditor, type Editor } from './lib/npmStart';
import { PUMBLE_CREDENTIALS, PUMBLE_NODE_TYPE } from './lib/workflows';

const log = (line: string): void => {
	process.stderr.write(`[screenshot] ${line}\n`);
};

const OUT_DIR = path.resolve(PROJECT_ROOT, process.env.PUMBLE_SCREENSHOT_DIR || 'docs');
const DEMO_WORKFLOW_ID = 'pumbleDemo01';

async function signIn(page: Page, editor: Editor): Promise<void> {
	await page.goto(`${editor.url}/signin`);
	await page.click('input[name=emailOrLdapLoginId]');
	await page.type(editor.email);
	await page.click('input[name=password]');
	await page.type(editor.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitFor(`!location.pathname.startsWith('/signin')`, 'the sign-in to finish');
	log(`signed in as ${editor.email}`);
}

/** Hide what is not ours: toasts, banners, the "what's new" and survey pop-ups. */
async function tidy(page: Page): Promise<void> {
	await page.evaluate(`(() => {
		const style = document.getElementById('pumble-shot-style') || document.createElement('style');
		style.id = 'pumble-shot-style';
		style.textContent = '.el-notification, [data-test-id="banner-stack"], [data-test-id="nps-survey-modal"], [data-test-id="version-updates-panel"] { display: none !important; }';
		document.head.appendChild(style);
	})()`);
}

async function openDemoWorkflow(page: Page, editor: Editor): Promise<void> {
	await page.goto(`${editor.url}/workflow/${DEMO_WORKFLOW_ID}`);
	await page.waitForBox('[data-test-id=canvas-node]', 'Send Message', 60_000);
	await tidy(page);
	await sleep(1_000);
}

async function shotOperations(page: Page, editor: Editor): Promise<string> {
	await openDemoWorkflow(page, editor);
	await page.click('[data-test-id=node-creator-plus-button]');
	await page.waitForBox('[data-test-id=node-creator-search-bar]');
	await page.type('Pumble');
	await page.waitFor(
		`[...document.querySelectorAll('[data-test-id=node-creator-item-name]')].map((e) => (e.textContent || '').trim())[0] === 'Pumble'`,
		'"Pumble" first in the search results',
	);
	await sleep(500);
	await page.click('[data-test-id=node-creator-item-name]', 'Pumble');
	const names = await page.waitFor<string[]>(
		`(() => {
			const names = [...document.querySelectorAll('[data-test-id=node-creator-item-name]')].map((e) => (e.textContent || '').trim());
			return names.includes('Send a message') && names.length >= 20 ? names : null;
		})()`,
		'the Pumble action list',
	);
	log(`the node creator lists ${names.length} Pumble actions`);
	await page.hover(5, 5);
	await sleep(800);
	const file = path.join(OUT_DIR, 'pumble-node-operations.png');
	await page.screenshot(file);
	await page.press('Escape');
	return file;
}

async function shotSendMessage(page: Page, editor: Editor): Promise<string> {
	await page.setViewport(1440, 900);
	await openDemoWorkflow(page, editor);
	await page.click('[data-test-id=canvas-node]', 'Send Message', { clickCount: 2 });
	await page.waitFor(
		`(() => { const t = document.body.innerText; return t.includes('Send To') && t.includes('Channel') && t.includes('Text'); })()`,
		'the Send Message parameters',
	);
	await page.hover(5, 5);
	await sleep(1_000);
	const file = path.join(OUT_DIR, 'pumble-node-send-message.png');
	await page.screenshot(file);
	await page.press('Escape');
	return file;
}

async function shotCredential(page: Page, editor: Editor): Promise<string> {
	await page.goto(`${editor.url}/home/credentials`);
	await tidy(page);
	await page.click('[data-test-id=resources-list-item]', 'Pumble sandbox', { timeoutMs: 60_000 });
	await page.waitFor(
		`(() => { const t = document.body.innerText; return t.includes('API Key') && t.includes('Base URL'); })()`,
		'the Pumble API credential dialog',
	);
	await page.hover(5, 5);
	await sleep(1_000);
	const dialog = await page.waitForBox('.el-dialog', 'Pumble sandbox');
	const margin = 24;
	const file = path.join(OUT_DIR, 'pumble-credential.png');
	await page.screenshot(file, {
		x: Math.max(0, dialog.x - margin),
		y: Math.max(0, dialog.y - margin),
		width: dialog.width + 2 * margin,
		height: dialog.height + 2 * margin,
	});
	return file;
}

const ASK = 'Ask for Approval';
const ASK_MESSAGE = 'Publish the release notes for **v1.4** to #announcements?';

/** Manual Trigger → "Ask for Approval" (Send and Wait, approve / decline) to #general. */
function approvalWorkflow(): Omit<WorkflowInput, 'id'> {
	return {
		name: 'Screenshot: Send and Wait for Response',
		nodes: [
			{ id: '0000005a-0000-4000-8000-000000000001', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: '0000005a-0000-4000-8000-000000000002',
				name: ASK,
				type: PUMBLE_NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					resource: 'message',
					operation: 'sendAndWait',
					select: 'channel',
					channel: { __rl: true, mode: 'name', value: 'general' },
					message: ASK_MESSAGE,
					responseType: 'approval',
					approvalOptions: { values: { approvalType: 'double', approveLabel: 'Approve', disapproveLabel: 'Decline' } },
				},
				credentials: PUMBLE_CREDENTIALS,
			},
		],
		connections: { 'Manual Trigger': { main: [[{ node: ASK, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The request the sandbox holds for this execution: its text carries the execution's resume links. */
async function postedRequest(sandboxUrl: string, executionId: string): Promise<string> {
	const state = (await (await fetch(`${sandboxUrl}/__sandbox/state`)).json()) as { messages?: Array<{ text?: string }> };
	const text = state.messages?.find((m) => m.text?.includes(`/webhook-waiting/${executionId}/`))?.text;
	if (!text) throw new Error(`the sandbox holds no request with links to execution ${executionId}`);
	if (!text.includes('approved=true') || !text.includes('approved=false')) throw new Error(`the request lacks its approve and decline links: ${JSON.stringify(text)}`);
	return text;
}

async function shotSendAndWait(page: Page, editor: Editor): Promise<string> {
	const rest = new N8nRest({ port: Number(new URL(editor.url).port || 80) });
	await rest.login(editor.email, editor.password);
	const { id } = await rest.call<{ id: string }>('POST', '/workflows', approvalWorkflow());
	await page.setViewport(1440, 1000);
	await page.goto(`${editor.url}/workflow/${id}`);
	await page.waitForBox('[data-test-id=canvas-node]', ASK, 60_000);
	await tidy(page);
	await page.click('[data-test-id=execute-workflow-button]');

	const deadline = Date.now() + 120_000;
	let executionId: string | undefined;
	while (!executionId) {
		const list = await rest.call<{ results: Array<{ id: string; status: string }> }>(
			'GET',
			`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: id }))}`,
		);
		executionId = list.results.find((e) => e.status === 'waiting')?.id;
		if (!executionId && Date.now() > deadline) throw new Error(`no execution of workflow ${id} is waiting (${JSON.stringify(list.results)})`);
		if (!executionId) await sleep(500);
	}
	log(`execution ${executionId} waits`);
	if (editor.sandboxUrl) {
		const text = await postedRequest(editor.sandboxUrl, executionId);
		log(`the sandbox holds the request: ${JSON.stringify(text)}`);
	}

	await page.click('[data-test-id=canvas-node]', ASK, { clickCount: 2 });
	const outputText = `[...document.querySelectorAll('[data-test-id=output-panel], [data-test-id=ndv-output-panel]')].map((e) => e.innerText).join(' ')`;
	await page
		.waitFor(
			`(() => { const t = ${outputText}; return t.includes('Waiting for input') && t.includes("Execution will continue after the user's response"); })()`,
			"the node's output panel waiting for the user's response",
		)
		.catch(async (err: Error) => {
			throw new Error(`${err.message}; the output panel reads ${JSON.stringify(await page.evaluate<string>(outputText).catch(() => '?'))}`);
		});
	await page.hover(5, 5);
	await sleep(1_000);
	const file = path.join(OUT_DIR, 'pumble-send-and-wait.png');
	await page.screenshot(file);
	await page.press('Escape');
	// nothing left waiting in an editor this script did not start
	await rest.call('POST', `/executions/${executionId}/stop`).catch((err: Error) => log(`could not stop execution ${executionId}: ${err.message}`));
	return file;
}

async function main(): Promise<number> {
	const started = Date.now();
	let editor: Editor | undefined;
	let browser: Browser | undefined;
	let page: Page | undefined;
	const stopAll = async (): Promise<void> => {
		await browser?.close().catch(() => undefined);
		await editor?.stop().catch(() => undefined);
	};
	for (const s of ['SIGINT', 'SIGTERM'] as const) {
		process.once(s, () => {
			void stopAll().then(() => process.exit(130));
		});
	}
	try {
		const external = process.env.PUMBLE_SCREENSHOT_URL;
		if (external) {
			const email = process.env.PUMBLE_DEMO_EMAIL;
			const password = process.env.PUMBLE_DEMO_PASSWORD;
			if (!email || !password) throw new Error('PUMBLE_SCREENSHOT_URL needs PUMBLE_DEMO_EMAIL and PUMBLE_DEMO_PASSWORD (the login npm start printed)');
			editor = { url: external.replace(/\/$/, ''), email, password, stop: async () => undefined };
		} else {
			editor = await startEditor(log);
		}
		log(`editor at ${editor.url}`);
		browser = await launchChromium({ width: 1440, height: 1480 });
		page = await browser.newPage();
		await signIn(page, editor);
		fs.mkdirSync(OUT_DIR, { recursive: true });
		const files = [
			await shotOperations(page, editor),
			await shotSendMessage(page, editor),
			await shotCredential(page, editor),
			await shotSendAndWait(page, editor),
		];
		for (const f of files) log(`wrote ${path.relative(PROJECT_ROOT, f)} (${Math.round(fs.statSync(f).size / 1024)} KB)`);
		log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
		return 0;
	} catch (err) {
		log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
		if (page) {
			const shot = path.join(os.tmpdir(), 'pumble-screenshot-failed.png');
			await page.screenshot(shot).then(() => log(`the page as it was: ${shot}`)).catch(() => undefined);
		}
		return 1;
	} finally {
		await stopAll();
	}
}

void main().then((code) => process.exit(code));
