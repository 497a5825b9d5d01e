/**
 * `npm run bench:n8n`: the default-setting benchmark (1,500 sends to 10 channels) inside a real n8n (`n8n start`, the version PUMBLE_N8N_VERSIONS
 * names, default 2.8.4), the package installed from its packed tarball as a community package.
 *
 * Sandbox: 100 ms latency, Pumble's 1,000 requests per user per rolling 60 s (real time, no scaling).
 * Workflow: Manual Trigger → Code (1,500 items, item i → channel i mod 10, text "item i") → Pumble
 * Message → Send, run over REST as the editor runs it, twice: the node's default error setting and
 * "On Error → Continue" (continueRegularOutput). Each run is a different sandbox user with its own
 * credential, so the two never share a budget; each user's first /myInfo (the node learning whose budget
 * it is) is made by a warm-up User → Get Me run more than one window before the measured runs.
 *
 * Everything is read from the sandbox's own log and store: wall = first accepted request to last answer;
 * efficiency = ideal ÷ wall (ideal and ordering ceiling as in bench/run.ts, from bench/lib/analyze.ts).
 * Prints a markdown table, writes bench/results/n8n-<version>.json. Timing matters: run it on an idle machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

import { keyHash, startSandbox, type KeyUser, type Sandbox } from '../sandbox';
import { cleanupAll, currentTarget, installSignalHandlers, type N8nRest } from '../scripts/lib/n8n';
import {
	createChannels,
	executionEnd,
	getMeWorkflow,
	runWorkflow,
	SEND_NODE,
	sendsWorkflow,
	startN8nWithSends,
	storedItems,
	userCredential,
	type N8nWithSends,
} from '../scripts/lib/n8nSends';
import { busiestWindow, idealMs, orderingCeiling, outOfOrder } from './lib/analyze';
import { PUMBLE_LIMIT, PUMBLE_WINDOW_MS } from './scenarios';

const ITEMS = 1_500;
const CHANNELS = 10;
const LATENCY_MS = 100;
/** One file per n8n version: bench/results/n8n-<version>.json. */
const outFile = (version: string) => resolve(__dirname, 'results', `n8n-${version}.json`);

interface Setting {
	label: 'default' | 'continue';
	onError?: 'continueRegularOutput';
	user: KeyUser;
	workflowId: string;
	warmUpId: string;
}

const SETTINGS: Setting[] = [
	{ label: 'default', user: 'ada', workflowId: 'benchSendsDefault', warmUpId: 'benchWarmUpAda' },
	{ label: 'continue', onError: 'continueRegularOutput', user: 'bob', workflowId: 'benchSendsContinue', warmUpId: 'benchWarmUpBob' },
];

interface RunReport {
	setting: Setting['label'];
	items: number;
	channels: number;
	latencyMs: number;
	executionStatus: string;
	/** First request the sandbox accepted → last answer, ms. */
	wallMs: number;
	idealMs: number;
	efficiency: number;
	orderingCeiling: number | null;
	/** efficiency ÷ ordering ceiling (the target: ≥ 0.95 in the default setting). */
	shareOfCeiling: number | null;
	http429: number;
	/** Items whose output carries an error (continue), or the workflow's error (default). */
	failed: number;
	error?: string;
	delivered: number;
	outOfOrder: number;
	duplicates: number;
	busiestWindow: number;
	requests: number;
}

const out = (line = '') => process.stdout.write(`${line}\n`);

async function measure(sandbox: Sandbox, rest: N8nRest, setting: Setting, channelIds: string[]): Promise<RunReport> {
	const since = Date.now();
	const executionId = await runWorkflow(rest, setting.workflowId);
	const done = await executionEnd(rest, executionId, 30 * 60_000);
	const mine = keyHash(sandbox.keys[setting.user]);
	const log = sandbox.log.filter((e) => e.keyHash === mine && e.ts >= since);
	const accepted = log.filter((e) => e.status !== 0 && e.status !== 429);
	const first = Math.min(...accepted.map((e) => e.ts));
	const last = Math.max(...log.map((e) => e.endTs));
	const wallMs = last - first;
	const ideal = idealMs(ITEMS, PUMBLE_LIMIT, PUMBLE_WINDOW_MS, LATENCY_MS);
	const efficiency = ideal / wallMs;
	const ceiling = orderingCeiling(ITEMS, PUMBLE_LIMIT, PUMBLE_WINDOW_MS, LATENCY_MS, CHANNELS, ideal);
	const stored = storedItems(sandbox, channelIds);
	const output = done.output(SEND_NODE);
	return {
		setting: setting.label,
		items: ITEMS,
		channels: CHANNELS,
		latencyMs: LATENCY_MS,
		executionStatus: done.status,
		wallMs,
		idealMs: ideal,
		efficiency,
		orderingCeiling: ceiling,
		shareOfCeiling: ceiling === null ? null : efficiency / ceiling,
		http429: log.filter((e) => e.status === 429).length,
		failed: done.status === 'success' ? output.filter((item) => item.error !== undefined).length + (ITEMS - output.length) : ITEMS - stored.length,
		error: done.error,
		delivered: stored.length,
		outOfOrder: outOfOrder(stored),
		duplicates: stored.length - new Set(stored.map((m) => m.item)).size,
		busiestWindow: busiestWindow(
			accepted.map((e) => e.ts),
			PUMBLE_WINDOW_MS,
		),
		requests: log.length,
	};
}

function table(reports: RunReport[]): string {
	const header = ['On Error', 'items', 'channels', 'latency', 'wall (s)', 'efficiency', 'ordering ceiling', 'share of ceiling', '429s', 'failed', 'out of order', 'duplicates', 'busiest window', 'execution'];
	const fixed = (n: number | null, digits = 3) => (n === null ? '—' : n.toFixed(digits));
	const rows = reports.map((r) => [
		r.setting,
		r.items.toLocaleString('en-US'),
		String(r.channels),
		`${r.latencyMs} ms`,
		(r.wallMs / 1000).toFixed(1),
		fixed(r.efficiency),
		fixed(r.orderingCeiling),
		fixed(r.shareOfCeiling),
		String(r.http429),
		String(r.failed),
		String(r.outOfOrder),
		String(r.duplicates),
		`${r.busiestWindow} / ${PUMBLE_LIMIT}`,
		r.executionStatus,
	]);
	const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
	const line = (cells: string[]) => `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
	return [line(header), `|${widths.map((w, c) => (c === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
	const version = currentTarget().n8n;
	const startedAt = new Date();
	const loadBefore = loadavg();
	let sandbox: Sandbox | undefined;
	let n8n: N8nWithSends | undefined;
	installSignalHandlers(async () => {
		await n8n?.stop();
		await sandbox?.close();
	});
	try {
		sandbox = await startSandbox({ latencyMs: LATENCY_MS, rateLimit: { limit: PUMBLE_LIMIT, windowMs: PUMBLE_WINDOW_MS }, seedMessages: 0 });
		const box = sandbox;
		const channels = new Map(SETTINGS.map((s) => [s.label, createChannels(box, s.user, CHANNELS, `bench-${s.label}`)]));
		const workflows = SETTINGS.flatMap((s) => {
			const credential = userCredential(box, s.user);
			return [sendsWorkflow({ id: s.workflowId, items: ITEMS, channelIds: channels.get(s.label)!, credential, onError: s.onError }), getMeWorkflow(s.warmUpId, credential)];
		});
		out(`n8n ${version}: ${ITEMS.toLocaleString('en-US')} sends over ${CHANNELS} channels, ${LATENCY_MS} ms latency, ${PUMBLE_LIMIT} per ${PUMBLE_WINDOW_MS / 1000} s; node ${process.version}, ${cpus().length} CPUs, load ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`);
		n8n = await startN8nWithSends(
			SETTINGS.map((s) => userCredential(box, s.user)),
			workflows,
		);
		const rest = n8n.rest;

		// Warm-up: each user's first /myInfo (and Get Me's own) leaves the budget window before the runs.
		for (const s of SETTINGS) {
			const warm = await executionEnd(rest, await runWorkflow(rest, s.warmUpId));
			if (warm.status !== 'success') throw new Error(`warm-up for ${s.user} ended ${warm.status}: ${warm.error ?? ''}`);
		}
		const warmedAt = Math.max(...box.log.map((e) => e.endTs));
		const wait = warmedAt + PUMBLE_WINDOW_MS + 1_000 - Date.now();
		out(`warmed up (each user's /myInfo); waiting ${Math.ceil(wait / 1000)} s for it to leave the window …`);
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));

		const reports: RunReport[] = [];
		for (const s of SETTINGS) {
			process.stdout.write(`… ${s.label} `);
			const report = await measure(box, rest, s, channels.get(s.label)!);
			reports.push(report);
			out(`${(report.wallMs / 1000).toFixed(1)} s, efficiency ${report.efficiency.toFixed(3)}${report.error ? ` (${report.error})` : ''}`);
		}

		const rendered = table(reports);
		const loadAfter = loadavg();
		const notes = [
			'wall = first request the sandbox accepted → last answer (sandbox log); efficiency = ideal ÷ wall, ideal = (⌈items ÷ limit⌉ − 1) × window + latency.',
			'ordering ceiling = the best efficiency when each channel carries one message at a time (bench/README.md); share of ceiling = efficiency ÷ ceiling (the target: ≥ 0.95 in the default setting).',
			`load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(1)).join(' ')} (${cpus().length} CPUs); on a busy machine the figures are CPU-bound.`,
		];
		out(`\n${rendered}\n\n${notes.join('\n')}`);
		const OUT = outFile(version);
		mkdirSync(resolve(OUT, '..'), { recursive: true });
		const json = {
			generatedAt: startedAt.toISOString(),
			n8n: version,
			node: process.version,
			cpus: cpus().length,
			loadAverage: { before: loadBefore, after: loadAfter },
			limit: PUMBLE_LIMIT,
			windowMs: PUMBLE_WINDOW_MS,
			table: rendered,
			notes,
			runs: reports,
		};
		writeFileSync(OUT, `${JSON.stringify(json, null, '\t')}\n`);
		out(`wrote ${join('bench', 'results', `n8n-${version}.json`)}`);
	} finally {
		await n8n?.stop();
		await sandbox?.close();
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
