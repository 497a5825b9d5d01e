/**
 * A channel that cannot be read. It keeps its previous state untouched and is returned in `problems`;
 * every other channel advances. A failed channel is re-read from where it was on the next poll.
 * `dueReports` says when to tell the user: when it starts failing, then at most every REPORT_EVERY_MS.
 */
import { PumbleApiError } from '../errors';
import { REPORT_EVERY_MS } from './config';
import type { ChannelFailure, ChannelState, Start, TriggerState } from './state';

export interface ChannelProblem {
	/** The channel ID (or the name that could not be resolved). */
	channel: string;
	failure: ChannelFailure;
	error: unknown;
}

export function failed(channel: string, before: ChannelState | undefined, error: unknown, now: number): ChannelProblem {
	const previous = before?.failure;
	const failure: ChannelFailure = {
		message: describeError(error),
		...(error instanceof PumbleApiError && error.status !== undefined ? { status: error.status } : {}),
		since: previous?.since ?? now,
		count: (previous?.count ?? 0) + 1,
		...(previous?.reportedAt !== undefined ? { reportedAt: previous.reportedAt } : {}),
	};
	return { channel, failure, error };
}

/**
 * A failing channel keeps its previous state untouched. One never read successfully gets a placeholder
 * that remembers how it was meant to start, so a recovery neither replays its history nor skips ahead.
 */
export function keepFailing(before: ChannelState | undefined, start: Start, failure: ChannelFailure): ChannelState {
	if (before && !before.unread) return { ...before, failure };
	return { ts: before?.unread ? before.ts : start === 'baseline' ? 0 : start.since, ids: [], unread: true, failure };
}

/** Failures due for a report: new ones, and ones not reported for `REPORT_EVERY_MS`. */
export function dueReports(result: { problems: ChannelProblem[] }, now = Date.now()): ChannelProblem[] {
	return result.problems.filter((p) => p.failure.reportedAt === undefined || now - p.failure.reportedAt >= REPORT_EVERY_MS);
}

/** Marks the given problems as reported in the state (and in the problems themselves). */
export function markReported(state: TriggerState, problems: ChannelProblem[], now = Date.now()): void {
	for (const problem of problems) {
		problem.failure.reportedAt = now;
		const channel = state.channels[problem.channel];
		if (channel?.failure) channel.failure.reportedAt = now;
	}
}

export function describeError(error: unknown): string {
	if (error instanceof PumbleApiError) return error.message;
	return error instanceof Error ? error.message : String(error);
}
