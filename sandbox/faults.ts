/** Misbehaviour on purpose: which request gets which fault (queued, then seeded random), and latency. */
import type { Fault, FaultMatch, FaultOptions } from './types';

/** mulberry32: tiny, seedable, good enough to make fault sequences reproducible. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function operationName(path: string): string {
	return path.replace(/^\/+/, '');
}

/** A fault chosen for one request, with the per-fault delay a queued `late-commit` may carry. */
export interface PickedFault {
	fault: Fault;
	lateCommitMs?: number;
}

/** Queued one-shot faults first, then random ones at the configured rate. */
export class FaultInjector {
	private queue: Array<{ fault: Fault; match: FaultMatch }> = [];
	private options: FaultOptions | undefined;
	private random: () => number = mulberry32(1);

	constructor(options?: FaultOptions) {
		this.configure(options);
	}

	/** Reconfiguring re-seeds the PRNG, so the same options replay the same sequence. */
	configure(options: FaultOptions | undefined): void {
		this.options = options;
		this.random = mulberry32(options?.seed ?? 1);
	}

	enqueue(fault: Fault, match: FaultMatch = {}): void {
		this.queue.push({ fault, match });
	}

	reset(): void {
		this.queue = [];
		this.configure(this.options);
	}

	get slowMs(): number {
		return this.options?.slowMs ?? 30_000;
	}

	pick(method: string, path: string): PickedFault | undefined {
		const operation = operationName(path);
		const queued = this.queue.findIndex(
			({ match }) =>
				(match.path === undefined || operationName(match.path) === operation) &&
				(match.method === undefined || match.method.toUpperCase() === method),
		);
		if (queued >= 0) {
			const [{ fault, match }] = this.queue.splice(queued, 1);
			return { fault, lateCommitMs: match.lateCommitMs };
		}

		const options = this.options;
		if (!options || options.rate <= 0 || options.kinds.length === 0) return undefined;
		if (options.paths && !options.paths.some((p) => operationName(p) === operation)) return undefined;
		if (this.random() >= options.rate) return undefined;
		return { fault: options.kinds[Math.floor(this.random() * options.kinds.length)] };
	}
}

/** Faults that answer instead of the API: the request is never processed or counted. */
export const SHORT_CIRCUIT_FAULTS: ReadonlySet<Fault> = new Set<Fault>([
	'429',
	'429-date',
	'429-bare',
	'500',
	'502',
	'503',
	'reset-before',
	'html-error',
]);

export function latencyFor(latency: number | { min: number; max: number } | undefined): number {
	if (latency === undefined) return 0;
	if (typeof latency === 'number') return Math.max(0, latency);
	const { min, max } = latency;
	return Math.max(0, min + Math.random() * Math.max(0, max - min));
}
