/**
 * Issue 21's case, shared by bench/fairshare.ts (through execute()) and bench/n8n-fairshare.ts (inside a real
 * n8n): a bulk of 3,000 sends over 10 channels and 12 alerts, one every 5 s from 15 s after the start, one
 * Pumble user, unscaled — and what is read from the sandbox's log afterwards.
 */
import type { RequestLogEntry } from '../../sandbox';
import { PUMBLE_LIMIT, PUMBLE_WINDOW_MS } from '../scenarios';
import { busiestWindow, idealMs, orderingCeiling, percentile } from './analyze';

export const ITEMS = 3_000;
export const CHANNELS = 10;
export const LATENCY_MS = 100;
export const ALERTS = { count: 12, everyMs: 5_000, afterMs: 15_000 };

export interface ShareFigures {
	alertLatenciesMs: number[];
	alertP50Ms: number;
	alertMaxMs: number;
	alertsOver3s: number;
	bulkWallMs: number;
	bulkEfficiency: number;
	/** Efficiency ÷ the ordering ceiling of the bulk's 3,000 alone. */
	shareOfCeilingAlone: number;
	/** Efficiency of the user's whole traffic (bulk + alerts, which share the budget) ÷ its ordering ceiling. */
	shareOfCeilingShared: number;
	busiestWindow: number;
	http429: number;
}

/**
 * The figures of one run from the user's requests since its start (`log`), the bulk's accepted requests
 * (`bulk`) and each alert's latency (arrival − start; Infinity when it never arrived).
 */
export function shareFigures(log: RequestLogEntry[], bulk: RequestLogEntry[], alertLatenciesMs: number[]): ShareFigures {
	const accepted = log.filter((e) => e.status !== 0 && e.status !== 429);
	const wall = Math.max(...bulk.map((e) => e.endTs)) - Math.min(...bulk.map((e) => e.ts));
	const ideal = idealMs(ITEMS, PUMBLE_LIMIT, PUMBLE_WINDOW_MS, LATENCY_MS);
	const ceilingAlone = orderingCeiling(ITEMS, PUMBLE_LIMIT, PUMBLE_WINDOW_MS, LATENCY_MS, CHANNELS, ideal) ?? 1;
	// The user's whole traffic shares one budget: 3,000 + 12 requests cannot fit in three windows.
	const total = ITEMS + ALERTS.count;
	const idealShared = idealMs(total, PUMBLE_LIMIT, PUMBLE_WINDOW_MS, LATENCY_MS);
	const ceilingShared = orderingCeiling(total, PUMBLE_LIMIT, PUMBLE_WINDOW_MS, LATENCY_MS, CHANNELS, idealShared) ?? 1;
	return {
		alertLatenciesMs,
		alertP50Ms: percentile(alertLatenciesMs.filter(Number.isFinite), 50),
		alertMaxMs: Math.max(...alertLatenciesMs),
		alertsOver3s: alertLatenciesMs.filter((l) => l > 3_000).length,
		bulkWallMs: wall,
		bulkEfficiency: ideal / wall,
		shareOfCeilingAlone: ideal / wall / ceilingAlone,
		shareOfCeilingShared: idealShared / wall / ceilingShared,
		busiestWindow: busiestWindow(
			accepted.map((e) => e.ts),
			PUMBLE_WINDOW_MS,
		),
		http429: log.filter((e) => e.status === 429).length,
	};
}
