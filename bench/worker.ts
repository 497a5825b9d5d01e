/**
 * One benchmark process. Runs a scenario one of two ways:
 * - `path: 'execute'` (the benchmark): the Pumble node's real `execute()` through n8n-core's execution
 *   machinery (test/helpers/runNode.ts) — parameters as expressions over the input items, the router's lanes,
 *   "Continue On Fail" or n8n's default error setting, the node's PumbleApi → PumbleClient → the
 *   process-wide rate limiter (Redis-shared when PUMBLE_RATE_LIMIT_REDIS_URL is set) → n8n's request helper;
 * - `path: 'core'` (default; the limiter's tests, which inject a registry): PumbleApi → PumbleClient →
 *   limiter → axios, with items run by the lane runner (runInLanes) and every failure counted;
 * or the naive baseline (`kind: 'naive-sends'`).
 *
 * Protocol (stdout lines, stdin lines): config in env BENCH_CONFIG → warms up (learns the user behind the
 * key: one /myInfo) → prints `READY` → waits for a `GO {json}` line with the channel IDs → runs → prints
 * `RESULT {json}` and exits. Also used by test/integration/ratelimit*.test.ts.
 */
import axios from 'axios';
import { Agent } from 'node:http';
import { createInterface } from 'node:readline';

import {
	createAxiosTransport,
	DEFAULT_RATE_LIMIT,
	DispatchSample,
	identityOf,
	ITEM_CONCURRENCY,
	PumbleApi,
	PumbleClient,
	RateLimiterRegistry,
	rateLimiters,
	runInLanes,
} from '../core/withAxios';
import { runNode as harness } from '../test/helpers/runNode';
import { percentile } from './lib/analyze';
import type { ScenarioKind } from './scenarios';

export interface WorkerConfig {
	kind: ScenarioKind;
	/** Through the node's execute() (the benchmark) or the core directly (default: tests that inject a registry). */
	path?: 'execute' | 'core';
	/** With `path: 'execute'`: the node's "On Error" setting is "Continue" (else n8n's default, stop). */
	continueOnFail?: boolean;
	label: string;
	baseUrl: string;
	apiKey: string;
	items: number;
	limit: number;
	windowMs: number;
	/** Per-operation limits the credential declares. */
	operationLimits?: Record<string, number>;
	/** Item concurrency; default the node's ITEM_CONCURRENCY. */
	concurrency?: number;
	/** Request timeout for the client (also bounds how long a dead process's units stay taken). */
	timeoutMs?: number;
	/** After the run, keep the process (and its held units) alive this long before exiting. */
	lingerMs?: number;
	/** Exit abruptly (as a crash would) this long after GO, holding whatever units it has. */
	dieAfterMs?: number;
	/** Clustered units of a dead process come back this long after they could last have been needed (default 10 s). */
	expirationMarginMs?: number;
	/** With `path: 'execute'`: the credential's "Reserved for Other Workflows (%)" (default: the field's default). */
	reservePercent?: number;
	/**
	 * With `path: 'execute'`: alerts beside the bulk (or alone, with `items: 0`), each a separate execution of a
	 * one-item Message → Send to GO's `alertChannelId`, `count` of them every `everyMs` from `afterMs` after GO.
	 */
	alerts?: { count: number; everyMs: number; afterMs: number };
}

export interface GoMessage {
	channelIds: string[];
	alertChannelId?: string;
}

/** One alert execution: when it started and ended (ms since the epoch); its message's text is `<label> alert <i>`. */
export interface AlertRun {
	i: number;
	startedAt: number;
	endedAt: number;
	failed: boolean;
}

export interface WorkerResult {
	label: string;
	pid: number;
	items: number;
	failed: number;
	errors: string[];
	startedAt: number;
	endedAt: number;
	/** 429s the client saw (and retried), by scope: counted on the core path only (the runner counts 429s at the sandbox). */
	rateLimited: { request: number; operation: number; user: number };
	/** Median / p95 / mean ms from schedule to dispatch, in the run, for requests that found budget free (includes event-loop lag). */
	inRunWaitMs: { p50: number; p95: number; mean: number; samples: number };
	/** The limiter alone (no-op requests, budget never binding, same mode as the run): ms added per request, CPU ms per request. */
	limiterOverhead: { latencyMs: number; cpuMs: number; mode: 'cluster' | 'local' } | null;
	/** Requests that went through Redis vs the local limiter. */
	dispatched: { cluster: number; local: number };
	/** CPU time the process used during the run. */
	cpuMs: number;
	peakRssMb: number;
	/** Learned per-operation limits at the end. */
	learned: Record<string, number | undefined>;
	/** The alert executions (config.alerts). */
	alerts: AlertRun[];
}

async function main(): Promise<void> {
	const config = JSON.parse(process.env.BENCH_CONFIG ?? '{}') as WorkerConfig;
	const lines = createInterface({ input: process.stdin });
	const nextLine = (() => {
		const queue: string[] = [];
		const waiting: Array<(line: string) => void> = [];
		lines.on('line', (line) => {
			const resolve = waiting.shift();
			if (resolve) resolve(line);
			else queue.push(line);
		});
		return () => new Promise<string>((resolve) => (queue.length ? resolve(queue.shift()!) : waiting.push(resolve)));
	})();

	const samples: DispatchSample[] = [];
	// The process-wide registry, as in n8n (Redis from PUMBLE_RATE_LIMIT_REDIS_URL), unless a test shortens expiry.
	const registry = config.expirationMarginMs === undefined ? rateLimiters : new RateLimiterRegistry({ expirationMarginMs: config.expirationMarginMs });
	const rateLimited = { request: 0, operation: 0, user: 0 };
	let run: (channelIds: string[]) => Promise<{ failed: number; errors: string[] }>;
	let runAlerts: (channelId: string | undefined) => Promise<AlertRun[]> = async () => [];
	let learned: () => Record<string, number | undefined> = () => ({});

	if (config.kind === 'naive-sends') {
		// The existing community node: for each item, one request; a 429 or any error fails the item.
		const http = axios.create({
			baseURL: config.baseUrl,
			headers: { ApiKey: config.apiKey },
			validateStatus: () => true,
			httpAgent: new Agent({ keepAlive: true }),
		});
		run = async (channelIds) => {
			let failed = 0;
			const errors: string[] = [];
			for (let i = 0; i < config.items; i++) {
				const response = await http.post('/sendMessage', { channelId: channelIds[i % channelIds.length], text: `${config.label} item ${i}` });
				if (response.status !== 200) {
					failed++;
					if (errors.length < 5) errors.push(`item ${i}: HTTP ${response.status}`);
				}
			}
			return { failed, errors };
		};
	} else if (config.path === 'execute') {
		// The node reads only the limit from its credential; the window is the limiter's default, which the
		// time scale shortens in this benchmark process only.
		DEFAULT_RATE_LIMIT.windowMs = config.windowMs;
		const timeoutSeconds = Math.max(1, Math.round((config.timeoutMs ?? 30_000) / 1000));
		const credentials = {
			apiKey: config.apiKey,
			baseUrl: config.baseUrl,
			requestsPerMinute: config.limit,
			timeoutSeconds,
			...(config.reservePercent === undefined ? {} : { reservePercent: config.reservePercent }),
		};
		// The same options as the node's getPumbleApi, so this is the limiter the node's requests go through.
		const warmUp = new PumbleClient({
			transport: createAxiosTransport({ apiKey: config.apiKey, baseUrl: config.baseUrl }),
			identity: identityOf(config.apiKey),
			rateLimit: { limit: config.limit },
			timeoutMs: timeoutSeconds * 1000,
		});
		const limiter = await warmUp.userLimiter(); // one /myInfo: whose budget this is
		limiter.events.on('dispatched', (sample) => void samples.push(sample));
		learned = () => ({ sendMessage: limiter.operationLimit('sendMessage'), read: limiter.operationLimit('read') });
		const sends = config.kind === 'node-sends';
		const channelLocator = { __rl: true, mode: 'id', value: '={{ $json.channelId }}' };
		const parameters = sends
			? { resource: 'message', operation: 'send', sendTo: 'channel', channel: channelLocator, text: '={{ $json.text }}' }
			: { resource: 'channel', operation: 'get', channel: channelLocator };
		run = async (channelIds) => {
			const items = Array.from({ length: config.items }, (_, i) => ({
				channelId: channelIds[i % channelIds.length],
				text: `${config.label} item ${i}`,
			}));
			const result = await harness({ node: pumbleNode(), parameters, items, credentials, continueOnFail: config.continueOnFail === true });
			const succeeded = result.output.filter((item) => item.json.error === undefined).length;
			const errors = result.output
				.filter((item) => item.json.error !== undefined)
				.slice(0, 5)
				.map((item) => String(item.json.error));
			if (result.error) errors.unshift(result.error.message);
			return { failed: config.items - succeeded, errors: errors.slice(0, 5) };
		};
		const alerts = config.alerts;
		if (alerts) {
			// Each alert is its own execution of the node (as a second workflow's would be), started on its schedule.
			runAlerts = async (channelId) => {
				if (!channelId) throw new Error('alerts need GO.alertChannelId');
				const t0 = Date.now();
				return Promise.all(
					Array.from({ length: alerts.count }, async (_, i) => {
						const due = t0 + alerts.afterMs + i * alerts.everyMs;
						await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
						const startedAt = Date.now();
						const result = await harness({
							node: pumbleNode(),
							parameters,
							items: [{ channelId, text: `${config.label} alert ${i}` }],
							credentials,
						});
						return { i, startedAt, endedAt: Date.now(), failed: result.error !== undefined || result.output.some((item) => item.json.error !== undefined) };
					}),
				);
			};
		}
	} else {
		const client = new PumbleClient({
			transport: createAxiosTransport({ apiKey: config.apiKey, baseUrl: config.baseUrl }),
			identity: identityOf(config.apiKey),
			registry,
			rateLimit: { limit: config.limit, windowMs: config.windowMs },
			operationLimits: config.operationLimits,
			timeoutMs: config.timeoutMs,
			events: { rateLimited: ({ scope }) => void rateLimited[scope]++ },
		});
		const api = new PumbleApi(client);
		const limiter = await client.userLimiter(); // one /myInfo: whose budget this is
		limiter.events.on('dispatched', (sample) => void samples.push(sample));
		learned = () => ({
			sendMessage: limiter.operationLimit('sendMessage'),
			read: limiter.operationLimit('read'),
		});
		run = async (channelIds) => {
			const sends = config.kind === 'node-sends';
			const results = await runInLanes<unknown>({
				count: config.items,
				concurrency: config.concurrency ?? ITEM_CONCURRENCY,
				// As the node's lanes (core/lanes/key.ts): writes to one channel share a lane; reads have none.
				laneOf: (i) => (sends ? `channel:${channelIds[i % channelIds.length]}` : undefined),
				work: (i) => {
					const channel = { id: channelIds[i % channelIds.length] };
					return sends ? api.sendMessage({ channel, text: `${config.label} item ${i}` }) : api.getChannel(channel);
				},
				onError: () => true, // "Continue On Fail": count failures, keep going
			});
			const errors: string[] = [];
			let failed = 0;
			results.forEach((result, i) => {
				if (result && result.ok) return;
				failed++;
				if (errors.length < 5) errors.push(`item ${i}: ${result ? String((result.error as Error)?.message ?? result.error) : 'not run'}`);
			});
			return { failed, errors };
		};
	}

	const overhead = config.kind === 'naive-sends' ? null : await calibrate();
	process.stdout.write('READY\n');
	const go = await nextLine();
	const message = JSON.parse(go.replace(/^GO /, '')) as GoMessage;
	if (config.dieAfterMs !== undefined) {
		setTimeout(() => process.kill(process.pid, 'SIGKILL'), config.dieAfterMs);
	}
	const startedAt = Date.now();
	const cpuBefore = process.cpuUsage();
	const [{ failed, errors }, alertRuns] = await Promise.all([
		config.items > 0 ? run(message.channelIds) : Promise.resolve({ failed: 0, errors: [] }),
		runAlerts(message.alertChannelId),
	]);
	const endedAt = Date.now();
	const cpu = process.cpuUsage(cpuBefore);

	const free = samples.filter((s) => s.free).map((s) => s.waitedMs);
	const result: WorkerResult = {
		label: config.label,
		pid: process.pid,
		items: config.items,
		failed,
		errors,
		startedAt,
		endedAt,
		rateLimited,
		limiterOverhead: overhead,
		inRunWaitMs: {
			p50: percentile(free, 50),
			p95: percentile(free, 95),
			mean: free.length ? free.reduce((a, b) => a + b, 0) / free.length : 0,
			samples: free.length,
		},
		dispatched: {
			cluster: samples.filter((s) => s.clustered).length,
			local: samples.filter((s) => !s.clustered).length,
		},
		cpuMs: Math.round((cpu.user + cpu.system) / 1000),
		peakRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
		learned: learned(),
		alerts: alertRuns,
	};
	process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
	if (config.lingerMs) await new Promise((resolve) => setTimeout(resolve, config.lingerMs));
	await registry.close();
	process.exit(0);
}

/**
 * The limiter's own cost in this process and mode (Redis when the run uses it), on a budget of its own
 * that never binds: 200 no-op requests one after another (latency it adds: Bottleneck's steps, Redis
 * round trips), then 2,000 at once (CPU per request).
 */
async function calibrate(): Promise<{ latencyMs: number; cpuMs: number; mode: 'cluster' | 'local' }> {
	const registry = new RateLimiterRegistry({ log: { warn: () => undefined } });
	const limiter = registry.get(`calibration-${process.pid}`, { limit: 1_000_000, windowMs: 50, maxConcurrent: 200 });
	await limiter.schedule('read', async () => undefined); // connects to Redis, if any
	const latencies: number[] = [];
	for (let i = 0; i < 200; i++) {
		const start = performance.now();
		await limiter.schedule('read', async () => void latencies.push(performance.now() - start));
	}
	const cpuBefore = process.cpuUsage();
	await Promise.all(Array.from({ length: 2000 }, () => limiter.schedule('read', async () => undefined)));
	const cpu = process.cpuUsage(cpuBefore);
	const mode = limiter.mode;
	await registry.close();
	return { latencyMs: round2(percentile(latencies, 50)), cpuMs: round2((cpu.user + cpu.system) / 1000 / 2000), mode };
}

/** Under tsx, '…/Pumble.node' resolves to Pumble.node.json (the codex file): name the .ts file. */
function pumbleNode() {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Pumble } = require('../nodes/Pumble/Pumble.node.ts') as typeof import('../nodes/Pumble/Pumble.node');
	return new Pumble();
}

const round2 = (n: number) => Math.round(n * 100) / 100;

main().catch((error: unknown) => {
	process.stderr.write(`worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
