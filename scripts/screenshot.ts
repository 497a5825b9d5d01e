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
 *
 * then stops everything it started. Each picture is checked before it is taken (e.g. the action list
 * must show "Send a message" and at least 20 actions), so a broken editor fails the script.
 *
 *   PUMBLE_SCREENSHOT_URL=http://localhost:5678 PUMBLE_DEMO_EMAIL=… PUMBLE_DEMO_PASSWORD=…  use a running `npm start`
 *   PUMBLE_SCREENSHOT_DIR=docs     where to write the PNGs
 *   CHROMIUM_PATH=/usr/bin/chromium
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { launchChromium, type Browser, type Page } from './lib/cdp';
import { freePort, PROJECT_ROOT } from './lib/n8n';

const log = (line: string): void => {
	process.stderr.write(`[screenshot] ${line}\n`);
};

const OUT_DIR = path.resolve(PROJECT_ROOT, process.env.PUMBLE_SCREENSHOT_DIR || 'docs');
const DEMO_WORKFLOW_ID = 'pumbleDemo01';

interface Editor {
	url: string;
	email: string;
	password: string;
	stop(): Promise<void>;
}

/** `npm start` on free ports; resolves once it printed the editor URL. */
async function startEditor(): Promise<Editor> {
	const email = 'screenshot@example.com';
	const password = `Pumble-${randomBytes(6).toString('hex')}-1`;
	const [n8nPort, sandboxPort] = [await freePort(), await freePort()];
	log(`starting npm start (n8n on ${n8nPort}, sandbox on ${sandboxPort}); the first run installs n8n (≈ 6 min)`);
	const child: ChildProcess = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['start'], {
		cwd: PROJECT_ROOT,
		env: {
			...process.env,
			PUMBLE_DEMO_EMAIL: email,
			PUMBLE_DEMO_PASSWORD: password,
			N8N_PORT: String(n8nPort),
			PUMBLE_SANDBOX_PORT: String(sandboxPort),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const killGroup = (signal: NodeJS.Signals): void => {
		try {
			process.kill(-(child.pid ?? 0), signal);
		} catch {
			/* gone */
		}
	};
	process.once('exit', () => killGroup('SIGKILL'));
	const stop = async (): Promise<void> => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		killGroup('SIGINT'); // npm start stops n8n and the sandbox on Ctrl-C
		const t = setTimeout(() => killGroup('SIGKILL'), 30_000);
		await exited;
		clearTimeout(t);
	};
	let out = '';
	const ready = new Promise<string>((resolve, reject) => {
		const onData = (d: string): void => {
			out += d;
			for (const line of d.split('\n')) if (/^\[(n8n|start)\]/.test(line.trim())) log(line.trim());
			const m = /n8n editor\s+(http:\/\/\S+)/.exec(out);
			if (m && /login\s+\S+/.test(out)) resolve(m[1]);
		};
		child.stdout?.setEncoding('utf8').on('data', onData);
		child.stderr?.setEncoding('utf8').on('data', onData);
		void exited.then((code) => reject(new Error(`npm start exited (${code}) before the editor was ready:\n${out.split('\n').slice(-30).join('\n')}`)));
	});
	const timeout = sleep(30 * 60_000).then(() => {
		throw new Error('npm start did not get ready in 30 min');
	});
	try {
		const url = await Promise.race([ready, timeout]);
		return { url, email, password, stop };
	} catch (err) {
		await stop();
		throw err;
	}
}

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

async function main(): Promise<number> {
	const started = Date.now();
	let editor: Editor | undefined;
	let browser: Browser | undefined;
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
			editor = await startEditor();
		}
		log(`editor at ${editor.url}`);
		browser = await launchChromium({ width: 1440, height: 1480 });
		const page = await browser.newPage();
		await signIn(page, editor);
		fs.mkdirSync(OUT_DIR, { recursive: true });
		const files = [await shotOperations(page, editor), await shotSendMessage(page, editor), await shotCredential(page, editor)];
		for (const f of files) log(`wrote ${path.relative(PROJECT_ROOT, f)} (${Math.round(fs.statSync(f).size / 1024)} KB)`);
		log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
		return 0;
	} catch (err) {
		log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
		return 1;
	} finally {
		await stopAll();
	}
}

void main().then((code) => process.exit(code));
