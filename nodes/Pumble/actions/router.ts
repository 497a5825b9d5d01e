/**
 * One loop over the items for every operation: per-item results with pairedItem, "Continue On Fail",
 * n8n errors with itemIndex. Items run in their lanes whatever the error setting: messages to one
 * conversation keep item order (PumbleOperation.conversation → core/lanes/key.ts), everything else runs concurrently; the user's rate
 * limiter decides how fast requests actually leave.
 *
 * Without "Continue On Fail" the first failure stops the node, as n8n users expect:
 * - every item's input is checked before the first request (preflight.ts), so bad input sends nothing;
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
import { describeFates, ITEM_CONCURRENCY, laneKey, PumbleApiError, runInLanes, withEarlierAttempt, type ItemFate, type LaneKey, type LaneResult, type RunLedger } from '../../../core';
import { toNodeError } from '../helpers/errors';
import { getPumbleApi } from '../transport';
import * as channel from './channel';
import * as message from './message';
import { withParameterMemo } from './parameterMemo';
import { checkInputs } from './preflight';
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

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems.call(withParameterMemo(this));
}

async function runItems(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const cancelSignal = this.getExecutionCancelSignal?.();
	// Every request in flight listens on n8n's cancel signal: allow that many without Node's leak warning.
	if (cancelSignal) setMaxListeners(ITEM_CONCURRENCY + 10, cancelSignal);
	const api = await getPumbleApi(this);
	const continueOnFail = this.continueOnFail();

	const operationOf = (i: number): PumbleOperation => {
		const resource = this.getNodeParameter('resource', i) as string;
		const operation = this.getNodeParameter('operation', i) as string;
		const found = resources[resource]?.operations[operation];
		if (!found) throw new Error(`The operation "${operation}" of "${resource}" is not supported`);
		return found;
	};

	if (!continueOnFail) await checkInputs(this, items.length, operationOf, api.client.identity);
	const memory = continueOnFail ? undefined : writeMemoryFor(this.getExecutionId(), this.getNode().name, runIndexOf(this));
	const parameters = this.getNode().parameters;
	const fingerprint = (i: number) => fingerprintOf(parameters, items[i].json);
	const writes = items.some((_, i) => !isReadOnly(operationOf, i));
	/** "On Retry: Skip Messages Already in the Channel": the messages this run's items took. */
	const claimed = new Set<string>();
	const ledger = writes ? await openLedger(this, items, parameters, api.client.identity, runIndexOf(this)) : undefined;

	// Each item's lane, in item order, before the first write: a channel's name resolves to its ID here.
	const lanes: LaneKey[] = new Array(items.length);
	for (let i = 0; i < items.length; i++) {
		let conversation;
		try {
			conversation = operationOf(i).conversation?.call(this, i);
		} catch {
			continue; // bad input: the item fails when it runs, and needs no lane
		}
		lanes[i] = conversation ? await laneKey(api, conversation) : undefined;
	}

	const results = await runInLanes<Output>({
		count: items.length,
		concurrency: ITEM_CONCURRENCY,
		laneOf: (i) => lanes[i],
		work: async (i) => {
			const operation = operationOf(i);
			if (operation.readOnly || (!memory && !ledger)) return await operation.execute.call(this, api, i);
			const key = fingerprint(i);
			const remembered = memory?.recall(i, key);
			if (remembered) return remembered;
			const output = await writeOnce(ledger, i, key, () => operation.execute.call(this, api, i), scanSinceOf(this, i), claimed);
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
		if (failed >= 0) throw stopError(this, results, failed, operationOf, ledger);
		const notStarted = results.findIndex((result) => result === undefined);
		if (notStarted >= 0) {
			throw new NodeOperationError(this.getNode(), `The execution was cancelled before item ${notStarted} was sent`, {
				itemIndex: notStarted,
				description: fatesOf(results, operationOf, ledger),
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
	operationOf: (i: number) => PumbleOperation,
	ledger: RunLedger | undefined,
) {
	const error = toNodeError(context.getNode(), (results[failed] as { error: unknown }).error, failed);
	const fates = fatesOf(results, operationOf, ledger);
	if (fates) error.description = [error.description, fates].filter(Boolean).join('\n\n');
	return error;
}

/** Every item's fate in ranges (core/receipts/ranges.ts), or undefined for reads. */
function fatesOf(
	results: Array<LaneResult<Output> | undefined>,
	operationOf: (i: number) => PumbleOperation,
	ledger: RunLedger | undefined,
): string | undefined {
	if (results.every((_, i) => isReadOnly(operationOf, i))) return undefined;
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
function scanSinceOf(context: IExecuteFunctions, i: number): number | undefined {
	if (context.getMode() !== 'retry') return undefined;
	const options = context.getNodeParameter('options', i, {}) as IDataObject;
	if (options.skipExistingOnRetry !== true) return undefined;
	return Date.now() - SKIP_EXISTING_LOOKBACK_MS;
}

function isReadOnly(operationOf: (i: number) => PumbleOperation, i: number): boolean {
	try {
		return operationOf(i).readOnly === true;
	} catch {
		return false;
	}
}

/** Which run of this node in the execution (a loop runs it again with a new index; a retry keeps it). */
function runIndexOf(context: IExecuteFunctions): number {
	const runIndex = context.getWorkflowDataProxy(0).$runIndex as unknown;
	return typeof runIndex === 'number' ? runIndex : 0;
}
