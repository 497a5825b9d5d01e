import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, SEND_AND_WAIT_OPERATION } from 'n8n-workflow';
import * as channel from './actions/channel';
import * as message from './actions/message';
import { sendAndWait, sendAndWaitWebhook, sendAndWaitWebhooks } from './actions/message/sendAndWait';
import * as reaction from './actions/reaction';
import { router } from './actions/router';
import * as scheduledMessage from './actions/scheduledMessage';
import * as user from './actions/user';
import * as userGroup from './actions/userGroup';
import { searchChannels, searchUsers } from './methods/listSearch';
import { getChannels, getUsers } from './methods/loadOptions';

export class Pumble implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pumble',
		name: 'pumble',
		icon: { light: 'file:pumble.svg', dark: 'file:pumble.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send, search and manage messages, channels, scheduled messages and users in Pumble',
		defaults: { name: 'Pumble' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pumbleApi', required: true }],
		webhooks: sendAndWaitWebhooks,
		// the line n8n's editor shows under "Waiting for input" (n8n's own send-and-wait nodes say the same)
		waitingNodeTooltip: `={{ $parameter["operation"] === "${SEND_AND_WAIT_OPERATION}" ? "Execution will continue after the user's response" : "" }}`,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Channel', value: 'channel' },
					{ name: 'Message', value: 'message' },
					{ name: 'Reaction', value: 'reaction' },
					{ name: 'Scheduled Message', value: 'scheduledMessage' },
					{ name: 'User', value: 'user' },
					{ name: 'User Group', value: 'userGroup' },
				],
				default: 'message',
			},
			...message.description,
			...reaction.description,
			...channel.description,
			...scheduledMessage.description,
			...user.description,
			...userGroup.description,
		],
	};

	methods: INodeType['methods'] = {
		listSearch: { searchChannels, searchUsers },
		loadOptions: { getUsers, getChannels },
	};

	webhook = sendAndWaitWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Read once, at item 0 (checkedItems.ts reads them per item when either is an expression).
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		if (resource === 'message' && operation === SEND_AND_WAIT_OPERATION) return sendAndWait.call(this);
		return router.call(this, { resource, operation });
	}
}
