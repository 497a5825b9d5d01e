/**
 * How long one poll may read, and whether it was cancelled. Hosts that give a poll budget (n8n's
 * `getPollBudgetMs()`) get a deadline: no request starts after it. A channel whose read is not
 * complete by then keeps its place and is read on the next poll; what is complete is emitted.
 */
import { throwIfCancelled } from '../time';

/** The deadline passed before a channel's read was complete: the channel keeps its previous state. */
export class OutOfTime extends Error {
	constructor() {
		super('The poll budget was spent before this channel was read');
		this.name = 'OutOfTime';
	}
}

export class Budget {
	constructor(
		/** Epoch ms (on `clock`) after which no request starts; undefined = no deadline. */
		private readonly deadline: number | undefined,
		private readonly clock: () => number = Date.now,
		readonly signal?: AbortSignal,
	) {}

	/** True when no further request should start. Throws a CancelledError when the poll was cancelled. */
	spent(): boolean {
		throwIfCancelled(this.signal);
		return this.deadline !== undefined && this.clock() >= this.deadline;
	}

	/** Before a request that must complete for the channel's read to count: throws OutOfTime when spent. */
	check(): void {
		if (this.spent()) throw new OutOfTime();
	}
}
