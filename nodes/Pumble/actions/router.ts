/**
 * One loop over the items for every operation: per-item results with pairedItem, "Continue On Fail",
 * n8n errors with itemIndex. The node reads Resource and Operation once (per item when either is an expression); each item's parameters
 * are read once (n8n evaluates a parameter's expressions on every read), as its catalogue entry's input, and
 * checked by the entry (checkedItems.ts); the entry says whether the item only reads, the lane its write
 * keeps order in (one per conversation: core/lanes/key.ts) and runs it; the action shapes n8n's output.
 * Writes to one conversation keep item order whatever the error setting, everything else runs concurrently;
 * the user's rate limiter decides how fast requests actually leave.
 *
 * Without "Continue On Fail" the first failure stops the node, as n8n users expect:
 * - every item's input is checked before the first request (checkedItems.ts), so bad input sends nothing;
 * - after a failure no further item starts; items already in flight finish; the node fails with the error
 *   of the lowest-index failing item, and its description tells every item's fate in ranges (sent with
 *   message IDs, not sent, never started, unknown: core/receipts/ranges.ts);
 * - the writes that succeeded are remembered (retryMemory.ts), so n8n's "Retry On Fail" does not send them again;
 * - every write is recorded durably (receipts.ts), so n8n's Retry of a failed or crashed execution sends only
 *   what did not arrive: an item already sent returns its receipt with `alreadySent: true`.
 * n8n's Stop button (the execution's cancel signal) stops new items from starting and every wait.
 */
import { setMaxListeners } from 'node:events';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { describeFates, ITEM_CONCURRENCY, PumbleApiError, runInLanes, withEarlierAttempt, type ItemFate, type LaneKey, type LaneResult, type RunLedger } from '../../../core';
import { toNodeError } from '../helpers/errors';
import { getPumbleApi } from '../transport';
import * as channel from './channel';
import { checkItems, type CheckedItem, type Chosen } from './checkedItems';
import * as message from './message';
import * as reaction from './reaction';
import { openLedger } from './receipts';
import { fingerprintOf, writeMemoryFor } from './retryMemory';
import * as scheduledMessage from './scheduledMessage';
import type { PumbleOperation } from './types';
import * as user from './user';
import * as userGroup from './userGroup';

export const resources: Record<string, { operations: Record<string, PumbleOperation> }> = {
	message,
	reaction,
	channel,
	scheduledMessage,
	user,
	userGroup,
};

type Output = IDataObject | IDataObject[];

/** "On Retry: Skip Messages Already in the Channel" looks this far back (and at most 1,000 messages per look). */
const SKIP_EXISTING_LOOKBACK_MS = 24 * 60 * 60_000;

/** Runs the items through the chosen operation (Resource and Operation as the node read them, once). */
export async function router(this: IExecuteFunctions, chosen: Chosen): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const cancelSignal = this.getExecutionCancelSignal?.();
	// Every request in flight listens on n8n's cancel signal: allow that many without Node's leak warning.
	if (cancelSignal) setMaxListeners(ITEM_CONCURRENCY + 10, cancelSignal);
	const api = await getPumbleApi(this);
	const continueOnFail = this.continueOnFail();

	// Every item's input, read once and checked before the first request (without Continue On Fail, a bad item stops the node here).
	const checked = checkItems(this, items.length, chosen, resources, continueOnFail);
	const readOnly = (i: number) => checked[i].entry?.readOnly === true;
	const memory = continueOnFail ? undefined : writeMemoryFor(this.getExecutionId(), this.getNode().name, runIndexOf(this));
	const parameters = this.getNode().parameters;
	const fingerprint = (i: number) => fingerprintOf(parameters, items[i].json);
	const writes = items.some((_, i) => !readOnly(i));
	/** "On Retry: Skip Messages Already in the Channel": the messages this run's items took. */
	const claimed = new Set<string>();
	const ledger = writes ? await openLedger(this, items, parameters, api.client.identity, runIndexOf(this)) : undefined;

	// Each item's lane, in item order, before the first write: a channel's name resolves to its ID here.
	const lanes: LaneKey[] = new Array(items.length);
	for (let i = 0; i < items.length; i++) {
		const item = checked[i];
		// bad input: the item fails when it runs, and needs no lane
		if (item.ok && item.entry.ordered) lanes[i] = await item.entry.lane?.(api, item.valid);
	}

	const results = await runInLanes<Output>({
		count: items.length,
		concurrency: ITEM_CONCURRENCY,
		laneOf: (i) => lanes[i],
		work: async (i) => {
			const item = checked[i];
			if (!item.ok) throw item.error;
			const execute = async () => outputOf(this, item, await item.entry.run(api, item.valid), i);
			if (item.entry.readOnly || (!memory && !ledger)) return await execute();
			const key = fingerprint(i);
			const remembered = memory?.recall(i, key);
			if (remembered) return remembered;
			const output = await writeOnce(ledger, i, key, execute, scanSinceOf(this, item), claimed);
			memory?.remember(i, key, output);
			return output;
		},
		onError: () => continueOnFail,
		signal: cancelSignal,
	});

	const stopped = results.some((result) => result === undefined || (!continueOnFail && !result.ok));
	if (stopped) await ledger?.stopped();
	else await ledger?.finished();

	if (!continueOnFail) {
		const failed = results.findIndex((result) => result !== undefined && !result.ok);
		if (failed >= 0) throw stopError(this, results, failed, readOnly, ledger);
		const notStarted = results.findIndex((result) => result === undefined);
		if (notStarted >= 0) {
			throw new NodeOperationError(this.getNode(), `The execution was cancelled before item ${notStarted} was sent`, {
				itemIndex: notStarted,
				description: fatesOf(results, readOnly, ledger),
			});
		}
		memory?.forget();
	}

	const output: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const result = results[i];
		if (!result) continue; // cancelled before it started
		if (!result.ok) {
			const error = toNodeError(this.getNode(), result.error, i);
			output.push({ json: { error: error.message, description: error.description ?? null }, pairedItem: { item: i } });
			continue;
		}
		const values = Array.isArray(result.value) ? result.value : [result.value];
		for (const json of values) output.push({ json, pairedItem: { item: i } });
	}
	return [output];
}

/**
 * One item's write, recorded in the run's ledger: an item an earlier attempt sent returns that receipt
 * (`alreadySent: true`) instead of being sent; one whose earlier attempt never got its answer is looked
 * for in Pumble first (core/reconcile/earlier.ts); a certain refusal clears the record.
 */
async function writeOnce(
	ledger: RunLedger | undefined,
	i: number,
	key: string,
	write: () => Promise<Output>,
	scanSince?: number,
	claimed?: Set<string>,
): Promise<Output> {
	if (!ledger) return await (scanSince !== undefined ? withEarlierAttempt(scanSince, write, 'scan', claimed) : write());
	const earlier = ledger.recall(i, key);
	if (earlier?.state === 'sent') return { ...earlier.ids, alreadySent: true };
	await ledger.started(i, key);
	const attempt = () => {
		if (earlier?.state === 'pending') return withEarlierAttempt(earlier.at, write);
		return scanSince !== undefined ? withEarlierAttempt(scanSince, write, 'scan', claimed) : write();
	};
	const outcome = await attempt().then(
		(output) => ({ output }),
		(error: unknown) => ({ error }),
	);
	if ('output' in outcome) {
		await ledger.sent(i, key, outcome.output);
		return outcome.output;
	}
	// the lane runner turns the item's error into the node's n8n error (toNodeError)
	if (!(outcome.error instanceof PumbleApiError) || outcome.error.outcome !== 'unknown') await ledger.notSent(i, key);
	return await Promise.reject(outcome.error);
}

/** The lowest-index failure, telling what happened to every item. */
function stopError(
	context: IExecuteFunctions,
	results: Array<LaneResult<Output> | undefined>,
	failed: number,
	readOnly: (i: number) => boolean,
	ledger: RunLedger | undefined,
) {
	const error = toNodeError(context.getNode(), (results[failed] as { error: unknown }).error, failed);
	const fates = fatesOf(results, readOnly, ledger);
	if (fates) error.description = [error.description, fates].filter(Boolean).join('\n\n');
	return error;
}

/** Every item's fate in ranges (core/receipts/ranges.ts), or undefined for reads. */
function fatesOf(
	results: Array<LaneResult<Output> | undefined>,
	readOnly: (i: number) => boolean,
	ledger: RunLedger | undefined,
): string | undefined {
	if (results.every((_, i) => readOnly(i))) return undefined;
	// `results` has holes where items never started: visit every index
	const fates = Array.from({ length: results.length }, (_, i) => results[i]).map((result): ItemFate => {
		if (!result) return { kind: 'notStarted' };
		if (!result.ok) return result.error instanceof PumbleApiError && result.error.outcome === 'unknown' ? { kind: 'unknown' } : { kind: 'notSent' };
		const first = (Array.isArray(result.value) ? result.value[0] : result.value) as IDataObject | undefined;
		const id = first?.id ?? first?.messageId;
		return { kind: 'sent', id: typeof id === 'string' ? id : undefined, alreadySent: first?.alreadySent === true };
	});
	const hint = ledger
		? 'Retry this execution (Executions list → Retry) to send only what was not sent: the sent items come back with alreadySent: true. ' +
			'A new execution with the same input would send the sent items again unless you remove them from the input.' +
			(ledger.degraded ? ` Warning: the receipts could not all be recorded (${ledger.degraded}), so a retry may send some of them again.` : '')
		: 'Running the node again would send the sent items again unless you remove them from the input.';
	return describeFates(fates, hint);
}

/** How far back "On Retry: Skip Messages Already in the Channel" looks, when it is on and this is n8n's Retry. */
function scanSinceOf(context: IExecuteFunctions, item: Extract<CheckedItem, { ok: true }>): number | undefined {
	if (context.getMode() !== 'retry') return undefined;
	if (item.options.skipExistingOnRetry !== true) return undefined;
	return Date.now() - SKIP_EXISTING_LOOKBACK_MS;
}

/** The entry's result as n8n's output: shaped by the action (Simplify), or as it is. */
function outputOf(context: IExecuteFunctions, item: Extract<CheckedItem, { ok: true }>, result: unknown, i: number): Output {
	return item.operation.output ? item.operation.output.call(context, result, i) : (result as Output);
}

/** Which run of this node in the execution (a loop runs it again with a new index; a retry keeps it). */
function runIndexOf(context: IExecuteFunctions): number {
	const runIndex = context.getWorkflowDataProxy(0).$runIndex as unknown;
	return typeof runIndex === 'number' ? runIndex : 0;
}
