/**
 * What the trigger remembers in this process, beside the host's static data, for hosts that keep a
 * poll's static data only when it emits or finds nothing (n8n's durable poll scheduler: a poll that
 * throws, and the activation poll, commit nothing):
 * - the activation's baseline, so the first scheduled poll continues from the activation instead of
 *   baselining again (which would skip what arrived in between);
 * - when each failing channel was last reported, so a report thrown by one poll is not thrown again by
 *   the next one when the host discarded the state that recorded it.
 * Held in the process-state registry (core/processState.ts): at most MAX_TRIGGERS triggers, and one not
 * polled for FORGET_AFTER_MS is forgotten.
 */
import { processState } from '../processState';
import type { TriggerState } from './state';

const MAX_TRIGGERS = 1000;
const FORGET_AFTER_MS = 31 * 24 * 60 * 60_000;

interface Remembered {
	baseline?: TriggerState;
	reported: Map<string, number>;
}

const triggers = processState.boundedCache<Remembered>('poller.triggers', { ttlMs: FORGET_AFTER_MS, maxEntries: MAX_TRIGGERS, slide: true });

function entry(key: string): Remembered {
	const found = triggers.peek(key) ?? { reported: new Map<string, number>() };
	triggers.set(key, found);
	return found;
}

export const triggerMemory = {
	rememberBaseline(key: string, state: TriggerState): void {
		entry(key).baseline = structuredClone(state);
	},
	/** The activation's baseline, when the host lost it (nothing in its static data). */
	baseline(key: string): TriggerState | undefined {
		const found = triggers.peek(key)?.baseline;
		return found ? structuredClone(found) : undefined;
	},
	rememberReported(key: string, channel: string, at: number): void {
		entry(key).reported.set(channel, at);
	},
	reportedAt(key: string, channel: string): number | undefined {
		return triggers.peek(key)?.reported.get(channel);
	},
	forgetReported(key: string, keep: Set<string>): void {
		const found = triggers.peek(key);
		if (found) for (const channel of [...found.reported.keys()]) if (!keep.has(channel)) found.reported.delete(channel);
	},
	size(): number {
		return triggers.size;
	},
	/** For tests. */
	reset(): void {
		triggers.clear();
	},
};
