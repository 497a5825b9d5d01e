/**
 * `npm run demo`: run examples/demo.workflow.json inside a real n8n against the local Pumble sandbox
 * and print what every node sent where, what came back and how long it took.
 *
 * Steps: ensure n8n (installed once into ~/.cache/n8n-nodes-pumble, several minutes the first time),
 * build + pack this package, install it into a fresh n8n home as a community package, start the
 * sandbox, import the credential and the workflow, `n8n execute --id`, summary, stop everything.
 * `PUMBLE_N8N_VERSIONS` chooses the n8n version(s) (default 2.8.4; e.g. `2.41.1`, `2.8.4,2.41.1`
 * or `all`): the demo runs in each in turn. Exit 0 when the workflow succeeded in every one, 1
 * otherwise. Ctrl-C stops everything it started.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../sandbox';
import {
	cleanupAll,
	createN8nHome,
	ensureN8n,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	installSignalHandlers,
	packPackage,
	PROJECT_ROOT,
	selectedVersions,
	type ExecuteResult,
	type N8nHome,
	type N8nTarget,
	type WorkflowInput,
} from './lib/n8n';
import { PACKAGE_NAME } from './lib/packageName';
import { sandboxCredential } from './lib/workflows';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type LogEntry = Sandbox['log'][number];

const out = (line = ''): void => {
	process.stdout.write(`${line}\n`);
};
const log = (line: string): void => out(line);

const started = Date.now();
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
	const t = Date.now();
	out(`▸ ${label} …`);
	const value = await fn();
	out(`  ✓ ${label} (${secs(Date.now() - t)})`);
	return value;
}

function short(value: unknown, max = 160): string {
	if (value === undefined) return '';
	const s = typeof value === 'string' ? value : JSON.stringify(value);
	return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function describeRequest(e: LogEntry): string {
	const query = Object.keys(e.query ?? {}).length ? `?${new URLSearchParams(e.query).toString()}` : '';
	const body = e.body !== undefined && e.body !== null && e.body !== '' ? ` ${short(e.body, 140)}` : '';
	const header = e.headerName ? `[${e.headerName} header]` : '[no key header!]';
	return `${e.method} ${e.path}${query}${body} → ${e.status || 'reset'} ${header} (${e.endTs - e.ts} ms)`;
}

function printSummary(target: N8nTarget, wf: WorkflowInput, r: ExecuteResult, sandbox: Sandbox, sandboxUrl: string): void {
	const calls = sandbox.log.filter((e) => !e.path.startsWith('/__sandbox'));
	const used = new Set<LogEntry>();
	out('');
	const node = target.node ? `Node ${target.node}` : `Node ${process.version.slice(1)}`;
	out(`Workflow "${wf.name}" — n8n ${target.n8n} on ${node}, sandbox ${sandboxUrl}`);
	out('─'.repeat(78));
	const nodes = (wf.nodes as Array<{ name: string; type: string }>).filter((n) => r.runData[n.name]);
	for (const node of nodes) {
		for (const [runIndex, run] of r.runData[node.name].entries()) {
			const startTime = run.startTime ?? 0;
			const took = run.executionTime ?? 0;
			const status = run.executionStatus ?? (run.error ? 'error' : 'success');
			const mark = status === 'success' ? '✓' : '✗';
			out(`${mark} ${node.name}${runIndex ? ` (run ${runIndex + 1})` : ''}  [${node.type}]  ${took} ms`);
			// requests that arrived while this node ran (same machine clock)
			const mine = calls.filter((e) => !used.has(e) && e.ts >= startTime - 5 && e.ts <= startTime + took + 5);
			for (const e of mine) {
				used.add(e);
				out(`    sent     ${describeRequest(e)}`);
			}
			const items = run.data?.main?.flatMap((o) => o ?? []) ?? [];
			if (run.error) out(`    error    ${short(run.error.message)}${run.error.description ? ` — ${short(run.error.description)}` : ''}`);
			else if (items.length === 0) out('    returned no items');
			else {
				out(`    returned ${items.length} item${items.length === 1 ? '' : 's'}: ${short(items[0].json, 120)}${items.length > 1 ? ' …' : ''}`);
			}
		}
	}
	const unmatched = calls.filter((e) => !used.has(e));
	for (const e of unmatched) out(`  (request not matched to a node) ${describeRequest(e)}`);
	out('─'.repeat(78));
	const runMs =
		r.run.startedAt && r.run.stoppedAt ? Date.parse(String(r.run.stoppedAt)) - Date.parse(String(r.run.startedAt)) : undefined;
	out(
		`Status: ${r.run.status ?? 'unknown'}; ${calls.length} request${calls.length === 1 ? '' : 's'} to the sandbox` +
			`${runMs !== undefined ? `; workflow ran ${runMs} ms inside n8n` : ''}; \`n8n execute\` took ${secs(r.durationMs)}`,
	);
	const error = r.run.data.resultData.error;
	if (error) out(`Error: ${short(error.message, 400)}`);
}

let sandbox: Sandbox | undefined;
let home: N8nHome | undefined;

/** The demo in one n8n version; true when the workflow succeeded. */
async function demoIn(target: N8nTarget, tgz: string): Promise<boolean> {
	const wfFile = path.join(PROJECT_ROOT, 'examples', 'demo.workflow.json');
	const wf = JSON.parse(fs.readFileSync(wfFile, 'utf8')) as WorkflowInput;
	const versionStarted = Date.now();
	try {
		await step(`n8n ${target.n8n}${target.node ? ` on Node ${target.node}` : ''} (installed once into a cache folder)`, () => ensureN8n(log, target.n8n));
		home = await step('install the package into a fresh n8n home (as a community package)', () =>
			createN8nHome(tgz, { log, version: target.n8n }),
		);
		const sb = await step('start the Pumble sandbox', () => startSandbox());
		sandbox = sb;
		out(`  sandbox at ${sb.url}`);
		const h = home;
		await step('import the credential "Pumble sandbox"', () => importCredentials(h, [sandboxCredential(sb.apiKey, sb.url)]));
		await step(`import ${path.relative(PROJECT_ROOT, wfFile)}`, () => importWorkflow(h, wf));
		const r = await step(`run the workflow (n8n execute --id=${wf.id})`, () =>
			executeWorkflow(h, wf.id, { allowFailure: true }),
		);
		printSummary(target, wf, r, sb, sb.url);
		const ok = r.code === 0 && r.run.status === 'success' && !r.run.data.resultData.error;
		out(`n8n ${target.n8n}: ${secs(Date.now() - versionStarted)} — ${ok ? 'demo succeeded' : 'demo FAILED'}`);
		if (!ok && r.code !== 0) out(`n8n exited with ${r.code}; stderr tail:\n${r.stderr.trimEnd().split('\n').slice(-15).join('\n')}`);
		return ok;
	} catch (err) {
		out(`\ndemo FAILED in n8n ${target.n8n} after ${secs(Date.now() - versionStarted)}:\n${err instanceof Error ? err.message : String(err)}`);
		return false;
	} finally {
		await sandbox?.close().catch(() => undefined);
		await home?.cleanup().catch(() => undefined);
		sandbox = undefined;
		home = undefined;
	}
}

async function main(): Promise<number> {
	installSignalHandlers(async () => {
		await sandbox?.close();
	});
	try {
		const targets = selectedVersions();
		const tgz = await step(`build and pack ${PACKAGE_NAME}`, () => packPackage({ log }));
		const failed: string[] = [];
		for (const target of targets) {
			out('');
			if (!(await demoIn(target, tgz))) failed.push(target.n8n);
		}
		out(
			`Total: ${secs(Date.now() - started)} — ${failed.length === 0 ? `demo succeeded in n8n ${targets.map((t) => t.n8n).join(', ')}` : `demo FAILED in n8n ${failed.join(', ')}`}`,
		);
		return failed.length === 0 ? 0 : 1;
	} catch (err) {
		out(`\ndemo FAILED after ${secs(Date.now() - started)}:\n${err instanceof Error ? err.message : String(err)}`);
		return 1;
	} finally {
		await cleanupAll(log);
	}
}

void main().then((code) => process.exit(code));
