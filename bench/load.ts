/**
 * Load: 10,000 items through ONE execution of the Pumble node — its real `execute`, in n8n-core's
 * ExecuteContext (test/helpers/runNode), over HTTP to the sandbox — measuring what the issue asks for:
 *
 * - peak memory: RSS and V8 heap, sampled every 20 ms, and what stays on the heap after the run (forced
 *   GC) beyond what the output itself takes — measured once the rate limiter's window has passed (it keeps
 *   each request's budget unit for a minute); a second, smaller run gives the per-item slope, so growth
 *   that is not the output (a leak per item) shows as a slope well above the output's bytes per item;
 * - unhandled promise rejections (counted; must be 0);
 * - event-loop delay (perf_hooks.monitorEventLoopDelay: max and p99; a stall shows as a long max).
 *
 * The node's process is a child of its own (like bench/worker.ts), so its memory is not the sandbox's.
 *
 *   npx tsx bench/load.ts                      10,000 sends to 100 channels, the budget raised (stress)
 *   npx tsx bench/load.ts --items 2000 --op list --channels 20
 *   npx tsx bench/load.ts --realistic          Pumble's 1000/min budget (takes ≈ 10 min for 10,000 sends)
 *   npx tsx bench/load.ts --items 2000 --no-slope --heap-snapshot /tmp/load   V8 heap snapshots before/after the run
 *
 * As a module: `runLoadScenario(options)` returns a LoadReport (and `formatLoadReport` a table), for the
 * benchmark runner; `LOAD_SCENARIO` is the default scenario's description.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';

const ROOT = resolve(__dirname, '..');

export type LoadOperation = 'send' | 'list';

export interface LoadOptions {
	items: number;
	channels: number;
	operation: LoadOperation;
	/** Pumble's real 1000/min budget instead of a raised one (then 10,000 sends take ≈ 10 minutes). */
	realistic?: boolean;
	/** Sandbox latency per request, ms (default 0: the node's own costs only). */
	latencyMs?: number;
	/** Also run `items / 5` items first and report the per-item heap slope between the two (default true). */
	slope?: boolean;
	/** Wait after each run before measuring what stays (default 61 s: the limiter's 60 s window + 1 s). */
	settleMs?: number;
	/** Write V8 heap snapshots `<prefix>-<items>-before.heapsnapshot` and `…-after…` around each run (to see what stays). */
	heapSnapshot?: string;
}

export const LOAD_SCENARIO: LoadOptions = { items: 10_000, channels: 100, operation: 'send', slope: true };

/** What one execution measured (in the child). */
export interface LoadRun {
	items: number;
	operation: LoadOperation;
	wallMs: number;
	outputItems: number;
	failedItems: number;
	/** JSON size of the output items. */
	outputBytes: number;
	heapBeforeMb: number;
	/** Heap right after the run (forced GC), the output still held: includes the limiter's units of the last window. */
	heapRightAfterMb: number;
	/** Heap once the limiter's window has passed (forced GC), the output still held. */
	heapAfterMb: number;
	/** heapAfter − heapBefore − outputBytes: what stays beyond the output. */
	retainedBeyondOutputMb: number;
	peakHeapMb: number;
	peakRssMb: number;
	eventLoopDelayMs: { max: number; p99: number; mean: number };
	unhandledRejections: number;
	requests: number;
}

export interface LoadReport {
	scenario: LoadOptions;
	run: LoadRun;
	/** The smaller run (items / 5), when `slope`. */
	small?: LoadRun;
	/** (heapAfter₁₀ₖ − heapAfter₂ₖ) / (8,000 items), bytes, against the output's own bytes per item. */
	slope?: { heapBytesPerItem: number; outputBytesPerItem: number };
	/** Sandbox side: messages created, requests received, 429s. */
	sandbox: { requests: number; messagesCreated: number; http429: number };
	verdict: { ok: boolean; reasons: string[] };
}

/** Bounds the verdict checks (generous: the machine is shared). */
export const LOAD_BOUNDS = {
	/** What stays on the heap beyond the output: a few caches, not per item. */
	retainedBeyondOutputMb: 48,
	/** Heap per item between the small and the big run, as a multiple of the output's bytes per item (+ 512 bytes). */
	slopeFactor: 3,
	/** No single event-loop stall longer than this. */
	eventLoopMaxMs: 1_000,
	peakRssMb: 1_024,
};

// ------------------------------------------------------------------------------------------ child

interface ChildConfig {
	baseUrl: string;
	apiKey: string;
	channelIds: string[];
	items: number;
	operation: LoadOperation;
	requestsPerMinute: number;
	/** Wait after the run before the last heap measurement (the limiter's window + margin). */
	settleMs: number;
	heapSnapshot?: string;
}

function exposeGc(): () => void {
	setFlagsFromString('--expose-gc');
	return runInNewContext('gc') as () => void;
}

/**
 * The heap in use once garbage is gone. One forced collection is not enough: V8 frees some garbage only in
 * a later one (after the 10,000-item run, about 10 MB was still counted after one gc() and gone after two
 * more), so a single gc() counted garbage as retained. Collects a few times, a moment apart, and takes the
 * lowest reading.
 */
async function liveHeap(gc: () => void, rounds = 4): Promise<number> {
	let lowest = Infinity;
	for (let round = 0; round < rounds; round++) {
		if (round > 0) await new Promise((done) => setTimeout(done, 100));
		gc();
		lowest = Math.min(lowest, process.memoryUsage().heapUsed);
	}
	return lowest;
}

async function childMain(config: ChildConfig): Promise<LoadRun> {
	const gc = exposeGc();
	let unhandledRejections = 0;
	process.on('unhandledRejection', (reason) => {
		unhandledRejections++;
		process.stderr.write(`unhandled rejection: ${String(reason)}\n`);
	});
	// Loaded here: the harness sets n8n's environment when imported.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { runNode: harness } = require('../test/helpers/runNode') as typeof import('../test/helpers/runNode');
	// Under tsx, '…/Pumble.node' resolves to Pumble.node.json (the codex file): name the .ts file.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Pumble } = require('../nodes/Pumble/Pumble.node.ts') as typeof import('../nodes/Pumble/Pumble.node');
	const node = new Pumble();
	const runNode = (options: Parameters<typeof harness>[0]) => harness({ node, ...options });

	const channel = { __rl: true, mode: 'id', value: '={{ $json.channelId }}' };
	const parameters =
		config.operation === 'send'
			? { resource: 'message', operation: 'send', channel, text: '={{ $json.text }}' }
			: { resource: 'message', operation: 'getAll', channel, returnAll: false, limit: 5, simplify: true };
	const items = Array.from({ length: config.items }, (_, i) => ({
		channelId: config.channelIds[i % config.channelIds.length],
		text: `load item ${i} of ${config.items}`,
	}));
	const credentials = { apiKey: config.apiKey, baseUrl: config.baseUrl, requestsPerMinute: config.requestsPerMinute, timeoutSeconds: 30 };

	// Warm up: code paths compiled, caches (key → user, channel list) filled; not measured.
	await runNode({ parameters, items: items.slice(0, 20), credentials, continueOnFail: true });
	const heapBefore = await liveHeap(gc);
	const snapshot = (when: string) => config.heapSnapshot && writeHeapSnapshot(`${config.heapSnapshot}-${config.items}-${when}.heapsnapshot`);
	snapshot('before');

	let peakHeap = 0;
	let peakRss = 0;
	const sample = () => {
		const usage = process.memoryUsage();
		peakHeap = Math.max(peakHeap, usage.heapUsed);
		peakRss = Math.max(peakRss, usage.rss);
	};
	const sampler = setInterval(sample, 20);
	const delay = monitorEventLoopDelay({ resolution: 10 });
	delay.enable();
	const started = performance.now();
	// Only the output is kept: the harness's result also holds the whole run as n8n records it (input items
	// included), which n8n hands on and drops; held here, it would count as the node's.
	const { output, failed } = await runNode({ parameters, items, credentials, continueOnFail: true }).then((result) => ({
		output: result.output,
		failed: result.error !== undefined,
	}));
	const wallMs = performance.now() - started;
	delay.disable();
	clearInterval(sampler);
	sample();

	const outputBytes = Buffer.byteLength(JSON.stringify(output));
	const failedItems = new Set(output.filter((item) => item.json.error).map((item) => JSON.stringify(item.pairedItem))).size + (failed ? config.items : 0);
	const heapRightAfter = await liveHeap(gc);
	// The rate limiter keeps each request's budget unit (with its timer) for one window after the answer:
	// memory per request of the last minute, released as the window moves on. Measure after it.
	await new Promise((done) => setTimeout(done, config.settleMs));
	const heapAfter = await liveHeap(gc);
	snapshot('after');
	const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
	const run: LoadRun = {
		items: config.items,
		operation: config.operation,
		wallMs: Math.round(wallMs),
		outputItems: output.length,
		failedItems,
		outputBytes,
		heapBeforeMb: mb(heapBefore),
		heapRightAfterMb: mb(heapRightAfter),
		heapAfterMb: mb(heapAfter),
		retainedBeyondOutputMb: mb(heapAfter - heapBefore - outputBytes),
		peakHeapMb: mb(peakHeap),
		peakRssMb: mb(Math.max(peakRss, process.resourceUsage().maxRSS * 1024)),
		eventLoopDelayMs: {
			max: Math.round(delay.max / 1e5) / 10,
			p99: Math.round(delay.percentile(99) / 1e5) / 10,
			mean: Math.round(delay.mean / 1e5) / 10,
		},
		unhandledRejections,
		requests: 0,
	};
	// Keep the output alive until measured.
	if (output.length < 0) console.log(output);
	return run;
}

// ------------------------------------------------------------------------------------------ parent

function runChild(config: ChildConfig): Promise<LoadRun> {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--child'], {
			cwd: ROOT,
			env: { ...process.env, LOAD_CHILD_CONFIG: JSON.stringify(config), PUMBLE_RATE_LIMIT_REDIS_URL: 'off' },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let result: LoadRun | undefined;
		createInterface({ input: child.stdout }).on('line', (line) => {
			if (line.startsWith('LOAD_RESULT ')) result = JSON.parse(line.slice('LOAD_RESULT '.length)) as LoadRun;
		});
		child.on('error', reject);
		child.on('exit', (code) => (result ? resolvePromise(result) : reject(new Error(`load child exited with ${code} without a result`))));
	});
}

/** Starts a sandbox, runs the scenario in a child process (twice with `slope`), checks the bounds. */
export async function runLoadScenario(options: LoadOptions = LOAD_SCENARIO): Promise<LoadReport> {
	const { startSandbox } = await import('../sandbox');
	const realistic = options.realistic === true;
	const sandbox = await startSandbox({
		rateLimit: realistic ? { limit: 1000, windowMs: 60_000 } : { limit: 10_000_000, windowMs: 60_000 },
		latencyMs: options.latencyMs ?? 0,
		seedMessages: 0,
	});
	try {
		const channelIds: string[] = [];
		for (let c = 0; c < options.channels; c++) {
			const id = `c10ad${c.toString(16).padStart(19, '0')}`;
			sandbox.state.channels.push({
				id,
				name: `load-${c}`,
				channelType: 'PUBLIC',
				description: '',
				creatorId: sandbox.ids.ada,
				createdMilli: Date.now() - 86_400_000,
				members: [sandbox.ids.ada],
				isArchived: false,
				isMain: false,
			});
			channelIds.push(id);
			if (options.operation === 'list') for (let m = 0; m < 10; m++) sandbox.postAs(sandbox.ids.ada, id, `history ${m}`);
		}
		const base = {
			baseUrl: sandbox.url,
			channelIds,
			operation: options.operation,
			requestsPerMinute: realistic ? 1000 : 10_000_000,
			settleMs: options.settleMs ?? 61_000,
			heapSnapshot: options.heapSnapshot,
		};

		let small: LoadRun | undefined;
		if (options.slope !== false) {
			const key = `pumble-load-small-${Date.now()}`;
			sandbox.configure({ extraKeys: { [key]: 'bob' } });
			small = await runChild({ ...base, apiKey: key, items: Math.max(100, Math.round(options.items / 5)) });
		}
		const logBefore = sandbox.log.length;
		const messagesBeforeBig = sandbox.state.messages.length;
		const key = `pumble-load-${Date.now()}`;
		sandbox.configure({ extraKeys: { [key]: 'ada' } });
		const run = await runChild({ ...base, apiKey: key, items: options.items });
		run.requests = sandbox.log.length - logBefore;

		const reasons: string[] = [];
		const check = (ok: boolean, reason: string) => void (ok || reasons.push(reason));
		check(run.failedItems === 0, `${run.failedItems} items failed`);
		check(run.unhandledRejections === 0, `${run.unhandledRejections} unhandled rejections`);
		check(run.eventLoopDelayMs.max <= LOAD_BOUNDS.eventLoopMaxMs, `event loop stalled ${run.eventLoopDelayMs.max} ms`);
		check(run.retainedBeyondOutputMb <= LOAD_BOUNDS.retainedBeyondOutputMb, `${run.retainedBeyondOutputMb} MB retained beyond the output`);
		check(run.peakRssMb <= LOAD_BOUNDS.peakRssMb, `peak RSS ${run.peakRssMb} MB`);
		let slope: LoadReport['slope'];
		if (small) {
			const heapBytesPerItem = Math.round(((run.heapAfterMb - run.heapBeforeMb - (small.heapAfterMb - small.heapBeforeMb)) * 1_048_576) / (run.items - small.items));
			const outputBytesPerItem = Math.round((run.outputBytes - small.outputBytes) / (run.items - small.items));
			slope = { heapBytesPerItem, outputBytesPerItem };
			check(heapBytesPerItem <= LOAD_BOUNDS.slopeFactor * outputBytesPerItem + 512, `heap grows ${heapBytesPerItem} B per item, the output ${outputBytesPerItem} B`);
		}
		return {
			scenario: options,
			run,
			small,
			slope,
			sandbox: {
				requests: run.requests,
				messagesCreated: sandbox.state.messages.length - messagesBeforeBig,
				http429: sandbox.log.slice(logBefore).filter((entry) => entry.status === 429).length,
			},
			verdict: { ok: reasons.length === 0, reasons },
		};
	} finally {
		await sandbox.close();
	}
}

/** The report as the benchmark's table rows. */
export function formatLoadReport(report: LoadReport): string {
	const { run, small, slope, sandbox, scenario } = report;
	const rows: Array<[string, string]> = [
		['scenario', `${scenario.items.toLocaleString('en')} × ${scenario.operation}, ${scenario.channels} channels, one execution${scenario.realistic ? ', 1000/min budget' : ', budget raised'}`],
		['wall time', `${(run.wallMs / 1000).toFixed(1)} s (${Math.round((run.items / run.wallMs) * 1000)} items/s)`],
		['items failed', String(run.failedItems)],
		['requests / 429s', `${sandbox.requests} / ${sandbox.http429}`],
		['peak RSS', `${run.peakRssMb} MB`],
		['peak heap', `${run.peakHeapMb} MB (before ${run.heapBeforeMb} MB)`],
		['output', `${(run.outputBytes / 1_048_576).toFixed(1)} MB JSON, ${run.outputItems} items`],
		['heap right after (GC)', `${run.heapRightAfterMb} MB (the limiter's units of the last minute: ${Math.round(((run.heapRightAfterMb - run.heapAfterMb) * 1_048_576) / Math.max(1, sandbox.requests))} B per request)`],
		['heap a window later (GC)', `${run.heapAfterMb} MB: ${run.retainedBeyondOutputMb} MB beyond before + output`],
		...(slope && small ? ([['heap per item (2k → 10k)', `${slope.heapBytesPerItem} B; output ${slope.outputBytesPerItem} B per item`]] as Array<[string, string]>) : []),
		['event-loop delay', `max ${run.eventLoopDelayMs.max} ms, p99 ${run.eventLoopDelayMs.p99} ms, mean ${run.eventLoopDelayMs.mean} ms`],
		['unhandled rejections', String(run.unhandledRejections)],
		['verdict', report.verdict.ok ? 'ok (within bounds)' : `NOT OK: ${report.verdict.reasons.join('; ')}`],
	];
	const width = Math.max(...rows.map(([k]) => k.length));
	return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

// ------------------------------------------------------------------------------------------ CLI

/** The command line (`npx tsx bench/load.ts …`); `npm run bench` runs it with no arguments after the scenarios. */
export async function loadMain(argv: string[]): Promise<void> {
	if (argv.includes('--child')) {
		const run = await childMain(JSON.parse(process.env.LOAD_CHILD_CONFIG ?? '{}') as ChildConfig);
		process.stdout.write(`LOAD_RESULT ${JSON.stringify(run)}\n`);
		process.exit(0);
	}
	const options: LoadOptions = { ...LOAD_SCENARIO };
	let out: string | undefined = join(ROOT, 'bench', 'results', 'load-latest.json');
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--items') options.items = Number(argv[++i]);
		else if (flag === '--channels') options.channels = Number(argv[++i]);
		else if (flag === '--op') options.operation = argv[++i] as LoadOperation;
		else if (flag === '--latency-ms') options.latencyMs = Number(argv[++i]);
		else if (flag === '--realistic') options.realistic = true;
		else if (flag === '--no-slope') options.slope = false;
		else if (flag === '--settle-ms') options.settleMs = Number(argv[++i]);
		else if (flag === '--heap-snapshot') options.heapSnapshot = resolve(argv[++i]);
		else if (flag === '--out') out = argv[++i] === '-' ? undefined : resolve(argv[i]);
		else throw new Error(`unknown argument ${flag} (--items N --channels N --op send|list --latency-ms N --realistic --no-slope --settle-ms N --heap-snapshot prefix --out file|-)`);
	}
	const report = await runLoadScenario(options);
	console.log(formatLoadReport(report));
	if (out) {
		mkdirSync(resolve(out, '..'), { recursive: true });
		writeFileSync(out, `${JSON.stringify({ generatedAt: new Date().toISOString(), node: process.version, ...report }, null, 2)}\n`);
		console.log(`\nwritten to ${out}`);
	}
	process.exitCode = report.verdict.ok ? 0 : 1;
}

if (require.main === module) {
	loadMain(process.argv.slice(2)).catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
