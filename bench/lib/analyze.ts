/** Reading a sandbox request log: rolling-window maxima, per-interval rates, message order, the ideal and the ordering ceiling. */

/** The most events in any half-open window of `windowMs`, from arrival times (any order). */
export function busiestWindow(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= windowMs) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

/** Counts per bin of `binMs` from `from` to `to`. */
export function histogram(times: number[], from: number, to: number, binMs: number): number[] {
	const bins = new Array<number>(Math.max(1, Math.ceil((to - from) / binMs))).fill(0);
	for (const t of times) {
		const i = Math.floor((t - from) / binMs);
		if (i >= 0 && i < bins.length) bins[i]++;
	}
	return bins;
}

/** For each bin end, the events in the window of `windowMs` before it. */
export function trailingWindow(times: number[], from: number, to: number, binMs: number, windowMs: number): number[] {
	const sorted = [...times].sort((a, b) => a - b);
	const out: number[] = [];
	let start = 0;
	let end = 0;
	for (let at = from + binMs; at <= to + binMs - 1; at += binMs) {
		while (end < sorted.length && sorted[end] < at) end++;
		while (start < end && sorted[start] < at - windowMs) start++;
		out.push(end - start);
	}
	return out;
}

/**
 * Items whose message arrived after a later item's in the same channel. `sequence` is the server's
 * insertion order of (channel, item index); an item counts once however far it was overtaken.
 */
export function outOfOrder(sequence: Array<{ channel: string; item: number }>): number {
	const highest = new Map<string, number>();
	let late = 0;
	for (const { channel, item } of sequence) {
		const top = highest.get(channel);
		if (top !== undefined && item < top) late++;
		else highest.set(channel, item);
	}
	return late;
}

export function percentile(values: number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * The least time a rolling limit of `limit` per `windowMs` allows for `items` requests, plus the last answer:
 * (⌈items ÷ limit⌉ − 1) × window + latency. Efficiency = this ÷ the measured wall time.
 */
export function idealMs(items: number, limit: number, windowMs: number, latency: number): number {
	return (Math.ceil(items / limit) - 1) * windowMs + latency;
}

/**
 * The best efficiency possible when `lanes` channels each carry one request at a time (1/latency per
 * lane): the last of the ⌈N/L⌉ bursts cannot leave faster than lanes/latency, nor can the whole run.
 */
export function orderingCeiling(items: number, limit: number, windowMs: number, latency: number, lanes: number, idealMs: number): number | null {
	const rate = lanes / Math.max(latency, 0.001); // requests per ms
	const windows = Math.ceil(items / limit) - 1;
	const lanesBound = Math.max(items / rate, windows * windowMs + (items - windows * limit) / rate);
	const ceiling = idealMs / lanesBound;
	return ceiling < 0.995 ? Math.min(1, ceiling) : null;
}
