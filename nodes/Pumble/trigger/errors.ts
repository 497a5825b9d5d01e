/** How the Pumble Trigger tells the user what went wrong: one error per poll, naming every channel. */
import type { IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { REPORT_EVERY_MS, triggerMemory, type ChannelProblem, type PollConfig, type PollResult } from '../../../core/poller';
import type { Fix } from '../../../core';
import { n8nHint, toNodeError } from '../helpers/errors';

/** Reports made by earlier polls in this process count even when the state that recorded them was discarded. */
export function withRememberedReports(key: string, result: PollResult): PollResult {
	for (const problem of result.problems) {
		const at = triggerMemory.reportedAt(key, problem.channel);
		if (at === undefined || (problem.failure.reportedAt ?? 0) >= at) continue;
		problem.failure.reportedAt = at;
		const failure = result.state.channels[problem.channel]?.failure;
		if (failure) failure.reportedAt = at;
	}
	triggerMemory.forgetReported(key, new Set(result.problems.map((problem) => problem.channel)));
	return result;
}

export function channelCount(config: PollConfig, problems: ChannelProblem[]): number | undefined {
	return config.channels === 'all' ? undefined : Math.max(new Set(config.channels).size, problems.length);
}

export function toTriggerError(context: IPollFunctions, error: unknown) {
	const converted = toNodeError(context.getNode(), error, 0);
	// A poll has no items: drop the "[item 0]" the action nodes' converter appends.
	converted.message = converted.message.replace(/ \[item 0\]$/, '');
	return converted;
}

/** One error naming every channel that cannot be read, what Pumble said, and what happens next. */
export function channelsError(
	context: IPollFunctions,
	problems: ChannelProblem[],
	total: number | undefined,
	running: boolean,
	withheld = false,
): NodeOperationError {
	const of = total !== undefined ? ` of ${total}` : '';
	const list = problems.map((p) => `${p.channel}: ${p.failure.message}`).join('; ');
	const message = `Pumble Trigger cannot read ${problems.length}${of} channel${(total ?? problems.length) === 1 ? '' : 's'} — ${list}`;
	const hints = problems
		.map((p) => (p.error && typeof p.error === 'object' && 'hint' in p.error ? (n8nHint(p.error as { hint?: string; fix?: Fix }) ?? '') : ''))
		.filter((hint, index, all) => hint && all.indexOf(hint) === index);
	const what = running
		? `The other channels are still watched${withheld ? ' (their new messages come with the next poll)' : ''}. A failing channel keeps its place: once it can be read again, the messages it missed follow. This is reported when a channel starts failing and then once every ${REPORT_EVERY_MS / 60_000} minutes while it keeps failing.`
		: 'Check that each channel still exists and that the API key\'s user can read it (private channels and DMs need membership), or remove it from "Channels".';
	return new NodeOperationError(context.getNode(), message, { description: [...hints, what].join(' ') });
}
