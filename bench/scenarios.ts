/**
 * The benchmark's scenarios. Add one by appending to SCENARIOS (e.g. a 10,000-item load run:
 * `{ name: 'load-10k', kind: 'node-sends', items: 10_000, channels: 100, latencyMs: 100, ... }`);
 * run a subset with `npm run bench -- --only load-10k,sends-10ch-100ms`, everything with `--all`, and
 * everything at ÷10 (≈ 3 minutes, machine-bound where noted) with `--quick`.
 *
 * Every duration here is in real-world terms (Pumble's 1000 per 60 s, latencies as measured against
 * Pumble). The runner divides all of them by the time scale (default 10: a 6 s window), latency
 * included, so the ratios that decide efficiency — latency : window, burst time : window — stay those
 * of the real API.
 */
export type ScenarioKind =
	/** The node's execute(): Message → Send to a channel per item, items in lanes by channel. */
	| 'node-sends'
	/** The node's execute(): Channel → Get per item (a read: no lane, items run concurrently). */
	| 'node-reads'
	/** How the existing community Pumble node works: one item after another, no limiter, no retry. */
	| 'naive-sends';

/** n8n's "On Error" setting of the node: the default (stop the workflow) or "Continue". */
export type ErrorSetting = 'default' | 'continueOnFail';

export interface Scenario {
	name: string;
	title: string;
	kind: ScenarioKind;
	/** Items per process. */
	items: number;
	/** Channels per process; item i goes to channel i mod channels. */
	channels: number;
	/** Real-world API latency simulated (divided by the time scale). */
	latencyMs: number;
	/** Processes sharing one Pumble user (each with its own key of that user) through Redis. */
	processes?: number;
	/** A per-operation limit the sandbox enforces on sendMessage (per minute, workspace-wide) and the node is not told of. */
	hiddenSendLimit?: number;
	/** Shown under the table. */
	note?: string;
	/** Real time ÷ this = simulated time; default the runner's --scale (10). */
	timeScale?: number;
	/** Not run by default (only with --only or --all). */
	optional?: boolean;
	/** The node's error settings to run it in (node kinds; default both). */
	settings?: ErrorSetting[];
	/** Random sandbox faults during the run, e.g. 5 % 429s on sendMessage. */
	faults?: { rate: number; kinds: Array<'429'>; paths?: string[] };
}

export const PUMBLE_LIMIT = 1000;
export const PUMBLE_WINDOW_MS = 60_000;

export const SCENARIOS: Scenario[] = [
	{
		name: 'sends-1500-10ch-100ms',
		title: '1,500 sends, 10 channels, 100 ms',
		timeScale: 1,
		kind: 'node-sends',
		items: 1500,
		channels: 10,
		latencyMs: 100,
		note: "the default-setting case (1,500 sends to 10 channels), unscaled: ordering binds (10 lanes at 100 ms carry at most 100 requests/s)",
	},
	{
		name: 'sends-10ch-100ms',
		title: '3,000 sends, 10 channels, 100 ms',
		kind: 'node-sends',
		items: 3000,
		channels: 10,
		latencyMs: 100,
		note: 'ordering binds: 10 lanes at 100 ms carry at most 100 requests/s, so the last 1,000 take ≥ 10 s after the budget returns',
	},
	{
		name: 'sends-10ch-300ms',
		title: '3,000 sends, 10 channels, 300 ms',
		kind: 'node-sends',
		items: 3000,
		channels: 10,
		latencyMs: 300,
		note: 'ordering binds: 10 lanes at 300 ms carry at most 33 requests/s, so the last 1,000 take ≥ 30 s after the budget returns',
	},
	{
		name: 'naive-10ch-100ms',
		title: 'naive baseline, 3,000 sends, 100 ms',
		kind: 'naive-sends',
		items: 3000,
		channels: 10,
		latencyMs: 100,
	},
	{
		name: 'naive-10ch-300ms',
		title: 'naive baseline, 3,000 sends, 300 ms',
		kind: 'naive-sends',
		items: 3000,
		channels: 10,
		latencyMs: 300,
		optional: true,
	},
	{
		name: 'sends-100ch-100ms',
		title: '3,000 sends, 100 channels, 100 ms',
		timeScale: 1,
		kind: 'node-sends',
		items: 3000,
		channels: 100,
		latencyMs: 100,
		note: 'ordering hardly binds: 100 lanes at 100 ms carry 1,000 requests/s',
	},
	{
		name: 'sends-10k-100ch-100ms',
		title: '10,000 sends, 100 channels, 100 ms',
		kind: 'node-sends',
		items: 10_000,
		channels: 100,
		latencyMs: 100,
		settings: ['default'],
		note: 'ten windows of budget through one execution of the node in its default setting',
	},
	{
		name: 'random-429-5pct',
		title: '200 sends, 10 channels, 10 ms, 5 % random 429s (Retry-After 1 s)',
		timeScale: 1,
		kind: 'node-sends',
		items: 200,
		channels: 10,
		latencyMs: 10,
		faults: { rate: 0.05, kinds: ['429'], paths: ['sendMessage'] },
		note: 'without faults this takes under a second; the 429s are noise, not a limit',
	},
	{
		name: 'reads-300ms',
		title: '3,000 reads (getChannel), 300 ms',
		timeScale: 1,
		kind: 'node-reads',
		items: 3000,
		channels: 10,
		latencyMs: 300,
		note: 'reads have no lane: up to ITEM_CONCURRENCY (200) in flight',
		optional: true,
	},
	{
		name: 'hidden-80-sends',
		title: '400 sends, hidden 80/min send limit, 100 ms',
		kind: 'node-sends',
		items: 400,
		channels: 10,
		latencyMs: 100,
		hiddenSendLimit: 80,
		note: 'efficiency against the hidden 80/min limit, which is what binds',
	},
	{
		name: 'redis-3proc',
		title: '3 processes × 1,000 sends, one user via Redis, 100 ms',
		kind: 'node-sends',
		items: 1000,
		channels: 10,
		latencyMs: 100,
		processes: 3,
		note: 'each process has its own key of the same user and its own 10 channels',
	},
];

/** The error settings a scenario runs in. */
export function settingsOf(scenario: Scenario): ErrorSetting[] {
	if (scenario.kind === 'naive-sends') return ['default'];
	return scenario.settings ?? ['default', 'continueOnFail'];
}
