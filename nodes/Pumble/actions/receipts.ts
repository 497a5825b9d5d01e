/**
 * The n8n side of durable receipts (core/receipts): which run an execution's node is, so that n8n's
 * Retry of a failed or crashed execution sends only what did not arrive.
 *
 * - The run ID lives in the node's context (`this.getContext('node')`), which n8n saves with a failed
 *   execution and gives back to its Retry (and to *Retry On Fail*, the same execution).
 * - A crashed execution saved nothing of the node: a Retry (`this.getMode() === 'retry'`) whose node gets
 *   the very same input and parameters adopts the run its crashed process left open (core/receipts/ledger.ts).
 * - The store: Redis when one is configured, otherwise files in n8n's folder (`~/.n8n/pumble-receipts`).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { receiptSettingsFromEnv, RunLedger } from '../../../core';

/** n8n's folder (`N8N_USER_FOLDER`, else the home folder, plus `.n8n`), where n8n keeps its own data. */
function n8nFolder(env: NodeJS.ProcessEnv = process.env): string {
	return path.join(env.N8N_USER_FOLDER?.trim() || os.homedir(), '.n8n');
}

/** The ledger of this node's run in this execution, or undefined when receipts are off. */
export async function openLedger(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	parameters: unknown,
	identity: string,
	runIndex: number,
): Promise<RunLedger | undefined> {
	const settings = receiptSettingsFromEnv(n8nFolder());
	if (!settings) return undefined;
	const nodeContext = (context.getContext?.('node') ?? {}) as IDataObject;
	const slot = `pumbleRun${runIndex}`;
	const carried = typeof nodeContext[slot] === 'string' ? (nodeContext[slot] as string) : undefined;
	const ledger = await RunLedger.open(
		settings.store,
		{
			identity,
			batch: [context.getWorkflow().id ?? '', context.getNode().name, runIndex, parameters, items.map((item) => item.json)],
			carried,
			isRetry: context.getMode() === 'retry',
		},
		settings.ttlMs,
	);
	nodeContext[slot] = ledger.runId;
	return ledger;
}
