/**
 * What this execution's node already wrote, so that n8n's "Retry On Fail" — which runs the whole node
 * again in the same execution — returns those receipts instead of sending the items a second time.
 *
 * An attempt is keyed by execution ID, node name and run index (a loop that runs the node again gets a
 * new run index, so it is never mistaken for a retry); each item's record also carries a fingerprint of
 * its input and the node's parameters, so a changed item is sent. A finished attempt forgets its record.
 * Records of failed attempts live in the process-wide state (core/processState.ts) for
 * RETRY_MEMORY_TTL_MS after their last write, at most MAX_ATTEMPTS of them: n8n waits at most 5 s
 * between tries.
 */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import { processState } from '../../../core';

export const RETRY_MEMORY_TTL_MS = 15 * 60_000;
export const MAX_ATTEMPTS = 200;

type Output = IDataObject | IDataObject[];
type AttemptRecord = Map<number, { fingerprint: string; output: Output }>;

const attempts = () => processState.boundedCache<AttemptRecord>('retryMemory', { ttlMs: RETRY_MEMORY_TTL_MS, maxEntries: MAX_ATTEMPTS });

export function fingerprintOf(...parts: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('base64');
}

/** One attempt's view of the memory. */
export class WriteMemory {
	constructor(private readonly key: string) {}

	/** The receipt of a write this execution already made for this item with this input, if any. */
	recall(itemIndex: number, fingerprint: string): Output | undefined {
		const found = attempts().peek(this.key)?.get(itemIndex);
		return found && found.fingerprint === fingerprint ? found.output : undefined;
	}

	remember(itemIndex: number, fingerprint: string, output: Output): void {
		const record = attempts().peek(this.key) ?? new Map();
		record.set(itemIndex, { fingerprint, output });
		attempts().set(this.key, record); // extends its life from this write
	}

	/** The attempt finished: nothing will retry it. */
	forget(): void {
		attempts().delete(this.key);
	}
}

export function writeMemoryFor(executionId: string, nodeName: string, runIndex: number): WriteMemory {
	return new WriteMemory(JSON.stringify([executionId, nodeName, runIndex]));
}
