/** A counting semaphore: a user's requests in flight at once in this process. A wait can be cancelled. */
import { CancelledError, onAbort } from '../time';

interface Waiter {
	grant(): void;
}

export class Semaphore {
	private active = 0;
	private readonly waiting = new Set<Waiter>();

	constructor(private readonly size: number) {}

	/** Undefined when a slot was free; otherwise resolves with the slot, or rejects with CancelledError when `signal` aborts first. */
	acquire(signal?: AbortSignal): Promise<void> | undefined {
		if (signal?.aborted) return Promise.reject(new CancelledError());
		if (this.active < this.size) {
			this.active++;
			return undefined;
		}
		return new Promise<void>((resolve, reject) => {
			const unwatch = signal ? onAbort(signal, () => this.waiting.delete(waiter) && reject(new CancelledError())) : () => undefined;
			const waiter: Waiter = {
				grant: () => {
					unwatch();
					resolve();
				},
			};
			this.waiting.add(waiter);
		});
	}

	release(): void {
		const next = this.waiting.values().next();
		if (next.done) {
			this.active--;
			return;
		}
		this.waiting.delete(next.value);
		next.value.grant(); // the slot passes on
	}

	get waitingCount(): number {
		return this.waiting.size;
	}
}
