/**
 * One loop over the items for every operation: per-item results with pairedItem, "Continue On Fail",
 * n8n errors with itemIndex. Items run in their lanes whatever the error setting: messages to one
 * conversation keep item order (PumbleOperation.conversation → core/lanes/key.ts), everything else runs concurrently; the user's rate
 * limiter decides how fast requests actually leave.
 *
 * Without "Continue On Fail" the first failure stops the node, as n8n users expect:
 * - every item's input is checked before the first request (preflight.ts), so bad input sends nothing;
 * - after a failure no further item starts; items already in flight finish; the node fails with the error
 *   of the lowest-index failing item, and its description lists the later items that were already sent;
 * - the writes that succeeded are remembered (retryMemory.ts), so n8n's "Retry On Fail" does not send them again.
 * n8n's Stop button (the execution's cancel signal) stops new items from starting and every wait.
 */
import { setMaxListeners } from 'node:events';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { ITEM_CONCURRENCY, laneKey, runInLanes, type LaneKey, type LaneResult } from '../../../core';
import { toNodeError } from '../helpers/errors';
import { getPumbleApi } from '../transport';
import * as channel from './channel';
import * as message from './message';
import { withParameterMemo } from './parameterMemo';
import { checkInputs } from './preflight';
import * as reaction from './reaction';
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
			if (!memory || operation.readOnly) return await operation.execute.call(this, api, i);
			const key = fingerprint(i);
			const remembered = memory.recall(i, key);
			if (remembered) return remembered;
			const output = await operation.execute.call(this, api, i);
			memory.remember(i, key, output);
			return output;
		},
		onError: () => continueOnFail,
		signal: cancelSignal,
	});

	if (!continueOnFail) {
		const failed = results.findIndex((result) => result !== undefined && !result.ok);
		if (failed >= 0) throw stopError(this, results, failed, operationOf);
		const notStarted = results.findIndex((result) => result === undefined);
		if (notStarted >= 0) {
			throw new NodeOperationError(this.getNode(), `The execution was cancelled before item ${notStarted} was sent`, {
				itemIndex: notStarted,
				description: alreadySent(results, notStarted, operationOf),
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

/** The lowest-index failure, telling which later items had already been sent when the node stopped. */
function stopError(
	context: IExecuteFunctions,
	results: Array<LaneResult<Output> | undefined>,
	failed: number,
	operationOf: (i: number) => PumbleOperation,
) {
	const error = toNodeError(context.getNode(), (results[failed] as { error: unknown }).error, failed);
	const sent = alreadySent(results, failed, operationOf);
	if (sent) error.description = [error.description, sent].filter(Boolean).join('\n\n');
	return error;
}

/** "Items after item N that were already sent …: item 7 (ID of the message …), …" — or undefined when there are none. */
function alreadySent(
	results: Array<LaneResult<Output> | undefined>,
	after: number,
	operationOf: (i: number) => PumbleOperation,
): string | undefined {
	const sent: string[] = [];
	for (let i = after + 1; i < results.length; i++) {
		const result = results[i];
		if (!result?.ok || isReadOnly(operationOf, i)) continue;
		const first = (Array.isArray(result.value) ? result.value[0] : result.value) as IDataObject | undefined;
		const id = first?.id ?? first?.messageId;
		sent.push(typeof id === 'string' ? `item ${i} (ID ${id})` : `item ${i}`);
	}
	if (sent.length === 0) return undefined;
	return (
		`Items after item ${after} that were already sent when the node stopped (${sent.length}): ${sent.join(', ')}. ` +
		'Running the node again would send them again unless you remove them from the input.'
	);
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
