/**
 * What the Pumble Trigger uses of its n8n host, found by feature detection (never by version): the poll
 * budget (`getPollBudgetMs`, newer n8n) and an emit that takes a deduplication key. (The cancel signal:
 * transport's cancelSignalOf, shared with the Pumble node.)
 */
import { createHash } from 'node:crypto';
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { PollEvent } from '../../../core/poller';

/** Share of the host's poll budget spent reading; the rest is for judging authors and emitting. */
const BUDGET_SHARE = 0.8;

/** Where the host gives a poll budget (n8n's getPollBudgetMs), the time after which no request starts. */
export function pollDeadline(context: IPollFunctions): number | undefined {
	const host = context as unknown as { getPollBudgetMs?: unknown };
	if (typeof host.getPollBudgetMs !== 'function') return undefined;
	const budget = Number((host.getPollBudgetMs as () => unknown).call(context));
	if (!Number.isFinite(budget) || budget <= 0) return undefined;
	return Date.now() + Math.floor(budget * BUDGET_SHARE);
}

/**
 * The poll's events as one execution. Where the host's emit takes a deduplication key (newer n8n), the
 * trigger emits itself with the event's key (a new message: its ID; several events: a hash of their keys),
 * so the host refuses a second execution for the same events, and returns null.
 */
export function emitOrReturn(context: IPollFunctions, events: PollEvent[]): INodeExecutionData[][] | null {
	const data = [context.helpers.returnJsonArray(events.map((event) => event.json) as unknown as IDataObject[])];
	const emit = context.__emit as unknown as ((...args: unknown[]) => void) | undefined;
	if (typeof emit !== 'function' || emit.length < 4) return data;
	emit.call(context, data, undefined, undefined, deduplicationKey(context, events));
	return null;
}

export function fingerprint(value: unknown): string {
	return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

function deduplicationKey(context: IPollFunctions, events: PollEvent[]): string {
	const node = context.getNode();
	const ids = events.map((event) => event.key);
	const of = ids.length === 1 ? ids[0] : createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32);
	return `pumbleTrigger:${node.id ?? node.name}:${of}`;
}
