/**
 * One redelivery memory per App Trigger (workflow, node, mode), held for the process. A redelivered event
 * reaches the same n8n main process (Pumble has one events URL per app), so this memory is where "never two
 * executions for one event" is kept. Bounded: a trigger not called for an hour is forgotten.
 */
import { BoundedCache } from '../../../core/cache';
import { RedeliveryMemory } from '../../../core/app/redelivery';

const memories = new BoundedCache<RedeliveryMemory>({ ttlMs: 60 * 60_000, maxEntries: 1_000, slide: true });

export function redeliveryMemoryFor(workflowId: string, nodeId: string, mode: string): RedeliveryMemory {
	const key = `${workflowId}\u0000${nodeId}\u0000${mode}`;
	let memory = memories.peek(key);
	if (!memory) {
		memory = new RedeliveryMemory();
		memories.set(key, memory);
	}
	return memory;
}
