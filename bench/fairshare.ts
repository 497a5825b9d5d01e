/**
 * `npm run bench:fairshare`: one Pumble user's budget shared by a bulk workflow and an alert workflow,
 * through the node's own execute() (n8n-core's execution machinery, as bench/run.ts), unscaled: the sandbox
 * at 100 ms latency and Pumble's 1,000 per rolling 60 s. The bulk sends 3,000 messages over 10 channels; from
 * 15 s after the start an alert workflow sends one message every 5 s (12 alerts, each its own execution).
 *
 * Two setups: `local` — both workflows in one process (one n8n); `redis` — two processes sharing the budget
 * through a throwaway redis-server (two queue-mode workers: one runs the bulk, the other the alerts).
 * `--reserve N` sets the credential's "Reserved for Other Workflows (%)" (default: the field's default).
 *
 * Everything is read from the sandbox: an alert's latency = its message's arrival − its execution's start;
 * the bulk's wall = its first accepted request → its last answer; efficiency = ideal ÷ wall; the ordering
 * ceiling as in bench/README.md, for the bulk alone and for the user's whole traffic (bulk + alerts, which
 * share the budget); the busiest rolling window over all of the user's accepted requests; 429s; each
 * message stored exactly once. Prints a table, writes bench/results/fairshare-<label>.json.
 *
 *   npm run bench:fairshare -- --setup local,redis [--label new] [--reserve 5]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';

import { keyHash, startSandbox, type Sandbox } from '../sandbox';
import { Input } from '../sandbox/validation';
import { ALERTS, CHANNELS, ITEMS, LATENCY_MS, shareFigures, type ShareFigures } from './lib/fairshareCase';
import { startRedisServer, type RedisServer } from './lib/redis';
import { startWorker, type RunningWorker, type WorkerConfig } from './lib/workers';
import { PUMBLE_LIMIT, PUMBLE_WINDOW_MS } from './scenarios';

const args = process.argv.slice(2);
const option = (name: string) => {
	const at = args.indexOf(`--${name}`);
	return at >= 0 ? args[at + 1] : undefined;
};
const setups = (option('setup') ?? 'local,redis').split(',') as Array<'local' | 'redis'>;
const label = option('label') ?? 'latest';
const reservePercent = option('reserve') === undefined ? undefined : Number(option('reserve'));

interface Report extends ShareFigures {
	setup: 'local' | 'redis';
	bulkStored: number;
	bulkDuplicates: number;
	alertsStored: number;
	alertDuplicates: number;
	failed: number;
	load: number[];
}

const out = (line = '') => process.stdout.write(`${line}\n`);

async function measure(setup: 'local' | 'redis'): Promise<Report> {
	const sandbox: Sandbox = await startSandbox({ latencyMs: LATENCY_MS, rateLimit: { limit: PUMBLE_LIMIT, windowMs: PUMBLE_WINDOW_MS }, seedMessages: 0 });
	let redis: RedisServer | undefined;
	const workers: RunningWorker[] = [];
	try {
		if (setup === 'redis') redis = await startRedisServer();
		const ada = sandbox.state.userById(sandbox.ids.ada)!;
		const channel = (name: string) => sandbox.state.createChannel(ada, Input.fromBody({ name: `${name}-${Date.now()}`, type: 'PUBLIC' })).id;
		const channelIds = Array.from({ length: CHANNELS }, (_, c) => channel(`bulk-${c}`));
		const alertChannelId = channel('alerts');
		const base = (extra: Partial<WorkerConfig>): WorkerConfig => ({
			kind: 'node-sends',
			path: 'execute',
			label: 'bulk',
			baseUrl: sandbox.url,
			apiKey: sandbox.apiKey,
			items: ITEMS,
			limit: PUMBLE_LIMIT,
			windowMs: PUMBLE_WINDOW_MS,
			reservePercent,
			...extra,
		});
		if (setup === 'local') workers.push(startWorker(base({ alerts: ALERTS }), undefined));
		else {
			workers.push(startWorker(base({}), redis!.url));
			workers.push(startWorker(base({ label: 'alerter', items: 0, alerts: ALERTS }), redis!.url));
		}
		await Promise.all(workers.map((w) => w.ready));
		const since = Date.now();
		for (const w of workers) w.go({ channelIds, alertChannelId });
		const results = await Promise.all(workers.map((w) => w.result));
		const mine = keyHash(sandbox.apiKey);
		const log = sandbox.log.filter((e) => e.keyHash === mine && e.ts >= since);
		const accepted = log.filter((e) => e.status !== 0 && e.status !== 429);
		const text = (e: (typeof log)[number]) => String((e.body as { text?: unknown } | null)?.text ?? '');
		const bulkLog = accepted.filter((e) => / item \d+$/.test(text(e)));
		const alertRuns = results.flatMap((r) => r.alerts);
		const latencies = alertRuns.map((run) => {
			const arrived = accepted.find((e) => text(e).endsWith(` alert ${run.i}`));
			return arrived ? arrived.ts - run.startedAt : Infinity;
		});
		const stored = sandbox.state.messages.map((m) => m.text ?? '');
		const bulkTexts = stored.filter((t) => / item \d+$/.test(t));
		const alertTexts = stored.filter((t) => / alert \d+$/.test(t));
		return {
			setup,
			...shareFigures(log, bulkLog, latencies),
			bulkStored: new Set(bulkTexts).size,
			bulkDuplicates: bulkTexts.length - new Set(bulkTexts).size,
			alertsStored: new Set(alertTexts).size,
			alertDuplicates: alertTexts.length - new Set(alertTexts).size,
			failed: results.reduce((n, r) => n + r.failed, 0) + alertRuns.filter((a) => a.failed).length,
			load: loadavg(),
		};
	} finally {
		for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
		await redis?.stop();
		await sandbox.close();
	}
}

function table(reports: Report[]): string {
	const header = ['setup', 'alert p50 (s)', 'alert max (s)', 'alerts > 3 s', 'bulk wall (s)', 'bulk efficiency', 'share of ceiling (bulk alone)', 'share of ceiling (bulk + alerts)', 'busiest window', '429s', 'bulk stored once', 'alerts stored once', 'duplicates', 'failed', 'load'];
	const rows = reports.map((r) => [
		r.setup,
		(r.alertP50Ms / 1000).toFixed(2),
		(r.alertMaxMs / 1000).toFixed(2),
		`${r.alertsOver3s} / ${ALERTS.count}`,
		(r.bulkWallMs / 1000).toFixed(1),
		r.bulkEfficiency.toFixed(3),
		r.shareOfCeilingAlone.toFixed(3),
		r.shareOfCeilingShared.toFixed(3),
		`${r.busiestWindow} / ${PUMBLE_LIMIT}`,
		String(r.http429),
		`${r.bulkStored} / ${ITEMS}`,
		`${r.alertsStored} / ${ALERTS.count}`,
		String(r.bulkDuplicates + r.alertDuplicates),
		String(r.failed),
		r.load.map((l) => l.toFixed(1)).join(' '),
	]);
	const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
	return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
	const loadBefore = loadavg();
	out(`fair share: ${ITEMS} sends over ${CHANNELS} channels + ${ALERTS.count} alerts every ${ALERTS.everyMs / 1000} s from +${ALERTS.afterMs / 1000} s; ${LATENCY_MS} ms, ${PUMBLE_LIMIT} per ${PUMBLE_WINDOW_MS / 1000} s; reserve ${reservePercent ?? 'default'} %; load ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`);
	const reports: Report[] = [];
	for (const setup of setups) {
		process.stdout.write(`… ${setup} `);
		const report = await measure(setup);
		reports.push(report);
		out(`alert max ${(report.alertMaxMs / 1000).toFixed(2)} s, bulk ${(report.bulkWallMs / 1000).toFixed(1)} s`);
	}
	const rendered = table(reports);
	out(`\n${rendered}`);
	const file = resolve(__dirname, 'results', `fairshare-${label}.json`);
	mkdirSync(resolve(file, '..'), { recursive: true });
	writeFileSync(
		file,
		`${JSON.stringify({ generatedAt: new Date().toISOString(), label, reservePercent: reservePercent ?? 'default', cpus: cpus().length, loadBefore, loadAfter: loadavg(), table: rendered, reports }, null, '\t')}\n`,
	);
	out(`wrote bench/results/fairshare-${label}.json`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
