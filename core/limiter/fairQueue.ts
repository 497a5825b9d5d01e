/**
 * Requests waiting for a user's budget, one FIFO per requester (an n8n execution, a Node-RED node, the
 * trigger's poll…), served round-robin: each requester's next request goes in turn, so a requester with
 * hundreds queued holds back another's next request by at most one of its own per turn. Every request
 * costs one unit, so this is deficit round-robin with a quantum of one. Order within a requester is kept.
 */
export class FairQueue<T> {
	/** Insertion order is the turn order: a requester just served moves to the back. */
	private readonly queues = new Map<string, T[]>();
	private count = 0;

	get size(): number {
		return this.count;
	}

	push(requester: string, item: T): void {
		const queue = this.queues.get(requester);
		if (queue) queue.push(item);
		else this.queues.set(requester, [item]);
		this.count++;
	}

	/** Takes an item out wherever it waits (cancelled). Returns whether it was there. */
	remove(requester: string, item: T): boolean {
		const queue = this.queues.get(requester);
		const at = queue?.indexOf(item) ?? -1;
		if (!queue || at < 0) return false;
		queue.splice(at, 1);
		if (queue.length === 0) this.queues.delete(requester);
		this.count--;
		return true;
	}

	/**
	 * The next request in turn among the requesters `eligible` lets go, taken out of the queue; its
	 * requester moves to the back of the turn order. Undefined when no eligible requester waits.
	 */
	take(eligible: (requester: string) => boolean = () => true): T | undefined {
		for (const [requester, queue] of this.queues) {
			if (!eligible(requester)) continue;
			const item = queue.shift() as T;
			this.queues.delete(requester);
			if (queue.length > 0) this.queues.set(requester, queue);
			this.count--;
			return item;
		}
		return undefined;
	}

	/** Requesters with requests waiting, in turn order. */
	requesters(): string[] {
		return [...this.queues.keys()];
	}

	/** Every waiting item, requester by requester. */
	items(): T[] {
		return [...this.queues.values()].flat();
	}
}
