/**
 * What the `pumble` node's status says, from what its messages and its requests are doing: "sending (N)";
 * "waiting for rate limit (N held)" while one of its requests has been held back by the user's limiter for
 * longer than a moment (or Pumble answered 429); "waiting: another flow is using this user's budget (N held)"
 * when the budget is held mostly by other flows or nodes; the error of the last message that failed.
 * N counts this node's messages not finished yet (queued behind one conversation's order, waiting, or sending).
 */
import type { ClientEvents, WaitReason } from '../../../core';
import type { NodeStatus, RedNode } from './red';

/** A wait shorter than this is a normal pace and not worth a status. */
export const MOMENT_MS = 1_000;

/** The status text of each reason to wait (the core's reasons, core/limiter/events.ts), in Node-RED's words. */
export const WAIT_TEXT: Record<WaitReason, string> = {
	ownUse: 'waiting for rate limit',
	otherRequester: "waiting: another flow is using this user's budget",
};

export class NodeStatusBoard {
	private pending = 0;
	private waiting = 0;
	private reason: WaitReason = 'ownUse';
	private waitingSince = 0;
	private pausedUntil = 0;
	private timer: NodeJS.Timeout | undefined;
	private timerAt = 0;
	private failed: NodeStatus | undefined;
	private shown = '';

	constructor(private readonly node: RedNode) {}

	/** The client events that feed the board (for `createApi`). */
	readonly events: ClientEvents = {
		waiting: ({ reason }) => {
			if (this.waiting++ === 0) this.waitingSince = Date.now();
			this.reason = reason;
			this.renderSoon(MOMENT_MS);
		},
		waitOver: () => {
			this.waiting = Math.max(0, this.waiting - 1);
			this.render();
		},
		rateLimited: ({ waitMs }) => {
			this.pausedUntil = Math.max(this.pausedUntil, Date.now() + waitMs);
			this.reason = 'ownUse';
			this.render();
		},
	};

	received(): void {
		this.pending++;
		this.failed = undefined;
		this.render();
	}

	finished(error?: string): void {
		this.pending = Math.max(0, this.pending - 1);
		if (error !== undefined) this.failed = { fill: 'red', shape: 'ring', text: error.slice(0, 60) };
		this.render();
	}

	close(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}

	/** Renders again in `ms` (or sooner, when an earlier look is due already). */
	private renderSoon(ms: number): void {
		const at = Date.now() + ms;
		if (this.timer && this.timerAt <= at) return;
		if (this.timer) clearTimeout(this.timer);
		this.timerAt = at;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.render();
		}, ms);
		this.timer.unref?.();
	}

	private status(): NodeStatus {
		const now = Date.now();
		const waitedMs = now - this.waitingSince;
		// The next change that no event announces: a wait becoming longer than a moment, a pause ending. (A timer
		// may fire a millisecond before Date.now() says it is due: then it looks again, instead of leaving
		// "sending" up until the next event, a minute later on a spent budget.)
		if (this.pending > 0 && this.waiting > 0 && waitedMs < MOMENT_MS) this.renderSoon(MOMENT_MS - waitedMs);
		if (now < this.pausedUntil) this.renderSoon(this.pausedUntil - now);
		const held = (this.waiting > 0 && waitedMs >= MOMENT_MS) || now < this.pausedUntil;
		if (this.pending > 0 && held) return { fill: 'yellow', shape: 'ring', text: `${WAIT_TEXT[this.reason]} (${this.pending} held)` };
		if (this.failed) return this.failed;
		if (this.pending > 0) return { fill: 'blue', shape: 'dot', text: `sending (${this.pending})` };
		return {};
	}

	private render(): void {
		const status = this.status();
		const key = JSON.stringify(status);
		if (key === this.shown) return;
		this.shown = key;
		this.node.status(status);
	}
}
