/**
 * Requests whose connection was dropped unanswered and that the workspace applies later anyway: the
 * `late-commit` fault, where a write lands seconds after the client gave up on it.
 */
import { boundDelay } from './timers';

interface Pending {
	timer: ReturnType<typeof setTimeout>;
	apply(): void;
}

export class LateCommits {
	/** Insertion order is arrival order. */
	private readonly pending = new Set<Pending>();

	/** Runs `apply` after `delayMs` (bounded to what a timer can hold), unless dropped first. */
	schedule(delayMs: number, apply: () => void): void {
		const entry: Pending = { timer: setTimeout(() => this.run(entry), boundDelay(delayMs)), apply };
		this.pending.add(entry);
	}

	get size(): number {
		return this.pending.size;
	}

	/** Applies every pending request now, in arrival order; returns how many. */
	commitAll(): number {
		const all = [...this.pending];
		for (const entry of all) this.run(entry);
		return all.length;
	}

	/** Forgets every pending request: it will never be applied. */
	dropAll(): void {
		for (const entry of this.pending) clearTimeout(entry.timer);
		this.pending.clear();
	}

	private run(entry: Pending): void {
		if (!this.pending.delete(entry)) return;
		clearTimeout(entry.timer);
		entry.apply();
	}
}
