/**
 * `npm run bench:n8n-fairshare`: the fair-share case (a bulk run and an alert workflow of one user) inside a
 * real n8n (`n8n start`, the version PUMBLE_N8N_VERSIONS names, default 2.8.4; the package from its packed
 * tarball, as bench/n8n.ts).
 *
 * Sandbox: 100 ms latency, Pumble's 1,000 requests per user per rolling 60 s (unscaled). One Pumble user,
 * one credential, two workflows: the bulk (Manual Trigger → Code, 3,000 items over 10 channels → Message →
 * Send) and the alert (the same with one item, to its own channel), run over REST as the editor runs them:
 * the bulk once, and from 15 s after its start the alert every 5 s (12 executions), while the bulk runs.
 * The credential's fields are the editor's defaults. A warm-up Get Me (the node learning whose budget it
 * is) runs a window before.
 *
 * Read from the sandbox: an alert's latency = its message's arrival − the moment its run was asked for;
 * the bulk's wall, efficiency and shares of ceiling as bench/fairshare.ts; busiest window, 429s, each
 * message stored once. Prints a table, writes bench/results/n8n-fairshare-<version>[-<label>].json.
 *
 *   npm run bench:n8n-fairshare -- [--setup one|redis] [--reserve N] [--label x]
 *
 * `--setup one` (default): both workflows in one `n8n start`. `--setup redis`: two `n8n start` processes,
 * each with its own user folder, sharing the budget through a throwaway redis-server
 * (PUMBLE_RATE_LIMIT_REDIS_URL): the bulk runs in one, the alerts in the other, with the same credential.
 * `--reserve N` sets the credential's "Reserved for Other Workflows (%)" (0: off, the old behaviour).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';

import { keyHash, startSandbox, type Sandbox } from '../sandbox';
import { cleanupAll, currentTarget, installSignalHandlers, startRedis, type RunningRedis } from '../scripts/lib/n8n';
import { createChannels, executionEnd, getMeWorkflow, runWorkflow, sendsWorkflow, startN8nWithSends, userCredential, type N8nWithSends } from '../scripts/lib/n8nSends';
import { ALERTS, CHANNELS, ITEMS, LATENCY_MS, shareFigures } from './lib/fairshareCase';
import { PUMBLE_LIMIT, PUMBLE_WINDOW_MS } from './scenarios';

const option = (name: string) => {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 ? process.argv[at + 1] : undefined;
};
const setup = (option('setup') ?? 'one') as 'one' | 'redis';
if (setup !== 'one' && setup !== 'redis') throw new Error(`--setup one|redis, not ${String(setup)}`);
const reservePercent = option('reserve') === undefined ? undefined : Number(option('reserve'));
const label = option('label');

const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
	const version = currentTarget().n8n;
	const loadBefore = loadavg();
	let sandbox: Sandbox | undefined;
	const n8ns: N8nWithSends[] = [];
	let redis: RunningRedis | undefined;
	installSignalHandlers(async () => {
		for (const n8n of n8ns) await n8n.stop();
		await sandbox?.close();
		await redis?.stop();
	});
	try {
		sandbox = await startSandbox({ latencyMs: LATENCY_MS, rateLimit: { limit: PUMBLE_LIMIT, windowMs: PUMBLE_WINDOW_MS }, seedMessages: 0 });
		const box = sandbox;
		const base = userCredential(box, 'ada');
		const credential = reservePercent === undefined ? base : { ...base, data: { ...base.data, reservePercent } };
		const bulkChannels = createChannels(box, 'ada', CHANNELS, 'fair-bulk');
		const [alertChannel] = createChannels(box, 'ada', 1, 'fair-alert');
		out(`n8n ${version}, ${setup === 'one' ? 'one process' : 'two processes sharing Redis'}${reservePercent === undefined ? '' : `, reserve ${reservePercent} %`}: ${ITEMS} sends over ${CHANNELS} channels + ${ALERTS.count} alerts every ${ALERTS.everyMs / 1000} s from +${ALERTS.afterMs / 1000} s; ${LATENCY_MS} ms; ${PUMBLE_LIMIT} per ${PUMBLE_WINDOW_MS / 1000} s; ${cpus().length} CPUs, load ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`);
		const bulkWorkflow = sendsWorkflow({ id: 'fairBulk', items: ITEMS, channelIds: bulkChannels, credential });
		const alertWorkflow = sendsWorkflow({ id: 'fairAlert', items: 1, channelIds: [alertChannel], credential });
		const warmUp = getMeWorkflow('fairWarmUp', credential);
		if (setup === 'one') {
			n8ns.push(await startN8nWithSends([credential], [bulkWorkflow, alertWorkflow, warmUp]));
		} else {
			redis = await startRedis();
			const env = { PUMBLE_RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${redis.port}` };
			n8ns.push(await startN8nWithSends([credential], [bulkWorkflow, warmUp], env));
			n8ns.push(await startN8nWithSends([credential], [alertWorkflow, warmUp], env));
		}
		const rest = n8ns[0].rest;
		const alertRest = n8ns[n8ns.length - 1].rest;
		// Each process learns whose budget the key is (one /myInfo each) before the run.
		for (const n8n of n8ns) {
			const warm = await executionEnd(n8n.rest, await runWorkflow(n8n.rest, 'fairWarmUp'));
			if (warm.status !== 'success') throw new Error(`warm-up ended ${warm.status}: ${warm.error ?? ''}`);
		}
		const wait = Math.max(...box.log.map((e) => e.endTs)) + PUMBLE_WINDOW_MS + 1_000 - Date.now();
		out(`warmed up; waiting ${Math.ceil(wait / 1000)} s for the /myInfo to leave the window …`);
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));

		const since = Date.now();
		const bulkRun = runWorkflow(rest, 'fairBulk').then((id) => executionEnd(rest, id, 30 * 60_000));
		const alerts = await Promise.all(
			Array.from({ length: ALERTS.count }, async (_, i) => {
				await new Promise((r) => setTimeout(r, Math.max(0, since + ALERTS.afterMs + i * ALERTS.everyMs - Date.now())));
				const askedAt = Date.now();
				const done = await executionEnd(alertRest, await runWorkflow(alertRest, 'fairAlert'), 10 * 60_000);
				return { i, askedAt, status: done.status };
			}),
		);
		const bulk = await bulkRun;
		const mine = keyHash(box.keys.ada);
		const log = box.log.filter((e) => e.keyHash === mine && e.ts >= since);
		const accepted = log.filter((e) => e.status !== 0 && e.status !== 429);
		const channelOf = (e: (typeof log)[number]) => String((e.body as { channelId?: unknown } | null)?.channelId ?? '');
		const alertArrivals = accepted.filter((e) => e.path.endsWith('/sendMessage') && channelOf(e) === alertChannel).map((e) => e.ts).sort((a, b) => a - b);
		// The n-th alert asked for is matched to the n-th alert message to arrive (each run sends one).
		const latencies = alerts.map((a, n) => (alertArrivals[n] ?? Infinity) - a.askedAt);
		const bulkLog = accepted.filter((e) => bulkChannels.includes(channelOf(e)));
		const figures = shareFigures(log, bulkLog, latencies);
		const wall = figures.bulkWallMs;
		const texts = (channels: string[]) => box.state.messages.filter((m) => channels.includes(m.channelId)).map((m) => m.text ?? '');
		const bulkTexts = texts(bulkChannels);
		const alertTexts = texts([alertChannel]);
		const loadAfter = loadavg();
		const report = {
			setup,
			reservePercent: reservePercent ?? 'default',
			bulkStatus: bulk.status,
			alertStatuses: alerts.map((a) => a.status),
			...figures,
			bulkStored: bulkTexts.length,
			bulkUnique: new Set(bulkTexts).size,
			alertsStored: alertTexts.length,
		};
		const where = `${version}, ${setup === 'one' ? 'one process' : 'two processes + Redis'}${reservePercent === undefined ? '' : `, reserve ${reservePercent} %`}${label ? ` (${label})` : ''}`;
		const table = [
			'| n8n | alert p50 (s) | alert max (s) | alerts > 3 s | bulk wall (s) | bulk efficiency | share of ceiling (bulk alone) | share of ceiling (bulk + alerts) | busiest window | 429s | bulk stored (unique) | alerts stored | executions | load before → after |',
			'|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
			`| ${where} | ${(report.alertP50Ms / 1000).toFixed(2)} | ${(report.alertMaxMs / 1000).toFixed(2)} | ${report.alertsOver3s} / ${ALERTS.count} | ${(wall / 1000).toFixed(1)} | ${report.bulkEfficiency.toFixed(3)} | ${report.shareOfCeilingAlone.toFixed(3)} | ${report.shareOfCeilingShared.toFixed(3)} | ${report.busiestWindow} / ${PUMBLE_LIMIT} | ${report.http429} | ${report.bulkStored} (${report.bulkUnique}) / ${ITEMS} | ${report.alertsStored} / ${ALERTS.count} | bulk ${bulk.status}, alerts ${alerts.filter((a) => a.status === 'success').length} success | ${loadBefore[0].toFixed(1)} → ${loadAfter[0].toFixed(1)} |`,
		].join('\n');
		out(`\n${table}\nalert latencies (s): ${latencies.map((l) => (l / 1000).toFixed(2)).join(' ')}`);
		const file = resolve(__dirname, 'results', `n8n-fairshare-${version}${setup === 'redis' ? '-redis' : ''}${label ? `-${label}` : ''}.json`);
		mkdirSync(resolve(file, '..'), { recursive: true });
		writeFileSync(file, `${JSON.stringify({ generatedAt: new Date(since).toISOString(), n8n: version, setup, cpus: cpus().length, loadAverage: { before: loadBefore, after: loadAfter }, table, report }, null, '\t')}\n`);
		out(`wrote ${file}`);
	} finally {
		for (const n8n of n8ns) await n8n.stop();
		await sandbox?.close();
		await redis?.stop();
		await cleanupAll();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
