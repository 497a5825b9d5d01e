/**
 * Pumble App Trigger: instant events from a Pumble app (Pumble's App platform), like n8n's Slack Trigger. The
 * judging of each request — signature, window, redelivery, event and channel filters, the answer — is the
 * core's (core/app/receiver.ts); this file reads the parameters, answers Pumble at once and hands the event to
 * n8n. Nothing Pumble did not sign starts a workflow: those get a 401 (SlackTrigger.node.ts does the same).
 */
import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { PumbleAppApi } from '../../core/app/api';
import type { AppEventName } from '../../core/app/events';
import { idList, receive } from '../../core/app/receiver';
import { answeredReply, postSlashReply, replyViaOf } from '../../core/app/slashReply';
import { appTriggerProperties } from './appTrigger/description';
import { redeliveryMemoryFor } from './appTrigger/memory';

interface AppCredentialData {
	appKey: string;
	signingSecret: string;
	botToken: string;
	userToken?: string;
	baseUrl?: string;
}

// No webhookMethods: a Pumble app's URLs live in its manifest, which only the app's owner can change (with the
// pumble-cli developer token, which this credential does not hold; CAKE-com/pumble-node-sdk docs/manifest.md).
// The node shows the URL to paste instead, as the Slack Trigger does.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class PumbleAppTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pumble App Trigger',
		name: 'pumbleAppTrigger',
		icon: { light: 'file:pumble.svg', dark: 'file:pumble.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow the moment something happens in Pumble (messages, reactions, edits, channels, slash commands, buttons), through a Pumble app',
		defaults: { name: 'Pumble App Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pumbleAppApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'pumble' }],
		triggerPanel: {
			header: 'Paste the URL below into your Pumble app\'s manifest (eventSubscriptions.url, slash commands, shortcuts, blockInteraction)',
			executionsHelp: {
				inactive:
					'While building, click "Listen for test event" and use the <b>Test URL</b> in the manifest; then do the thing in Pumble. Once it works, paste the <b>Production URL</b> and activate the workflow. One Pumble app has one events URL: one active workflow per app.',
				active: 'The workflow starts for each event Pumble sends to the Production URL. One Pumble app has one events URL: one active workflow per app.',
			},
			activationHint: 'Once the manifest points at the Production URL, activate the workflow and every event starts it at once.',
		},
		properties: appTriggerProperties,
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const credentials = (await this.getCredentials('pumbleAppApi')) as unknown as AppCredentialData;
		const events = this.getNodeParameter('events', []) as AppEventName[];
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const replyVia = replyViaOf(options.replyVia);
		const reply = events.includes('SLASH_COMMAND') ? String(this.getNodeParameter('slashCommandReply', '') ?? '') : '';
		const node = this.getNode();
		const verdict = receive(req.rawBody as Buffer | undefined, req.headers, {
			signingSecret: credentials.signingSecret,
			events,
			channelIds: idList(this.getNodeParameter('channelIds', '')),
			ignoreUserIds: idList(options.ignoreUserIds),
			slashCommandReply: answeredReply(reply, replyVia),
			memory: redeliveryMemoryFor(this.getWorkflow().id ?? '', node.id, this.getMode()),
		});
		// Pumble gets its answer now, before the workflow runs: slash commands and buttons wait at most 3 s.
		const { status, body } = verdict.answer;
		if (typeof body === 'string') res.status(status).type('text/plain').send(body);
		else res.status(status).json(body);
		if (!verdict.start) {
			if (verdict.answer.status >= 400) this.logger.debug(`Pumble App Trigger refused a request: ${verdict.message}`);
			return { noWebhookResponse: true };
		}
		const { event } = verdict;
		const api = replyVia === 'api' ? new PumbleAppApi({ ...credentials }) : undefined;
		postSlashReply(api, event, reply, replyVia).catch((error: unknown) => {
			this.logger.warn(`Pumble App Trigger: the slash command reply was not sent: ${(error as Error).message}`);
		});
		return { noWebhookResponse: true, workflowData: [[{ json: event.item as IDataObject }]] };
	}
}
