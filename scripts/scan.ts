/**
 * The two community scanners on the packed tarball, each printed as a table; exits non-zero on a finding.
 *
 * - n8n: `@n8n/scan-community-package`'s own ESLint configuration (`buildScanConfig`) on the files it lints:
 *   the tarball's compiled `.js` and package.json, and the source it would fetch through the provenance
 *   attestation (package.json, nodes/ and credentials/). Its command line only scans a published package
 *   (download, provenance, source from GitHub); the rules are the same. The documented exception: the rules
 *   n8n applies only to packages verified for n8n Cloud, read from the plugin (its `recommended` config less
 *   `recommendedWithoutN8nCloudSupport`): no runtime dependencies, no imports of them or of Node built-ins,
 *   no timers or `process`. This package is for self-hosted n8n, which installs its runtime dependencies
 *   (the limiter's Bottleneck, axios, ioredis, re2js) with it.
 * - Node-RED: `node-red-dev validate` on the unpacked tarball (the Flow Library's scorecard).
 *
 * Both print as one table (scanner, check, result, detail), followed by each failing finding; where
 * `$GITHUB_STEP_SUMMARY` is set (GitHub Actions), the same table is appended to the job's summary.
 *
 * Usage: `npm run build && npm run scan` (CI runs it after the build).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '..');
/**
 * Findings this package does not meet on purpose, each with its reason (README, "n8n's scanner"). The scanner
 * ignores eslint-disable comments, so the ones the lint accepts in the source are repeated here.
 */
const DELIBERATE: Array<{ rule: string; file?: RegExp; why: string }> = [
	{ rule: '@n8n/community-nodes/no-runtime-dependencies', why: 'self-hosted n8n installs them (Bottleneck, axios, ioredis, re2js)' },
	{
		rule: '@n8n/community-nodes/webhook-lifecycle-complete',
		file: /^nodes\/Pumble\/PumbleAppTrigger\.node\.ts$/,
		why: "a Pumble app's URLs live in its manifest, which only the app's owner can change: the node shows the URL to paste",
	},
];

/** The rules of n8n's scanner that hold only for n8n Cloud: the documented exception (README). */
async function cloudOnlyRules(scannerDir: string): Promise<Set<string>> {
	const pluginPath = require.resolve('@n8n/eslint-plugin-community-nodes', { paths: [scannerDir] });
	const { n8nCommunityNodesPlugin: plugin } = (await import(pathToFileURL(pluginPath).href)) as {
		n8nCommunityNodesPlugin: { configs: Record<'recommended' | 'recommendedWithoutN8nCloudSupport', { rules: Record<string, unknown> }> };
	};
	const selfHosted = plugin.configs.recommendedWithoutN8nCloudSupport.rules;
	return new Set(Object.keys(plugin.configs.recommended.rules).filter((rule) => !(rule in selfHosted)));
}

interface Finding {
	leg: string;
	rule: string;
	file: string;
	line: number;
	message: string;
}

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
	return spawnSync(cmd, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, encoding: 'utf8', timeout: 5 * 60_000 });
}

function packTarball(dir: string): string {
	const r = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir]);
	if (r.status !== 0) throw new Error(`npm pack failed:\n${r.stdout}\n${r.stderr}`);
	const [{ filename }] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string }>;
	const x = run('tar', ['xzf', path.join(dir, filename), '-C', dir]);
	if (x.status !== 0) throw new Error(`tar failed: ${x.stderr}`);
	return path.join(dir, 'package');
}

/** A Markdown table, aligned for a terminal too. */
function table(headers: string[], rows: string[][]): string {
	rows = rows.map((r) => r.map((c) => c.replace(/\|/g, '\\|')));
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** One scanner's rows of the common table, and what to print under it (its failing findings). */
interface ScanResult {
	failed: boolean;
	rows: string[][];
	details: string;
}

async function scanN8n(packageDir: string): Promise<ScanResult> {
	const scannerDir = path.dirname(require.resolve('@n8n/scan-community-package/package.json'));
	const scanner = (await import(pathToFileURL(path.join(scannerDir, 'scanner', 'scanner.mjs')).href)) as {
		buildScanConfig: () => Promise<unknown>;
		SOURCE_FILE_PATTERNS: string[];
	};
	const { ESLint } = (await import(pathToFileURL(require.resolve('eslint', { paths: [scannerDir] })).href)) as typeof import('eslint');
	const fg = ((await import(pathToFileURL(require.resolve('fast-glob', { paths: [scannerDir] })).href)) as { default: typeof import('fast-glob') }).default;
	const cloudOnly = await cloudOnlyRules(scannerDir);
	const excepted = (f: Finding): boolean => cloudOnly.has(f.rule) || DELIBERATE.some((d) => d.rule === f.rule && (!d.file || d.file.test(f.file)));
	const legs = [
		{ leg: 'tarball', cwd: packageDir, patterns: ['**/*.js', 'package.json'] },
		{ leg: 'source', cwd: ROOT, patterns: scanner.SOURCE_FILE_PATTERNS },
	];
	const findings: Finding[] = [];
	const rows: string[][] = [];
	for (const { leg, cwd, patterns } of legs) {
		const eslint = new ESLint({ cwd, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: (await scanner.buildScanConfig()) as never });
		const files = fg.sync(patterns, { cwd, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
		const results = await eslint.lintFiles(files);
		for (const r of results)
			for (const m of r.messages)
				if (m.severity === 2) findings.push({ leg, rule: m.ruleId ?? '(parse error)', file: path.relative(cwd, r.filePath), line: m.line, message: m.message });
		const errors = findings.filter((f) => f.leg === leg);
		const waived = errors.filter((f) => excepted(f));
		const rules = [...new Set(waived.map((f) => f.rule.replace('@n8n/community-nodes/', '')))];
		rows.push([
			"n8n (@n8n/scan-community-package's rules)",
			`${leg}: ${files.length} files`,
			errors.length > waived.length ? `FAIL (${errors.length - waived.length} errors)` : 'pass',
			waived.length ? `documented exceptions: ${waived.length} (${rules.join(', ')})` : 'no exceptions',
		]);
	}
	const failing = findings.filter((f) => !excepted(f));
	const details = failing.length ? `n8n's failing findings:\n${table(['leg', 'rule', 'where', 'message'], failing.map((f) => [f.leg, f.rule, `${f.file}:${f.line}`, f.message]))}` : '';
	return { failed: failing.length > 0, rows, details };
}

interface Check {
	test: boolean;
	[k: string]: unknown;
}

function scanNodeRed(packageDir: string, tmp: string): ScanResult {
	const out = path.join(tmp, 'node-red-dev.json');
	const offline = path.join(tmp, 'node-red-dev-offline.json');
	const bin = path.join(path.dirname(require.resolve('node-red-dev/package.json')), 'bin', 'run');
	const r = run(process.execPath, ['-r', path.join(__dirname, 'lib', 'scan', 'nodeRedDevOffline.cjs'), bin, 'validate', '-p', packageDir, '-o', out], {
		env: { ...process.env, NODE_RED_DEV_OFFLINE_REPORT: offline },
	});
	const scanner = 'Node-RED (node-red-dev validate)';
	if (!fs.existsSync(out))
		return { failed: true, rows: [[scanner, '(all)', 'FAIL', `no scorecard (exit ${r.status})`]], details: `node-red-dev validate:\n${r.stdout}\n${r.stderr}` };
	const card = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, Check>;
	const notChecked = fs.existsSync(offline) && (JSON.parse(fs.readFileSync(offline, 'utf8')) as { catalogueUnreachable: string[] }).catalogueUnreachable.length > 0;
	const rows = Object.entries(card)
		.filter(([id]) => /^[A-Z]\d\d$/.test(id))
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([id, c]) => {
			const unchecked = notChecked && (id === 'P08' || id === 'N01');
			const detail = Object.entries(c).filter(([k]) => k !== 'test').map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('; ');
			return [scanner, id, unchecked ? 'not checked (catalogue.nodered.org unreachable)' : c.test ? 'pass' : 'FAIL', detail];
		});
	const failed = rows.some((row) => row[2] === 'FAIL');
	return { failed, rows, details: failed ? `node-red-dev validate (exit ${r.status}):\n${r.stdout}\n${r.stderr}` : '' };
}

async function main(): Promise<void> {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pumble-scan-'));
	try {
		const packageDir = packTarball(tmp);
		const results = [await scanN8n(packageDir), scanNodeRed(packageDir, tmp)];
		const failed = results.some((r) => r.failed);
		const title = `Community scanners on the packed tarball: ${failed ? 'FAILED' : 'clean but for the documented exceptions'}`;
		const rows = table(['scanner', 'check', 'result', 'detail'], results.flatMap((r) => r.rows));
		const details = results.map((r) => r.details).filter(Boolean);
		console.log([title, '', rows, ...details.map((d) => `\n${d}`)].join('\n'));
		const summary = process.env.GITHUB_STEP_SUMMARY;
		if (summary) fs.appendFileSync(summary, `### ${title}\n\n${rows}\n\n${details.map((d) => `\`\`\`\n${d}\n\`\`\`\n\n`).join('')}`);
		if (failed) process.exitCode = 1;
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

if (require.main === module) void main();
