/**
 * `npm run bench:app-events`: the Pumble App Trigger inside a real n8n (`n8n start`, the version
 * PUMBLE_N8N_VERSIONS names, default 2.8.4; n8n's default settings), the package installed from its packed
 * tarball, the sandbox playing Pumble's App platform and delivering to the workflow's Production URL.
 * Workflow: Pumble App Trigger (New Message, Reaction Added; otherwise as the editor creates it) → No Op.
 *
 * Scenarios, one n8n start:
 *   latency      200 messages posted through the key API one after another (each after the last one's
 *                execution has started): post → workflow start (n8n's execution startedAt − the sandbox's
 *                change time, one machine clock), and post → Pumble's request answered.
 *   redelivery   200 reactions, each delivered and then redelivered twice at once (as a retrying Pumble
 *                would): executions started, duplicates (two executions with one event).
 *   throughput   1,000 messages in one minute (one every 60 ms; the sandbox's key-API rate limit is lifted
 *                for the posts, as it is not what is measured), delivered as they happen: executions
 *                started, lost (a message without an execution), duplicates.
 *
 * Prints a markdown table with the machine's load beside it and writes bench/results/app-events-<version>.json.
 * Hold the bench lock: `flock /work/bench.lock npm run bench:app-events`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

import { startSandbox, type Sandbox } from '../sandbox';
import { activateAppWorkflow } from '../scripts/lib/appEvents';
import { cleanupAll, currentTarget, installSignalHandlers, type N8nRest, type WorkflowInput } from '../scripts/lib/n8n';
import { readExecution, startN8nWithSends } from '../scripts/lib/n8nSends';
import { sandboxAppCredential } from '../scripts/lib/workflows';

const WORKFLOW_ID = 'benchAppEvents1';
const WEBHOOK_ID = '5a0c2e7f-b6f1-4a4f-8c1e-9a574b8e6c10';
const TRIGGER = 'Pumble App Trigger';
const LATENCY_EVENTS = 200;
const REDELIVERED_EVENTS = 200;
const THROUGHPUT_EVENTS = 1_000;
const THROUGHPUT_SPACING_MS = 60;

const PAGE = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function workflow(): WorkflowInput {
	return {
		id: WORKFLOW_ID,
		name: 'Bench: Pumble App Trigger',
		nodes: [
			{
				id: '00000000-0000-4000-8000-0000000000d1',
				name: TRIGGER,
				type: 'n8n-nodes-pumble.pumbleAppTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: { events: ['NEW_MESSAGE', 'REACTION_ADDED'] },
				credentials: { pumbleAppApi: { id: 'pumbleAppSandbox01', name: 'Pumble App sandbox' } },
			},
			{ id: '00000000-0000-4000-8000-0000000000d2', name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
	} as WorkflowInput;
}

interface ExecutionRow {
	id: string;
	startedAt: string;
}

async function executions(rest: N8nRest): Promise<ExecutionRow[]> {
	const all: ExecutionRow[] = [];
	let lastId: string | undefined;
	for (;;) {
		// n8n caps a page at 100 (executions/parse-range-query.middleware.js) and pages with lastId (newest first).
		const query = `filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }))}&limit=${PAGE}${lastId ? `&lastId=${lastId}` : ''}`;
		const page = await rest.call<{ results: Array<ExecutionRow & { mode: string }> }>('GET', `/executions?${query}`);
		const rows = page.results.filter((e) => e.mode === 'webhook');
		all.push(...rows);
		if (page.results.length < PAGE) break;
		lastId = page.results[page.results.length - 1].id;
	}
	const seen = new Map(all.map((e) => [e.id, e]));
	return [...seen.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

async function waitForCount(rest: N8nRest, count: number, timeoutMs: number): Promise<ExecutionRow[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const rows = await executions(rest);
		if (rows.length >= count || Date.now() > deadline) return rows;
		await sleep(200);
	}
}

/** The event each execution started with (messageId + event type), from its stored data. */
async function eventKeys(rest: N8nRest, rows: ExecutionRow[]): Promise<string[]> {
	const keys: string[] = [];
	for (const row of rows) {
		for (let attempt = 0; ; attempt++) {
			const view = await readExecution(rest, row.id);
			const [item] = view.output(TRIGGER);
			if (item || attempt > 50) {
				keys.push(item ? `${String(item.event)}:${String(item.messageId)}:${String(item.userId ?? item.authorId)}:${String(item.reaction ?? '')}` : `missing:${row.id}`);
				break;
			}
			await sleep(100);
		}
	}
	return keys;
}

const pct = (values: number[], p: number): number => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function keyPost(sandbox: Sandbox, text: string): Promise<{ id: string }> {
	const response = await fetch(`${sandbox.url}/sendMessage`, {
		method: 'POST',
		headers: { ApiKey: sandbox.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ channelId: sandbox.ids.general, text }),
	});
	return (await response.json()) as { id: string };
}

async function main(): Promise<void> {
	installSignalHandlers(async () => undefined);
	const version = currentTarget().n8n;
	// The key API's 1,000 a minute per user is not what is measured here: the sandbox lets the posts through.
	const sandbox = await startSandbox({ rateLimit: { limit: 1_000_000, windowMs: 60_000 } });
	const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
	const loadBefore = load();
	const started = await startN8nWithSends([sandboxAppCredential(sandbox.app.app, sandbox.url)], [workflow()]);
	const { rest, n8n } = started;
	const rows: Array<Record<string, string | number>> = [];
	try {
		await activateAppWorkflow(rest, n8n.port, sandbox, WORKFLOW_ID, WEBHOOK_ID);

		// latency: one at a time, each after the previous execution has started
		const startLatency: number[] = [];
		const answerLatency: number[] = [];
		for (let i = 0; i < LATENCY_EVENTS; i++) {
			const before = (await executions(rest)).length;
			await keyPost(sandbox, `latency ${i}`);
			await sandbox.app.settle();
			const delivery = sandbox.app.deliveries[sandbox.app.deliveries.length - 1];
			const after = await waitForCount(rest, before + 1, 30_000);
			const newest = after[after.length - 1];
			// The list shows a just-created execution before its start is stored: read the execution itself until it has one.
			let startedAt = newest.startedAt;
			for (let tries = 0; !startedAt && tries < 100; tries++) {
				await sleep(50);
				startedAt = (await rest.call<{ startedAt?: string }>('GET', `/executions/${newest.id}`)).startedAt ?? '';
			}
			startLatency.push(Date.parse(startedAt) - delivery.causedAt);
			answerLatency.push((delivery.answeredAt ?? NaN) - delivery.causedAt);
		}
		const latencyRuns = (await executions(rest)).length;
		rows.push({
			scenario: `latency (${LATENCY_EVENTS} posts, one at a time)`,
			events: LATENCY_EVENTS,
			executions: latencyRuns,
			'post→start p50 ms': pct(startLatency, 50),
			'post→start p99 ms': pct(startLatency, 99),
			'post→start max ms': Math.max(...startLatency),
			'post→answer p99 ms': pct(answerLatency, 99),
			lost: LATENCY_EVENTS - latencyRuns,
			duplicates: Math.max(0, latencyRuns - LATENCY_EVENTS),
		});

		// redelivery: each reaction delivered, then redelivered twice at once
		sandbox.app.clearLog();
		const base = latencyRuns;
		const target = await keyPost(sandbox, 'react to me');
		await sandbox.app.settle();
		const afterTarget = base + 1;
		await waitForCount(rest, afterTarget, 30_000);
		sandbox.app.clearLog();
		const users = [sandbox.keys.ada, sandbox.keys.bob, sandbox.keys.carol];
		const codes = Array.from({ length: REDELIVERED_EVENTS }, (_, i) => `:bench_${i}:`);
		for (let i = 0; i < REDELIVERED_EVENTS; i++) {
			await fetch(`${sandbox.url}/addReaction`, {
				method: 'POST',
				headers: { ApiKey: users[i % users.length], 'content-type': 'application/json' },
				body: JSON.stringify({ messageId: target.id, reaction: codes[i] }),
			});
			await sandbox.app.settle();
			const original = sandbox.app.deliveries[sandbox.app.deliveries.length - 1];
			await Promise.all([sandbox.app.redeliver(original.id), sandbox.app.redeliver(original.id)]);
		}
		const redeliveries = sandbox.app.deliveries.filter((d) => d.redeliveryOf);
		const afterRedelivery = await waitForCount(rest, afterTarget + REDELIVERED_EVENTS, 60_000);
		await sleep(3_000); // anything a redelivery started would show by now
		const redeliveryRuns = (await executions(rest)).slice(afterTarget);
		const keys = await eventKeys(rest, redeliveryRuns);
		rows.push({
			scenario: `redelivery (${REDELIVERED_EVENTS} reactions, each redelivered twice at once)`,
			events: REDELIVERED_EVENTS,
			executions: redeliveryRuns.length,
			'post→start p50 ms': '',
			'post→start p99 ms': '',
			'post→start max ms': '',
			'post→answer p99 ms': pct(redeliveries.map((d) => (d.answeredAt ?? NaN) - d.sentAt), 99),
			lost: REDELIVERED_EVENTS - new Set(keys).size,
			duplicates: keys.length - new Set(keys).size,
		});
		void afterRedelivery;

		// throughput: 1,000 messages in a minute
		sandbox.app.clearLog();
		const throughputBase = (await executions(rest)).length;
		const t0 = Date.now();
		for (let i = 0; i < THROUGHPUT_EVENTS; i++) {
			const due = t0 + i * THROUGHPUT_SPACING_MS;
			if (due > Date.now()) await sleep(due - Date.now());
			void keyPost(sandbox, `throughput ${i}`);
		}
		await sleep(500);
		await sandbox.app.settle();
		const sentMs = Date.now() - t0;
		const throughputAll = await waitForCount(rest, throughputBase + THROUGHPUT_EVENTS, 120_000);
		await sleep(3_000);
		const throughputRuns = (await executions(rest)).slice(throughputBase);
		const tKeys = await eventKeys(rest, throughputRuns);
		const tStart = throughputRuns.map((r, i) => Date.parse(r.startedAt) - (sandbox.app.deliveries[i]?.causedAt ?? NaN)).filter(Number.isFinite);
		rows.push({
			scenario: `throughput (${THROUGHPUT_EVENTS} posts in ${(sentMs / 1000).toFixed(0)} s)`,
			events: THROUGHPUT_EVENTS,
			executions: throughputRuns.length,
			'post→start p50 ms': '',
			'post→start p99 ms': '',
			'post→start max ms': tStart.length ? Math.max(...tStart) : '',
			'post→answer p99 ms': pct(sandbox.app.deliveries.map((d) => (d.answeredAt ?? NaN) - d.causedAt), 99),
			lost: THROUGHPUT_EVENTS - new Set(tKeys).size,
			duplicates: tKeys.length - new Set(tKeys).size,
		});
		void throughputAll;
	} finally {
		await started.stop();
		await sandbox.close();
		await cleanupAll();
	}
	const loadAfter = load();
	const columns = Object.keys(rows[0]);
	const lines = [
		`Pumble App Trigger in n8n ${version} (default settings), sandbox App platform on the same machine; ${cpus().length} CPUs, load average before ${loadBefore}, after ${loadAfter}`,
		'',
		`| ${columns.join(' | ')} |`,
		`| ${columns.map(() => '---').join(' | ')} |`,
		...rows.map((r) => `| ${columns.map((c) => String(r[c])).join(' | ')} |`),
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const dir = resolve(__dirname, 'results');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, `app-events-${version}.json`), JSON.stringify({ version, loadBefore, loadAfter, rows, at: new Date().toISOString() }, null, 2));
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
