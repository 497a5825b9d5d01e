/** One poll per trigger at a time in this process. */
const running = new Set<string>();

/**
 * Runs `work` unless another run with the same key is still in progress in this process; then resolves
 * `undefined` at once. n8n does not overlap the polls of one workflow, but a slow poll must never run
 * concurrently with the next one on the same state.
 */
export async function exclusive<T>(key: string, work: () => Promise<T>): Promise<T | undefined> {
	if (running.has(key)) return undefined;
	running.add(key);
	try {
		return await work();
	} finally {
		running.delete(key);
	}
}
