/**
 * The key stays secret inside a real n8n (each version `npm run test:e2e` runs). With a recognisable API key (and a recognisable wrong
 * one), every operation of the Pumble node runs in `n8n execute`: on its success path, on Pumble's error
 * answers (Continue On Fail), through injected faults, with the wrong key, and once as a failing workflow
 * (exit code 1, the error printed by n8n). n8n logs at debug level to the console and to its log file.
 * Then the key is looked for in everything: the full stdout and stderr of every n8n command, the run
 * data, and every file n8n wrote (database, WAL, logs, config) — nowhere may it appear.
 *
 * First run on a fresh machine installs n8n into ~/.cache/n8n-nodes-pumble (≈ 6 min).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../../sandbox';
import {
	cleanupAll,
	createN8nHome,
	ensureN8n,
	importCredentials,
	importWorkflow,
	packPackage,
	runN8n,
	type CommandResult,
	type NodeRun,
	type N8nHome,
	type WorkflowInput,
} from '../../scripts/lib/n8n';
import { chain, PUMBLE_NODE_TYPE } from '../../scripts/lib/workflows';
import { allOperations, NOWHERE, prepare, rl } from '../helpers/allOperations';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const SETUP_TIMEOUT = 20 * 60_000;
const TAIL = Math.random().toString(36).slice(2, 12) + Math.random().toString(36).slice(2, 12);
const SECRET_KEY = `PUMBLE-E2E-SECRET-${TAIL}`;
const WRONG_KEY = `PUMBLE-E2E-WRONG-${TAIL.split('').reverse().join('')}`;
const NEEDLES = [SECRET_KEY, WRONG_KEY, TAIL, TAIL.split('').reverse().join('')];

const GOOD = { id: 'pumbleSecret01', name: 'Pumble (recognisable key)' };
const BAD = { id: 'pumbleWrong01', name: 'Pumble (wrong key)' };

let sandbox: Sandbox;
let home: N8nHome;
const runs: Run[] = [];

interface Run extends CommandResult {
	runData: Record<string, NodeRun[]>;
}

/**
 * `n8n execute` at debug level: n8n then logs the run data as one coloured log entry (`HH:MM:SS info {` …
 * `} { "file": … }`) instead of bare lines, so it is read from there. Non-zero exits are kept (one
 * workflow is meant to fail).
 */
async function execute(id: string, timeoutMs = 180_000): Promise<Run> {
	const result = await runN8n(home, ['execute', `--id=${id}`, '--rawOutput'], timeoutMs);
	// eslint-disable-next-line no-control-regex
	const lines = result.stdout.replace(/\u001b\[[0-9;]*m/g, '').split(/\r?\n/);
	const first = lines.findIndex((line) => /\binfo\s+\{$/.test(line));
	const last = lines.findIndex((line, i) => i > first && /^\}( \{.*\})?$/.test(line));
	let runData: Record<string, NodeRun[]> = {};
	if (first >= 0 && last > first) {
		const text = ['{', ...lines.slice(first + 1, last), '}'].join('\n');
		runData = (JSON.parse(text) as { data?: { resultData?: { runData?: Record<string, NodeRun[]> } } }).data?.resultData?.runData ?? {};
	}
	return { ...result, runData };
}

function uuid(n: number): string {
	return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Manual Trigger → one Pumble node per case, each run once; `continueOnFail` as n8n's "On Error: Continue". */
function workflow(id: string, name: string, cases: Array<{ name: string; parameters: Record<string, unknown> }>, credential: { id: string; name: string }, continueOnFail: boolean): WorkflowInput {
	const nodes = [
		{ id: uuid(1), name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		...cases.map((c, i) => ({
			id: uuid(i + 2),
			name: c.name,
			type: PUMBLE_NODE_TYPE,
			typeVersion: 1,
			position: [(i + 1) * 220, 0],
			parameters: c.parameters,
			credentials: { pumbleApi: credential },
			executeOnce: true,
			alwaysOutputData: true,
			...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		})),
	];
	return { id, name, nodes, connections: chain(nodes.map((n) => n.name)), active: false, settings: { executionOrder: 'v1' }, pinData: {} };
}

beforeAll(async () => {
	await ensureN8n();
	const tgz = await packPackage();
	home = await createN8nHome(tgz, { env: { N8N_LOG_LEVEL: 'debug', N8N_LOG_OUTPUT: 'console,file' } });
	sandbox = await startSandbox({ faults: { rate: 0, kinds: [], slowMs: 1_500 } });
	sandbox.configure({ extraKeys: { [SECRET_KEY]: 'ada' } });
	await importCredentials(home, [
		{ ...GOOD, type: 'pumbleApi', data: { apiKey: SECRET_KEY, baseUrl: sandbox.url, advanced: true, timeoutSeconds: 1 } },
		{ ...BAD, type: 'pumbleApi', data: { apiKey: WRONG_KEY, baseUrl: sandbox.url } },
	]);

	const prepared = prepare(sandbox);
	const ops = allOperations(sandbox, prepared);
	const success = ops.map((op) => ({ name: `ok ${op.name}`, parameters: op.ok }));
	const failing = ops.map((op) => ({ name: `fails ${op.name}`, parameters: op.fails }));
	const workflows = {
		success: workflow('e2eSecretOk01', 'Secret sweep: success', success, GOOD, true),
		errors: workflow('e2eSecretErr01', 'Secret sweep: error answers', failing, GOOD, true),
		faults: workflow('e2eSecretFault01', 'Secret sweep: faults', success, GOOD, true),
		wrongKey: workflow('e2eSecretWrong01', 'Secret sweep: wrong key', success, BAD, true),
		stops: workflow('e2eSecretStop01', 'Secret sweep: a failing workflow', [{ name: 'reply to nothing', parameters: { resource: 'message', operation: 'reply', channel: rl(sandbox.ids.random), messageId: NOWHERE, text: 'x' } }], GOOD, false),
	};
	for (const wf of Object.values(workflows)) await importWorkflow(home, wf);

	runs.push(await execute(workflows.success.id));
	runs.push(await execute(workflows.errors.id));
	sandbox.configure({ faults: { rate: 0.4, kinds: ['500', '502', '503', 'reset-before', 'reset-after', 'slow', 'malformed-json', 'html-error', 'empty-body'], seed: 11, slowMs: 1_500 } });
	prepare(sandbox);
	runs.push(await execute(workflows.faults.id, 600_000));
	sandbox.configure({ faults: undefined });
	runs.push(await execute(workflows.wrongKey.id));
	runs.push(await execute(workflows.stops.id));
}, SETUP_TIMEOUT);

afterAll(async () => {
	await sandbox?.close();
	await home?.cleanup();
	await cleanupAll();
}, 60_000);

/** Every file under the n8n home, except the installed package itself. */
function n8nFiles(): string[] {
	const skip = path.join(home.dir, '.n8n', 'nodes') + path.sep;
	return fs
		.readdirSync(home.dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.join(entry.parentPath, entry.name))
		.filter((file) => !file.startsWith(skip));
}

describe('the API key inside a real n8n: nowhere', () => {
	it('the runs did what they were meant to (success, error items, faults, wrong key, a failed workflow)', () => {
		const [success, errors, faults, wrongKey, stops] = runs;
		for (const run of [success, errors, faults, wrongKey]) expect(Object.keys(run.runData).length).toBeGreaterThan(25);
		expect(success.code).toBe(0);
		const okItems = Object.entries(success.runData).filter(([node]) => node.startsWith('ok ')).flatMap(([, r]) => r[0]?.data?.main?.[0] ?? []);
		expect(okItems.filter((item) => item.json.error)).toEqual([]);
		const errorItems = Object.entries(errors.runData).filter(([node]) => node.startsWith('fails ')).flatMap(([, r]) => r[0]?.data?.main?.[0] ?? []);
		expect(errorItems.filter((item) => item.json.error).length).toBeGreaterThan(15);
		const wrongItems = Object.values(wrongKey.runData).flatMap((r) => r[0]?.data?.main?.[0] ?? []);
		expect(wrongItems.filter((item) => item.json.error).length).toBeGreaterThan(20);
		expect(stops.code).not.toBe(0);
		expect(stops.stdout + stops.stderr).toMatch(/sendReply failed|Not found|could not find/i);
		expect(sandbox.log.some((entry) => entry.fault)).toBe(true);
	});

	it('not in the stdout or stderr of any n8n command (import, execute, at debug level)', () => {
		expect(home.transcripts.length).toBeGreaterThanOrEqual(8);
		for (const t of home.transcripts) {
			for (const needle of NEEDLES) {
				expect({ command: t.command, stream: 'stdout', leaked: t.stdout.includes(needle) }).toEqual({ command: t.command, stream: 'stdout', leaked: false });
				expect({ command: t.command, stream: 'stderr', leaked: t.stderr.includes(needle) }).toEqual({ command: t.command, stream: 'stderr', leaked: false });
			}
		}
	});

	it('not in any file n8n wrote: database (credentials stay encrypted), WAL, log files, config', () => {
		const files = n8nFiles();
		expect(files.some((file) => file.endsWith('database.sqlite'))).toBe(true);
		expect(files.some((file) => /\.log$/.test(file) || file.includes(`${path.sep}logs${path.sep}`))).toBe(true);
		for (const file of files) {
			const content = fs.readFileSync(file);
			for (const needle of NEEDLES) {
				expect({ file: path.relative(home.dir, file), leaked: content.includes(needle) }).toEqual({ file: path.relative(home.dir, file), leaked: false });
			}
		}
	});

	it('not in the sandbox\'s own log (it keeps a hash)', () => {
		const text = JSON.stringify(sandbox.log);
		for (const needle of NEEDLES) expect(text.includes(needle)).toBe(false);
		expect(sandbox.log.every((entry) => entry.headerName === 'ApiKey')).toBe(true);
	});
});
