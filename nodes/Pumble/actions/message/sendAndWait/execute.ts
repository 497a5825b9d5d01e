/**
 * Send and Wait, the sending half: posts the request (like n8n's own send-and-wait nodes, once, with the
 * first item's parameters), adds its links (which name the message), then puts the execution to wait until
 * the person answers (webhook.ts) or the wait limit passes. While it waits, the node's output names the
 * message.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { WAIT_INDEFINITELY } from 'n8n-workflow';
import { CATALOGUE, type PumbleApi, type SendInput, type SendTo } from '../../../../../core';
import type { ReconciledReceipt } from '../../../../../core/reconcile';
import { expireAt, renderWaiting, type RenderedMessage } from './rendering';
import { toNodeError } from '../../../helpers/errors';
import { channelInput, getOptions, userInput } from '../../../helpers/params';
import { getPumbleApi } from '../../../transport';
import { choicesOf, type MessageRef } from './choices';
import { waitTillDate } from './waitTill';

/** What the node shows while the execution waits (n8n replaces it with the answer, or the input at expiry). */
export interface WaitingOutput {
	status: 'waiting';
	messageId: string;
	channelId: string;
	waitingUntil: string | null;
}

/** One key per waiting message: the execution and the node. */
export const waitingKey = (executionId: string, nodeId: string) => `${executionId}:${nodeId}`;

/**
 * Posts the request as it reads before its links exist (the links name the message, so they come by an edit):
 * a message.send of the catalogue (core/operations/message.ts), to the channel or the person.
 */
async function postRequest(context: IExecuteFunctions, api: PumbleApi, pending: RenderedMessage): Promise<ReconciledReceipt> {
	const asBot = getOptions(context, 0).asBot === true;
	// Pumble's direct-message endpoints take no blocks: the edit below adds them.
	const to: SendTo = context.getNodeParameter('select', 0, 'channel') === 'user' ? { user: userInput(context, 0) } : { channel: channelInput(context, 0) };
	const input: SendInput = { to, ...pending, asBot, threadRootId: 'channel' in to ? context.getNodeParameter('threadRootId', 0, '') : undefined };
	const send = CATALOGUE.message.send;
	return (await send.run(api, send.validate(input, { timezone: context.getTimezone(), fields: { text: 'message' } }))) as ReconciledReceipt;
}

/** Adds the links; a request nobody can answer is not left behind (deleted, then the error is reported). */
async function addLinks(context: IExecuteFunctions, api: PumbleApi, ref: MessageRef, rendered: RenderedMessage): Promise<void> {
	let failure: unknown;
	try {
		await api.editMessage({ channel: { id: ref.channelId }, messageId: ref.messageId, ...rendered });
		return;
	} catch (error) {
		failure = error;
	}
	await api.deleteMessage({ channel: { id: ref.channelId }, messageId: ref.messageId }).catch((error: Error) =>
		context.logger?.warn(`Pumble: the request ${ref.messageId} has no links and could not be deleted (${error.message})`),
	);
	return Promise.reject(failure);
}

export async function sendAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	try {
		// Everything that can be wrong with the input is found before anything is sent.
		const waitTill = waitTillDate(this);
		const expiresAt = waitTill.getTime() === WAIT_INDEFINITELY.getTime() ? undefined : waitTill.getTime();
		const message = String(this.getNodeParameter('message', 0, ''));
		const timeZone = this.getTimezone();
		const api = await getPumbleApi(this);

		const receipt = await postRequest(this, api, renderWaiting({ message, choices: [], timeZone }));
		const ref: MessageRef = { channelId: receipt.channelId, messageId: receipt.id };
		const choices = choicesOf(this, ref);
		await addLinks(this, api, ref, renderWaiting({ message, choices, expiresAt, timeZone }));

		if (expiresAt !== undefined) {
			const detached = await getPumbleApi(this, { detached: true });
			const key = waitingKey(this.getExecutionId(), this.getNode().id);
			void expireAt(key, {
				api: detached,
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
