/**
 * `npm run bench [-- --scale 10 --only a,b --out bench/results --reserve N]`
 *
 * `--reserve N` sets the credential's "Reserved for Other Workflows (%)" (default: the field's default; 0: off).
 *
 * Without --only, the 10,000-item load run (bench/load.ts) follows the scenarios.
 *
 * Runs the scenarios of bench/scenarios.ts against the Pumble sandbox with time scaled down (default ×10:
 * Pumble's 1000 requests per 60 s become 1000 per 6 s, and every latency is divided by the same factor
 * so the latency : window ratio — which decides efficiency — stays that of the real API). The sandbox
 * runs in this process; each scenario's client runs in its own child process (bench/worker.ts), so its
 * peak RSS is its own and the sandbox's CPU does not slow it. Prints a table, writes
 * `<out>/latest.json` and `<out>/latest.svg`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

import { keyHash, startSandbox, type Sandbox } from '../sandbox';
import { Input } from '../sandbox/validation';
import { ITEM_CONCURRENCY } from '../core/lanes/runner';
import { busiestWindow, histogram, idealMs as idealWallMs, orderingCeiling, outOfOrder, trailingWindow } from './lib/analyze';
import { loadMain } from './load';
import { redisServerAvailable, startRedisServer, type RedisServer } from './lib/redis';
import { renderChart, type Panel } from './lib/svg';
import { PUMBLE_LIMIT, PUMBLE_WINDOW_MS, SCENARIOS, settingsOf, type ErrorSetting, type Scenario } from './scenarios';
import { startWorker, type RunningWorker } from './lib/workers';

const ROOT = resolve(__dirname, '..');

interface Options {
	/** Time scale of scenarios that do not set their own. */
	scale: number;
	/** Time scale of every scenario, overriding their own. */
	forceScale?: number;
	only?: string[];
	all?: boolean;
	out: string;
	/** The credential's "Reserved for Other Workflows (%)"; undefined: the field's default. */
	reservePercent?: number;
}

function parseArgs(argv: string[]): Options {
	const options: Options = { scale: 10, out: join(ROOT, 'bench', 'results') };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => inline ?? argv[++i];
		if (flag === '--scale') options.scale = Number(value());
		else if (flag === '--scale-all') options.forceScale = Number(value());
		else if (flag === '--only') options.only = value().split(',').map((s) => s.trim());
		else if (flag === '--all') options.all = true;
		else if (flag === '--quick') options.forceScale = 10;
		else if (flag === '--out') options.out = resolve(value());
		else if (flag === '--reserve') options.reservePercent = Number(value());
		else if (flag === '--help') {
			console.log('npm run bench -- [--scale 10] [--scale-all N | --quick] [--only name,name | --all] [--out bench/results] [--reserve N]');
			console.log('scenarios: ' + SCENARIOS.map((s) => s.name).join(', '));
			process.exit(0);
		} else throw new Error(`unknown argument ${argv[i]}`);
	}
	if (!(options.scale >= 1) || (options.forceScale !== undefined && !(options.forceScale >= 1))) throw new Error('scales must be ≥ 1');
	return options;
}

export interface ScenarioReport {
	name: string;
	title: string;
	kind: Scenario['kind'];
	/** The node's "On Error" setting in this run. */
	setting: ErrorSetting;
	/** Real time ÷ this = simulated time. */
	timeScale: number;
	windowMs: number;
	processes: number;
	items: number;
	channels: number;
	latencyMs: number;
	simulatedLatencyMs: number;
	/** The limit that binds: the user's 1000, or the hidden per-operation one. */
	bindingLimit: number;
	wallMs: number;
	wallSimulatedS: number;
	idealMs: number;
	efficiency: number;
	/** The best efficiency per-channel ordering allows (lanes × 1/latency), when it binds. */
	orderingCeiling: number | null;
	http429: number;
	itemsFailed: number;
	itemsOutOfOrder: number;
	messagesDelivered: number | null;
	/** The limiter alone, measured in the scenario's processes and mode: ms added per request, CPU ms per request. */
	limiterOverhead: { latencyMs: number; cpuMs: number; mode: 'cluster' | 'local' } | null;
	/** In the run: median ms from schedule to dispatch when budget was free (includes event-loop lag under load). */
	inRunWaitMsP50: number;
	peakRssMb: number;
	cpuMs: { clients: number[]; sandbox: number };
	busiestWindow: number;
	busiestWindowLimit: number;
	rateLimitedRetries: { request: number; operation: number; user: number };
	perProcess: Array<{ label: string; items: number; failed: number; accepted: number; firstS: number; lastS: number; viaRedis: number; viaLocal: number; peakRssMb: number }>;
	learned: Record<string, number | undefined>;
	errors: string[];
	note?: string;
	series: { binSeconds: number; accepted: number[]; refused: number[]; trailing: number[] };
	skipped?: string;
}

const BENCH_USERS = ['ada', 'bob'] as const;
type BenchUser = (typeof BENCH_USERS)[number];
const EXTRA_KEY_COUNT = 3;
const extraKey = (user: BenchUser, n: number) => `pumble-bench-key-${user}-${n}`;

interface Prepared {
	scenario: Scenario;
	setting: ErrorSetting;
	scale: number;
	windowMs: number;
	user: BenchUser;
	keys: string[];
	workers: RunningWorker[];
	ready: Promise<number>;
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const chosen = SCENARIOS.filter((s) => (options.only ? options.only.includes(s.name) : options.all || !s.optional));
	if (chosen.length === 0) throw new Error(`no scenario matches ${options.only?.join(',')}`);
	// Every node scenario runs in each of its error settings, one after the other.
	const scenarios = chosen.flatMap((scenario) => settingsOf(scenario).map((setting) => ({ scenario, setting })));

	const sandbox = await startSandbox({
		rateLimit: { limit: PUMBLE_LIMIT, windowMs: PUMBLE_WINDOW_MS / options.scale },
		extraKeys: Object.fromEntries(
			BENCH_USERS.flatMap((user) => Array.from({ length: EXTRA_KEY_COUNT }, (_, i) => [extraKey(user, i + 2), user] as const)),
		),
		seedMessages: 0,
	});
	let redis: RedisServer | undefined;
	const reports: ScenarioReport[] = [];
	const started = Date.now();
	console.log(
		`Pumble rate-limit benchmark: ${PUMBLE_LIMIT} requests per window (Pumble: 60 s), time and latencies ÷ the scenario's scale ` +
			`(default ${options.scale}), item concurrency ${ITEM_CONCURRENCY}, node ${process.version}, ${cpus().length} CPUs`,
	);

	// Each scenario's processes start (and learn their user: one /myInfo) while the previous one runs;
	// consecutive scenarios use different sandbox users, so a warm-up never touches the running budget.
	const prepare = async (index: number): Promise<Prepared | ScenarioReport> => {
		const { scenario, setting } = scenarios[index];
		const scale = options.forceScale ?? scenario.timeScale ?? options.scale;
		if ((scenario.processes ?? 1) > 1 && !redis) {
			if (!redisServerAvailable()) return skippedReport(scenario, setting, scale, 'redis-server is not installed (apt-get install -y redis-server)');
			redis = await startRedisServer();
		}
		const user = BENCH_USERS[index % BENCH_USERS.length];
		const processes = scenario.processes ?? 1;
		const keys = [sandbox.keys[user], ...Array.from({ length: EXTRA_KEY_COUNT }, (_, i) => extraKey(user, i + 2))].slice(0, processes);
		if (keys.length < processes) throw new Error(`at most ${EXTRA_KEY_COUNT + 1} processes per scenario`);
		const windowMs = PUMBLE_WINDOW_MS / scale;
		const workers = keys.map((apiKey, p) =>
			startWorker(
				{
					kind: scenario.kind,
					path: 'execute',
					continueOnFail: setting === 'continueOnFail',
					label: processes > 1 ? `${scenario.name}#${p + 1}` : scenario.name,
					baseUrl: sandbox.url,
					apiKey,
					items: scenario.items,
					limit: PUMBLE_LIMIT,
					windowMs,
					timeoutMs: 30_000 / scale,
					...(options.reservePercent === undefined ? {} : { reservePercent: options.reservePercent }),
				},
				processes > 1 ? redis?.url : undefined,
			),
		);
		const ready = Promise.all(workers.map((w) => w.ready)).then(() => Date.now());
		return { scenario, setting, scale, windowMs, user, keys, workers, ready };
	};

	try {
		let next = prepare(0);
		for (let index = 0; index < scenarios.length; index++) {
			const prepared = await next;
			if (!('workers' in prepared)) {
				reports.push(prepared);
				console.log(`… ${prepared.name} skipped: ${prepared.skipped}`);
				if (index + 1 < scenarios.length) next = prepare(index + 1);
				continue;
			}
			process.stdout.write(`… ${prepared.scenario.name} [${prepared.setting}] (÷${prepared.scale}) `);
			const report = await runScenario(prepared, sandbox, () => {
				if (index + 1 < scenarios.length) next = prepare(index + 1);
			});
			reports.push(report);
			console.log(`${report.wallSimulatedS.toFixed(1)} s simulated, efficiency ${report.efficiency.toFixed(3)}`);
		}
	} finally {
		await redis?.stop();
		await sandbox.close();
	}

	const table = formatTable(reports);
	console.log('\n' + table + '\n');
	const notes = explain(reports);
	console.log(notes);

	mkdirSync(options.out, { recursive: true });
	const json = {
		generatedAt: new Date().toISOString(),
		durationS: Math.round((Date.now() - started) / 1000),
		node: process.version,
		cpus: cpus().length,
		defaultTimeScale: options.scale,
		limit: PUMBLE_LIMIT,
		pumbleWindowMs: PUMBLE_WINDOW_MS,
		itemConcurrency: ITEM_CONCURRENCY,
		efficiencyDefinition:
			'ideal ÷ wall, ideal = (ceil(items ÷ limit) − 1) × window + latency: the least time a rolling limit-per-window allows for that many requests, plus the last answer',
		table,
		notes,
		scenarios: reports,
	};
	writeFileSync(join(options.out, 'latest.json'), JSON.stringify(json, null, '\t') + '\n');
	writeFileSync(join(options.out, 'latest.svg'), chart(reports));
	console.log(`wrote ${join(options.out, 'latest.json')} and latest.svg`);
	if (!options.only) {
		console.log('\n… the 10,000-item load run (bench/load.ts)');
		await loadMain([]);
	}
}

async function runScenario(prepared: Prepared, sandbox: Sandbox, started: () => void): Promise<ScenarioReport> {
	const { scenario, setting, scale, windowMs, keys, workers } = prepared;
	const processes = workers.length;
	const latency = scenario.latencyMs / scale;
	const warmedAt = await prepared.ready;
	// The warm-up's /myInfo unit must be back before the run starts (it was taken within the last window).
	const wait = warmedAt + windowMs + 100 - Date.now();
	if (wait > 0) await new Promise((r) => setTimeout(r, wait));
	sandbox.configure({
		rateLimit: { limit: PUMBLE_LIMIT, windowMs },
		latencyMs: latency,
		operationLimits: scenario.hiddenSendLimit ? { sendMessage: { limit: scenario.hiddenSendLimit, windowMs } } : {},
		faults: scenario.faults ? { ...scenario.faults, seed: 1 } : undefined,
	});
	sandbox.reset();
	const actor = sandbox.state.userById(sandbox.ids[prepared.user])!;
	const channelIds = workers.map((_, p) =>
		Array.from(
			{ length: scenario.channels },
			(__, c) => sandbox.state.createChannel(actor, Input.fromBody({ name: `bench-${prepared.user}-${p + 1}-${c + 1}`, type: 'PUBLIC' })).id,
		),
	);
	const sandboxCpuBefore = process.cpuUsage();
	workers.forEach((w, p) => w.go({ channelIds: channelIds[p] }));
	started();
	const results = await Promise.all(workers.map((w) => w.result));
	const sandboxCpu = process.cpuUsage(sandboxCpuBefore);

	const mine = new Set(keys.map((key) => keyHash(key)));
	const log = sandbox.log.filter((e) => e.keyHash !== null && mine.has(e.keyHash));
	const startedAt = Math.min(...results.map((r) => r.startedAt));
	const endedAt = Math.max(...results.map((r) => r.endedAt));
	const wallMs = endedAt - startedAt;
	const totalItems = scenario.items * processes;
	const bindingLimit = scenario.hiddenSendLimit ?? PUMBLE_LIMIT;
	const idealMs = idealWallMs(totalItems, bindingLimit, windowMs, latency);
	const answered = log.filter((e) => e.status !== 0);
	const accepted = answered.filter((e) => e.status !== 429);
	const refused = answered.filter((e) => e.status === 429);
	const countedForLimit = scenario.hiddenSendLimit ? accepted.filter((e) => e.path === '/sendMessage') : accepted;

	// Message order per channel, as the server stored them.
	const sends = scenario.kind !== 'node-reads';
	const channelSet = new Set(channelIds.flat());
	const sequence = sandbox.state.messages
		.filter((m) => channelSet.has(m.channelId))
		.map((m) => ({ channel: m.channelId, match: /item (\d+)$/.exec(m.text ?? '') }))
		.filter((m): m is { channel: string; match: RegExpExecArray } => m.match !== null)
		.map((m) => ({ channel: m.channel, item: Number(m.match[1]) }));

	const binMs = windowMs / 60; // one simulated second
	const to = Math.max(endedAt, ...log.map((e) => e.ts)) + binMs;
	const acceptedTimes = countedForLimit.map((e) => e.ts);
	const lanes = scenario.kind === 'node-sends' ? scenario.channels * processes : null;
	return {
		name: scenario.name,
		title: scenario.title,
		kind: scenario.kind,
		setting,
		timeScale: scale,
		windowMs,
		processes,
		items: totalItems,
		channels: scenario.channels * processes,
		latencyMs: scenario.latencyMs,
		simulatedLatencyMs: latency,
		bindingLimit,
		wallMs,
		wallSimulatedS: (wallMs * scale) / 1000,
		idealMs,
		efficiency: idealMs / wallMs,
		orderingCeiling: lanes && !scenario.hiddenSendLimit ? orderingCeiling(totalItems, bindingLimit, windowMs, latency, lanes, idealMs) : null,
		http429: refused.length,
		itemsFailed: results.reduce((n, r) => n + r.failed, 0),
		itemsOutOfOrder: sends ? outOfOrder(sequence) : 0,
		messagesDelivered: sends ? sequence.length : null,
		limiterOverhead: results[0].limiterOverhead
			? {
					latencyMs: Math.max(...results.map((r) => r.limiterOverhead?.latencyMs ?? 0)),
					cpuMs: Math.max(...results.map((r) => r.limiterOverhead?.cpuMs ?? 0)),
					mode: results[0].limiterOverhead.mode,
				}
			: null,
		inRunWaitMsP50: Math.max(...results.map((r) => r.inRunWaitMs.p50)),
		peakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
		cpuMs: { clients: results.map((r) => r.cpuMs), sandbox: Math.round((sandboxCpu.user + sandboxCpu.system) / 1000) },
		busiestWindow: busiestWindow(acceptedTimes, windowMs),
		busiestWindowLimit: bindingLimit,
		rateLimitedRetries: {
			request: results.reduce((n, r) => n + r.rateLimited.request, 0),
			operation: results.reduce((n, r) => n + r.rateLimited.operation, 0),
			user: results.reduce((n, r) => n + r.rateLimited.user, 0),
		},
		perProcess: results.map((r, p) => {
			const own = accepted.filter((e) => e.keyHash === keyHash(keys[p]));
			return {
				label: r.label,
				items: r.items,
				failed: r.failed,
				accepted: own.length,
				firstS: own.length ? ((own[0].ts - startedAt) * scale) / 1000 : 0,
				lastS: own.length ? ((own[own.length - 1].ts - startedAt) * scale) / 1000 : 0,
				viaRedis: r.dispatched.cluster,
				viaLocal: r.dispatched.local,
				peakRssMb: r.peakRssMb,
			};
		}),
		learned: results[0]?.learned ?? {},
		errors: results.flatMap((r) => r.errors).slice(0, 5),
		note: scenario.note,
		series: {
			binSeconds: 1,
			accepted: histogram(acceptedTimes, startedAt, to, binMs),
			refused: histogram(refused.map((e) => e.ts), startedAt, to, binMs),
			trailing: trailingWindow(acceptedTimes, startedAt, to, binMs, windowMs),
		},
	};
}

function skippedReport(scenario: Scenario, setting: ErrorSetting, scale: number, reason: string): ScenarioReport {
	return {
		name: scenario.name,
		title: scenario.title,
		kind: scenario.kind,
		setting,
		timeScale: scale,
		windowMs: PUMBLE_WINDOW_MS / scale,
		processes: scenario.processes ?? 1,
		items: scenario.items * (scenario.processes ?? 1),
		channels: scenario.channels,
		latencyMs: scenario.latencyMs,
		simulatedLatencyMs: scenario.latencyMs / scale,
		bindingLimit: PUMBLE_LIMIT,
		wallMs: 0,
		wallSimulatedS: 0,
		idealMs: 0,
		efficiency: 0,
		orderingCeiling: null,
		http429: 0,
		itemsFailed: 0,
		itemsOutOfOrder: 0,
		messagesDelivered: null,
		limiterOverhead: null,
		inRunWaitMsP50: 0,
		peakRssMb: 0,
		cpuMs: { clients: [], sandbox: 0 },
		busiestWindow: 0,
		busiestWindowLimit: PUMBLE_LIMIT,
		rateLimitedRetries: { request: 0, operation: 0, user: 0 },
		perProcess: [],
		learned: {},
		errors: [],
		series: { binSeconds: 1, accepted: [], refused: [], trailing: [] },
		skipped: reason,
	};
}

function formatTable(reports: ScenarioReport[]): string {
	const header = ['scenario', 'On Error', 'scale', 'items', 'wall (s)', 'efficiency', 'ordering ceiling', '429s', 'failed', 'out of order', 'busiest window', 'limiter ms/req', 'peak RSS MB'];
	const rows = reports.map((r) =>
		r.skipped
			? [r.name, settingLabel(r), `÷${r.timeScale}`, String(r.items), 'skipped', '', '', '', '', '', '', '', '']
			: [
					r.name,
					settingLabel(r),
					`÷${r.timeScale}`,
					r.items.toLocaleString('en-US'),
					r.wallSimulatedS.toFixed(1),
					r.efficiency.toFixed(3),
					r.orderingCeiling === null ? '—' : r.orderingCeiling.toFixed(3),
					String(r.http429),
					String(r.itemsFailed),
					String(r.itemsOutOfOrder),
					`${r.busiestWindow} / ${r.busiestWindowLimit}`,
					r.limiterOverhead ? `${r.limiterOverhead.latencyMs.toFixed(2)} (${r.limiterOverhead.cpuMs.toFixed(2)} CPU)` : '—',
					r.peakRssMb.toFixed(0),
				],
	);
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
	const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
	return [line(header), '|' + widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|') + '|', ...rows.map(line)].join('\n');
}

function settingLabel(r: ScenarioReport): string {
	if (r.kind === 'naive-sends') return '—';
	return r.setting === 'continueOnFail' ? 'continue' : 'default';
}

function explain(reports: ScenarioReport[]): string {
	const lines = [
		'Time is scaled: at ÷10 the window is 6 s for Pumble\'s 60 s and every latency is ÷10 too (the latency : window ratio, which decides efficiency, stays real);',
		'  "wall" is in simulated seconds. What does not scale is this machine\'s cost per request (HTTP client, new connections, sandbox: ~1–1.5 ms CPU): at ÷10 a',
		'  burst of 1,000 takes 1–1.5 s of a 6 s window, ten times its real share. The scenarios that show the budget being filled therefore run unscaled (÷1).',
		'efficiency = ideal ÷ wall, ideal = (⌈items ÷ limit⌉ − 1) × window + latency: the rolling window lets the first 1,000 go at once, the next 1,000 one window later, …',
		'ordering ceiling = the best efficiency possible when each channel carries one message at a time (messages to one channel must arrive in item order): at most',
		'  lanes ÷ latency requests per second, so the last 1,000 take 1,000 × latency ÷ lanes after the budget returns. That is not a limiter cost: the only way past it',
		'  is sending a channel\'s next message before the previous one was answered, which could reorder them. Where ordering does not bind (100 channels, reads), the',
		'  budget is filled.',
		'busiest window = the most requests Pumble (the sandbox) accepted in any rolling window ÷ the limit that applies; it never exceeds it.',
		'limiter ms/req = what the limiter alone adds to a request, measured in the scenario\'s own process(es) and mode before the run, on a budget that never binds:',
		'  median ms from entering it to leaving it (Bottleneck\'s steps; with Redis its round trips), and in brackets the CPU ms it spends per request.',
	];
	for (const r of reports) {
		if (r.skipped) lines.push(`${r.name}: skipped — ${r.skipped}`);
		else if (r.note) lines.push(`${r.name}: ${r.note}.`);
		if (r.processes > 1 && !r.skipped) {
			for (const p of r.perProcess) {
				lines.push(
					`  ${p.label}: ${p.items} items, ${p.failed} failed, ${p.accepted} requests accepted from ${p.firstS.toFixed(1)} s to ${p.lastS.toFixed(1)} s, ${p.viaRedis} via Redis / ${p.viaLocal} local, peak RSS ${p.peakRssMb} MB`,
				);
			}
		}
		if (r.bindingLimit !== PUMBLE_LIMIT && !r.skipped) {
			const minutes = r.wallSimulatedS / 60;
			lines.push(
				`  ${r.http429} 429s in ${minutes.toFixed(1)} simulated minutes = ${(r.http429 / minutes).toFixed(1)} per minute; learned send limit at the end: ${r.learned.sendMessage ?? 'none'} per minute.`,
			);
		}
		if (r.errors.length > 0) lines.push(`  first errors: ${r.errors.join('; ')}`);
	}
	return lines.join('\n');
}

function chart(reports: ScenarioReport[]): string {
	const panels: Panel[] = reports
		.filter((r) => !r.skipped)
		.map((r) => ({
			title: `${r.title}${r.kind === 'naive-sends' ? '' : `, ${settingLabel(r)}`} (÷${r.timeScale}) — wall ${r.wallSimulatedS.toFixed(1)} s, efficiency ${r.efficiency.toFixed(3)}, ${r.http429} × 429, busiest window ${r.busiestWindow}`,
			binSeconds: r.series.binSeconds,
			bars: r.series.accepted,
			refused: r.series.refused,
			trailing: r.series.trailing,
			limit: r.bindingLimit,
			limitLabel: r.bindingLimit === PUMBLE_LIMIT ? `${PUMBLE_LIMIT} per minute per user` : `hidden ${r.bindingLimit} sends per minute`,
		}));
	return renderChart(
		'n8n-nodes-pumble: requests over time against the rate limit',
		'Sandbox with time scaled (shown in simulated seconds). Bars: requests accepted per second; line: requests in the trailing minute; dashed: the limit.',
		panels,
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
