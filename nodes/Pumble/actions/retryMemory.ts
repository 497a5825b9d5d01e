/**
 * What this execution's node already wrote, so that n8n's "Retry On Fail" — which runs the whole node
 * again in the same execution — returns those receipts instead of sending the items a second time.
 *
 * An attempt is keyed by execution ID, node name and run index (a loop that runs the node again gets a
 * new run index, so it is never mistaken for a retry); each item's record also carries a fingerprint of
 * its input and the node's parameters, so a changed item is sent. A finished attempt forgets its record. Records of
 * failed attempts live in this process for RETRY_MEMORY_TTL_MS after their last write, at most
 * MAX_ATTEMPTS of them: n8n waits at most 5 s between tries.
 */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

export const RETRY_MEMORY_TTL_MS = 15 * 60_000;
export const MAX_ATTEMPTS = 200;

type Output = IDataObject | IDataObject[];

interface AttemptRecord {
	touchedAt: number;
	items: Map<number, { fingerprint: string; output: Output }>;
}

const attempts = new Map<string, AttemptRecord>();

export function fingerprintOf(...parts: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('base64');
}

/** This attempt's view of the memory. */
export class WriteMemory {
	constructor(private readonly key: string) {}

	/** The receipt of a write this execution already made for this item with this input, if any. */
	recall(itemIndex: number, fingerprint: string): Output | undefined {
		const found = attempts.get(this.key)?.items.get(itemIndex);
		return found && found.fingerprint === fingerprint ? found.output : undefined;
	}

	remember(itemIndex: number, fingerprint: string, output: Output, now = Date.now()): void {
		let record = attempts.get(this.key);
		if (!record) {
			record = { touchedAt: now, items: new Map() };
			prune(now);
		}
		// Re-inserted: the Map's order is least recently written first, which prune relies on.
		attempts.delete(this.key);
		attempts.set(this.key, record);
		record.touchedAt = now;
		record.items.set(itemIndex, { fingerprint, output });
	}

	/** The attempt finished: nothing will retry it. */
	forget(): void {
		attempts.delete(this.key);
	}
}

export function writeMemoryFor(executionId: string, nodeName: string, runIndex: number): WriteMemory {
	return new WriteMemory(JSON.stringify([executionId, nodeName, runIndex]));
}

function prune(now: number): void {
	for (const [key, record] of attempts) {
		if (attempts.size < MAX_ATTEMPTS && now - record.touchedAt < RETRY_MEMORY_TTL_MS) break;
		attempts.delete(key);
	}
}

/** Tests: start from an empty memory. */
export function resetWriteMemory(): void {
	attempts.clear();
}

/** Tests and diagnostics: how many attempts are remembered. */
export function rememberedAttempts(): number {
	return attempts.size;
}
