/**
 * Drive headless Chromium (Debian's `chromium` package, /usr/bin/chromium) over the Chrome DevTools
 * Protocol through a pipe (`--remote-debugging-pipe`: JSON messages separated by NUL bytes on fds 3/4),
 * so no WebSocket client, Playwright or Puppeteer — and no browser download — is needed.
 *
 *   const browser = await launchChromium({ width: 1440, height: 900 });
 *   const page = await browser.newPage();
 *   await page.goto('http://localhost:5678/signin');
 *   await page.waitFor('!!document.querySelector("input[type=email]")');
 *   await page.screenshot('docs/shot.png');
 *   await browser.close();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
	'--hide-scrollbars',
	'--mute-audio',
	'--remote-debugging-pipe',
];

export function findChromium(): string | undefined {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
	return candidates.find((c): c is string => !!c && fs.existsSync(c));
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string };
type Listener = (params: Record<string, unknown>, sessionId?: string) => void;

class CdpConnection {
	private nextId = 1;
	private pending = new Map<number, Pending>();
	private listeners = new Map<string, Set<Listener>>();
	private buffer = '';
	closed = false;

	constructor(
		private readonly out: Writable,
		inp: Readable,
	) {
		inp.setEncoding('utf8');
		inp.on('data', (chunk: string) => {
			this.buffer += chunk;
			let end: number;
			while ((end = this.buffer.indexOf('\0')) >= 0) {
				const raw = this.buffer.slice(0, end);
				this.buffer = this.buffer.slice(end + 1);
				this.dispatch(raw);
			}
		});
		inp.on('close', () => {
			this.closed = true;
			for (const p of this.pending.values()) p.reject(new Error(`browser closed during ${p.method}`));
			this.pending.clear();
		});
	}

	private dispatch(raw: string): void {
		const msg = JSON.parse(raw) as {
			id?: number;
			result?: unknown;
			error?: { message: string; data?: string };
			method?: string;
			params?: Record<string, unknown>;
			sessionId?: string;
		};
		if (msg.id !== undefined) {
			const p = this.pending.get(msg.id);
			if (!p) return;
			this.pending.delete(msg.id);
			if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}${msg.error.data ? ` (${msg.error.data})` : ''}`));
			else p.resolve(msg.result);
			return;
		}
		if (msg.method) for (const l of this.listeners.get(msg.method) ?? []) l(msg.params ?? {}, msg.sessionId);
	}

	send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
		if (this.closed) return Promise.reject(new Error(`browser closed before ${method}`));
		const id = this.nextId++;
		const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
		return new Promise<T>((resolve, reject) => {
			this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
			this.out.write(`${message}\0`);
		});
	}

	on(method: string, listener: Listener): () => void {
		const set = this.listeners.get(method) ?? new Set<Listener>();
		set.add(listener);
		this.listeners.set(method, set);
		return () => set.delete(listener);
	}
}


export interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}

export class Page {
	constructor(
		private readonly cdp: CdpConnection,
		readonly sessionId: string,
	) {}

	send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
		return this.cdp.send<T>(method, params, this.sessionId);
	}

	async goto(url: string, timeoutMs = 60_000): Promise<void> {
		const loaded = new Promise<void>((resolve) => {
			const off = this.cdp.on('Page.loadEventFired', (_p, sid) => {
				if (sid === this.sessionId) {
					off();
					resolve();
				}
			});
		});
		const r = await this.send<{ errorText?: string }>('Page.navigate', { url });
		if (r.errorText) throw new Error(`navigating to ${url}: ${r.errorText}`);
		await Promise.race([loaded, sleep(timeoutMs).then(() => Promise.reject(new Error(`${url} did not load in ${timeoutMs} ms`)))]);
	}

	/** Evaluate an expression in the page (promises awaited); returns its JSON value. */
	async evaluate<T = unknown>(expression: string): Promise<T> {
		const r = await this.send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
			'Runtime.evaluate',
			{ expression, awaitPromise: true, returnByValue: true, userGesture: true },
		);
		if (r.exceptionDetails) throw new Error(`in page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}\n  ${expression.slice(0, 300)}`);
		return r.result.value as T;
	}

	/** Poll until the expression is truthy; returns its value. */
	async waitFor<T = unknown>(expression: string, what: string, timeoutMs = 30_000): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		let last: unknown;
		for (;;) {
			try {
				last = await this.evaluate<T>(expression);
				if (last) return last as T;
			} catch (err) {
				last = err;
			}
			if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
			await sleep(250);
		}
	}

	/** Bounding box (CSS pixels, viewport) of the first element matching `selector` whose text matches `text`. */
	async box(selector: string, text?: string): Promise<Box | null> {
		return this.evaluate<Box | null>(`(() => {
			const want = ${JSON.stringify(text ?? null)};
			const els = [...document.querySelectorAll(${JSON.stringify(selector)})];
			const el = els.find((e) => {
				const r = e.getBoundingClientRect();
				if (r.width === 0 || r.height === 0) return false;
				return want === null || (e.textContent || '').trim().replace(/\\s+/g, ' ').includes(want);
			});
			if (!el) return null;
			el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
			const r = el.getBoundingClientRect();
			return { x: r.x, y: r.y, width: r.width, height: r.height };
		})()`);
	}

	async waitForBox(selector: string, text?: string, timeoutMs = 30_000): Promise<Box> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const b = await this.box(selector, text);
			if (b) return b;
			if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${selector}${text ? ` with text "${text}"` : ''}`);
			await sleep(250);
		}
	}

	/** A real mouse click (pressed and released) at the centre of the element. */
	async click(selector: string, text?: string, opts: { clickCount?: number; timeoutMs?: number } = {}): Promise<void> {
		const b = await this.waitForBox(selector, text, opts.timeoutMs);
		await this.clickAt(b.x + b.width / 2, b.y + b.height / 2, opts.clickCount);
	}

	async clickAt(x: number, y: number, clickCount = 1): Promise<void> {
		await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
		for (let i = 1; i <= clickCount; i++) {
			await this.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount: i });
			await this.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount: i });
		}
	}

	async hover(x: number, y: number): Promise<void> {
		await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
	}

	/** Type into the focused element (as if pasted: one input event). */
	async type(text: string): Promise<void> {
		await this.send('Input.insertText', { text });
	}

	async press(key: 'Enter' | 'Escape' | 'Tab'): Promise<void> {
		const codes = { Enter: 13, Escape: 27, Tab: 9 } as const;
		const base = { key, code: key, windowsVirtualKeyCode: codes[key], nativeVirtualKeyCode: codes[key] };
		await this.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...base, ...(key === 'Enter' ? { text: '\r' } : {}) });
		await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
	}

	async setViewport(width: number, height: number, scale = 1): Promise<void> {
		await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: scale, mobile: false });
	}

	/** PNG of the viewport, or of `clip` (CSS pixels), written to `file`. */
	async screenshot(file: string, clip?: Box): Promise<void> {
		const r = await this.send<{ data: string }>('Page.captureScreenshot', {
			format: 'png',
			captureBeyondViewport: false,
			...(clip ? { clip: { ...clip, scale: 1 } } : {}),
		});
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, Buffer.from(r.data, 'base64'));
	}
}

export interface Browser {
	process: ChildProcess;
	newPage(): Promise<Page>;
	close(): Promise<void>;
}

export interface LaunchOptions {
	width?: number;
	height?: number;
	/** Device pixel ratio of the screenshots (2 = crisp on HiDPI screens). */
	scale?: number;
	executable?: string;
}

export async function launchChromium(opts: LaunchOptions = {}): Promise<Browser> {
	const exe = opts.executable ?? findChromium();
	if (!exe) throw new Error('Chromium not found: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH)');
	const width = opts.width ?? 1440;
	const height = opts.height ?? 900;
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pumble-chromium-'));
	const child = spawn(exe, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, `--window-size=${width},${height}`, 'about:blank'], {
		stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
		detached: true,
	});
	let stderr = '';
	child.stderr?.setEncoding('utf8').on('data', (d: string) => {
		stderr = (stderr + d).slice(-5_000);
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const cdp = new CdpConnection(child.stdio[3] as Writable, child.stdio[4] as Readable);
	try {
		await Promise.race([
			cdp.send('Browser.getVersion'),
			exited.then(() => Promise.reject(new Error(`chromium exited at start:\n${stderr}`))),
			sleep(30_000).then(() => Promise.reject(new Error(`chromium did not answer in 30 s:\n${stderr}`))),
		]);
	} catch (err) {
		try {
			process.kill(-(child.pid ?? 0), 'SIGKILL');
		} catch {
			/* gone */
		}
		throw err;
	}
	const close = async (): Promise<void> => {
		if (child.exitCode === null && child.signalCode === null) {
			await cdp.send('Browser.close').catch(() => undefined);
			await Promise.race([exited, sleep(5_000)]);
			if (child.exitCode === null && child.signalCode === null) {
				try {
					process.kill(-(child.pid ?? 0), 'SIGKILL');
				} catch {
					/* gone */
				}
			}
		}
		fs.rmSync(profile, { recursive: true, force: true });
	};
	process.once('exit', () => {
		try {
			if (child.exitCode === null) process.kill(-(child.pid ?? 0), 'SIGKILL');
		} catch {
			/* gone */
		}
	});
	return {
		process: child,
		close,
		async newPage(): Promise<Page> {
			const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
			const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
			const page = new Page(cdp, sessionId);
			await page.send('Page.enable');
			await page.send('Runtime.enable');
			await page.setViewport(width, height, opts.scale ?? 1);
			return page;
		},
	};
}
