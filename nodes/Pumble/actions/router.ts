/**
 * One loop over the items for every operation: per-item results with pairedItem, "Continue On Fail",
 * n8n errors with itemIndex. Items run concurrently where order does not matter (see PumbleOperation.lane);
 * the user's rate limiter decides how fast requests actually leave.
 *
 * Without "Continue On Fail", n8n's rule is that the first failing item stops the node and nothing after it
 * happens. Writes then run one at a time in item order — otherwise items after a failure would already be
 * posted, and re-running the workflow would post them twice. Reads, which change nothing, stay concurrent.
 */
import { setMaxListeners } from 'node:events';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { ITEM_CONCURRENCY, runInLanes } from '../core';
import { toNodeError } from '../helpers/errors';
import { getPumbleApi } from '../transport';
import * as channel from './channel';
import * as message from './message';
import * as reaction from './reaction';
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

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const api = await getPumbleApi(this);
	// Every request in flight listens on n8n's cancel signal: allow that many without Node's leak warning.
	const cancelSignal = this.getExecutionCancelSignal?.();
	if (cancelSignal) setMaxListeners(ITEM_CONCURRENCY + 10, cancelSignal);
	const continueOnFail = this.continueOnFail();

	const operationOf = (i: number): PumbleOperation => {
		const resource = this.getNodeParameter('resource', i) as string;
		const operation = this.getNodeParameter('operation', i) as string;
		const found = resources[resource]?.operations[operation];
		if (!found) throw new Error(`The operation "${operation}" of "${resource}" is not supported`);
		return found;
	};

	const isWrite = (i: number) => {
		try {
			return !operationOf(i).readOnly;
		} catch {
			return true;
		}
	};
	const inItemOrder = !continueOnFail && items.some((_, i) => isWrite(i));

	const results = await runInLanes<IDataObject | IDataObject[]>({
		count: items.length,
		concurrency: ITEM_CONCURRENCY,
		laneOf: (i) => {
			if (inItemOrder) return 'all items, in order';
			try {
				return operationOf(i).lane?.call(this, i);
			} catch {
				return undefined;
			}
		},
		work: (i) => operationOf(i).execute.call(this, api, i),
		onError: () => continueOnFail,
	});

	const output: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const result = results[i];
		if (!result) continue; // not started: an earlier item failed without "Continue On Fail"
		if (!result.ok) {
			const error = toNodeError(this.getNode(), result.error, i);
			if (!continueOnFail) throw error;
			output.push({ json: { error: error.message, description: error.description ?? null }, pairedItem: { item: i } });
			continue;
		}
		const values = Array.isArray(result.value) ? result.value : [result.value];
		for (const json of values) output.push({ json, pairedItem: { item: i } });
	}
	return [output];
}
