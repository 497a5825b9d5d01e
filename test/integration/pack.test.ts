/**
 * What `npm publish` would ship: `npm pack --dry-run --json` lists only dist/ (compiled JS, the node
 * descriptions' JSON, icons and Node-RED's editor HTML: what n8n and Node-RED load; no declarations, which
 * nothing imports and n8n's scanner trips on, and no source maps, which would point at sources not shipped), the Node-RED
 * example flows (examples/node-red/*.json, which Node-RED's import menu finds), README.md, LICENSE and
 * package.json — no tests, sandbox, scripts, n8n examples, TypeScript sources or secrets — and everything
 * the `n8n` and `node-red` sections of package.json and the nodes' `file:` icons point at is in it.
 *
 * On a fresh clone (`npm ci && npm test`) dist/ does not exist yet: the test builds it first (test/helpers/built.ts:
 * also when it is older than the sources, one build at a time across test files).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DEFAULT_KEYS } from '../../sandbox';
import { ensureBuilt } from '../helpers/built';

const ROOT = path.resolve(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackJson {
	name: string;
	version: string;
	size: number;
	unpackedSize: number;
	files: Array<{ path: string; size: number }>;
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	files: string[];
	main?: string;
	n8n: { nodes: string[]; credentials: string[] };
	'node-red': { version: string; nodes: Record<string, string> };
};
const nodeRedEntryPoints = Object.values(pkg['node-red'].nodes);
const entryPoints = [...pkg.n8n.nodes, ...pkg.n8n.credentials];

function run(args: string[], timeout: number): string {
	const r = spawnSync(npm, args, { cwd: ROOT, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false' } });
	if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
	return r.stdout;
}

let pack: PackJson;
let paths: string[];

beforeAll(async () => {
	await ensureBuilt();
	const out = run(['pack', '--dry-run', '--json', '--ignore-scripts'], 2 * 60_000);
	pack = (JSON.parse(out.slice(out.indexOf('['))) as PackJson[])[0];
	paths = pack.files.map((f) => f.path).sort();
}, 6 * 60_000);

describe('npm pack contents', () => {
	it('is this package', () => {
		expect(pack.name).toBe(pkg.name);
		expect(pkg.files).toEqual(['dist', 'examples/node-red']);
	});

	it('holds only dist/, the Node-RED example flows, README.md, LICENSE and package.json', () => {
		const outside = paths.filter((p) => !p.startsWith('dist/') && !/^examples\/node-red\/[\w-]+\.json$/.test(p));
		expect(outside.sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
		expect(paths.filter((p) => p.startsWith('examples/')).sort()).toEqual([
			'examples/node-red/app-events.json',
			'examples/node-red/digest.json',
			'examples/node-red/echo.json',
			'examples/node-red/send-on-inject.json',
		]);
	});

	it('dist/ holds only compiled JavaScript, JSON, SVG icons and Node-RED editor HTML', () => {
		const odd = paths.filter((p) => p.startsWith('dist/') && !/\.(js|json|svg)$/.test(p) && !/^dist\/nodes\/NodeRed\/[\w-]+\.html$/.test(p));
		expect(odd).toEqual([]);
		// no TypeScript: neither sources nor declarations; no source maps
		expect(paths.filter((p) => p.endsWith('.ts') || p.endsWith('.map'))).toEqual([]);
	});

	it('ships no tests, sandbox, scripts, n8n examples, CI or editor/environment files', () => {
		const forbidden = /(^|\/)(test|tests|__tests__|sandbox|scripts|bench|docs|coverage|node_modules|\.ci|\.github)\/|examples\/(?!node-red\/)|\.test\.|\.spec\.|(^|\/)\.env|\.tgz$|\.log$|tsconfig|jest\.config|eslint|gulpfile/;
		expect(paths.filter((p) => forbidden.test(p))).toEqual([]);
	});

	it('includes every node and credential package.json names, and names no main file', () => {
		for (const entry of entryPoints) expect(paths).toContain(entry);
		expect(pkg.n8n.nodes.length).toBeGreaterThanOrEqual(2);
		// n8n and Node-RED load the entries above, not `main`; a `main` naming a file not shipped would break
		// `require('<package>')`. The package has none: whoever adds one makes it a file of the tarball, here.
		expect(pkg.main).toBeUndefined();
	});

	it("includes every Node-RED node package.json names, with the editor HTML beside it and the palette icon", () => {
		expect(Object.keys(pkg['node-red'].nodes).sort()).toEqual(['pumble', 'pumble-app-events', 'pumble-config', 'pumble-trigger']);
		for (const entry of nodeRedEntryPoints) {
			expect(paths).toContain(entry);
			expect(paths).toContain(entry.replace(/\.js$/, '.html'));
		}
		expect(paths).toContain('dist/nodes/NodeRed/icons/pumble.svg');
	});

	it('includes every icon a node or credential points at (file:… next to its .js)', () => {
		let icons = 0;
		for (const entry of entryPoints) {
			const code = fs.readFileSync(path.join(ROOT, entry), 'utf8');
			for (const [, file] of code.matchAll(/['"`]file:([^'"`]+)['"`]/g)) {
				icons++;
				expect(paths).toContain(path.posix.join(path.posix.dirname(entry), file));
			}
		}
		expect(icons).toBeGreaterThanOrEqual(2);
	});

	it('contains no secrets: no sandbox keys, private keys, tokens or .npmrc auth', () => {
		const secrets = [...Object.values(DEFAULT_KEYS), 'pumble-sandbox-key'];
		const patterns = [
			/-----BEGIN [A-Z ]*PRIVATE KEY-----/,
			/_authToken\s*=/,
			/\bnpm_[A-Za-z0-9]{36}\b/,
			/\bgh[pousr]_[A-Za-z0-9]{36,}\b/,
			/\bsk-[A-Za-z0-9]{20,}\b/,
			/\bAKIA[0-9A-Z]{16}\b/,
		];
		for (const p of paths) {
			const text = fs.readFileSync(path.join(ROOT, p), 'utf8');
			for (const s of secrets) expect({ file: p, contains: text.includes(s) ? s : null }).toEqual({ file: p, contains: null });
			for (const re of patterns) expect({ file: p, matches: re.test(text) ? String(re) : null }).toEqual({ file: p, matches: null });
		}
	});

	it('stays small (under 2 MB unpacked)', () => {
		expect(pack.unpackedSize).toBeLessThan(2 * 1024 * 1024);
	});
});
