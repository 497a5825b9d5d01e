/**
 * Send and Wait, the sending half: posts the request with its links (like n8n's own send-and-wait nodes,
 * once, with the first item's parameters), then puts the execution to wait until the person answers
 * (webhook.ts) or the wait limit passes. The waiting run's output names the message, which the answer
 * half reads back to edit it.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { WAIT_INDEFINITELY } from 'n8n-workflow';
import type { PumbleApi } from '../../../core';
import type { ReconciledReceipt } from '../../../core/reconcile';
import { expireAt, renderWaiting, type RenderedMessage } from '../../../core/sendAndWait';
import { toNodeError } from '../../../helpers/errors';
import { getChannelRef, getOptions, getUserId } from '../../../helpers/params';
import { getPumbleApi } from '../../../transport';
import { choicesOf } from './choices';
import { waitTillDate } from './waitTill';

/** What the waiting run outputs (and webhook.ts reads back). */
export interface WaitingOutput {
	status: 'waiting';
	messageId: string;
	channelId: string;
	waitingUntil: string | null;
}

/** One key per waiting message: the execution and the node. */
export const waitingKey = (executionId: string, nodeId: string) => `${executionId}:${nodeId}`;

async function post(context: IExecuteFunctions, api: PumbleApi, rendered: RenderedMessage): Promise<ReconciledReceipt> {
	const asBot = getOptions(context, 0).asBot === true;
	if (context.getNodeParameter('select', 0, 'channel') === 'user') {
		const receipt = await api.dmUser({ userId: await getUserId(context, api, 0), text: rendered.text, asBot });
		// Pumble's direct-message endpoints take no blocks: the labelled links are added by an edit. If that
		// fails the text's bare URLs still work, so the request stands.
		try {
			await api.editMessage({ channel: { id: receipt.channelId }, messageId: receipt.id, ...rendered });
		} catch (error) {
			context.logger?.warn(`Pumble: the direct message was sent with plain links only (${(error as Error).message})`);
		}
		return receipt;
	}
	const threadRootId = context.getNodeParameter('threadRootId', 0, '') as string;
	return api.sendMessage({ channel: getChannelRef(context, 0), ...rendered, asBot, threadRootId: threadRootId || undefined });
}

export async function sendAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	try {
		// Everything that can be wrong with the input is found before anything is sent.
		const waitTill = waitTillDate(this);
		const expiresAt = waitTill.getTime() === WAIT_INDEFINITELY.getTime() ? undefined : waitTill.getTime();
		const message = String(this.getNodeParameter('message', 0, ''));
		const choices = choicesOf(this);
		const timeZone = this.getTimezone();
		const api = await getPumbleApi(this);

		const receipt = await post(this, api, renderWaiting({ message, choices, expiresAt, timeZone }));

		if (expiresAt !== undefined) {
			const key = waitingKey(this.getExecutionId(), this.getNode().id);
			void expireAt(key, {
				api,
				channelId: receipt.channelId,
				messageId: receipt.id,
				message,
				choices,
				at: expiresAt,
				timeZone,
				onError: (error) => this.logger?.warn(`Pumble: could not mark the request ${receipt.id} as expired (${(error as Error).message})`),
			});
		}
		await this.putExecutionToWait(waitTill);
		const output: WaitingOutput = {
			status: 'waiting',
			messageId: receipt.id,
			channelId: receipt.channelId,
			waitingUntil: expiresAt !== undefined ? new Date(expiresAt).toISOString() : null,
		};
		return [[{ json: { ...output }, pairedItem: { item: 0 } }]];
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error, 0);
		if (!this.continueOnFail()) throw nodeError;
		return [[{ json: { error: nodeError.message, description: nodeError.description ?? null }, pairedItem: { item: 0 } }]];
	}
}
