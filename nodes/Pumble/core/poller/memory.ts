/**
 * What the trigger remembers in this process, beside the host's static data, for hosts that keep a
 * poll's static data only when it emits or finds nothing (n8n's durable poll scheduler: a poll that
 * throws, and the activation poll, commit nothing):
 * - the activation's baseline, so the first scheduled poll continues from the activation instead of
 *   baselining again (which would skip what arrived in between);
 * - when each failing channel was last reported, so a report thrown by one poll is not thrown again by
 *   the next one when the host discarded the state that recorded it.
 * Bounded: the least recently used triggers are forgotten first.
 */
import type { TriggerState } from './state';

const MAX_TRIGGERS = 1000;

interface Remembered {
	baseline?: TriggerState;
	reported: Map<string, number>;
}

const triggers = new Map<string, Remembered>();

function entry(key: string): Remembered {
	let found = triggers.get(key);
	if (found) {
		triggers.delete(key);
	} else {
		found = { reported: new Map() };
	}
	triggers.set(key, found);
	while (triggers.size > MAX_TRIGGERS) triggers.delete(triggers.keys().next().value as string);
	return found;
}

export const triggerMemory = {
	rememberBaseline(key: string, state: TriggerState): void {
		entry(key).baseline = structuredClone(state);
	},
	/** The activation's baseline, when the host lost it (nothing in its static data). */
	baseline(key: string): TriggerState | undefined {
		const found = triggers.get(key)?.baseline;
		return found ? structuredClone(found) : undefined;
	},
	rememberReported(key: string, channel: string, at: number): void {
		entry(key).reported.set(channel, at);
	},
	reportedAt(key: string, channel: string): number | undefined {
		return triggers.get(key)?.reported.get(channel);
	},
	forgetReported(key: string, keep: Set<string>): void {
		const found = triggers.get(key);
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
