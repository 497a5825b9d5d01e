import type { IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';
import { requireText, type Conversation, type PumbleApi } from '../../../../core';
import { asBotOption, blocksField, skipExistingOnRetryOption, channelLocator, forOperation, optionsField, textField, userIdsField, userLocator } from '../../helpers/fields';
import { getChannelRef, getOptions, getUserId } from '../../helpers/params';
import { channelConversation } from '../conversation';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		default: 'channel',
		options: [
			{ name: 'Channel', value: 'channel', description: 'A channel, or a conversation you already have' },
			{ name: 'User', value: 'user', description: 'A direct message to one person' },
			{ name: 'Users (Group DM)', value: 'users', description: 'A direct message to a group of 2 to 8 people' },
		],
	},
	channelLocator({ displayOptions: { show: { sendTo: ['channel'] } } }),
	userLocator({ description: 'The person to message directly', displayOptions: { show: { sendTo: ['user'] } } }),
	userIdsField({
		description:
			'The 2 to 8 people of the group conversation. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>: a list of user IDs or a comma-separated string.',
		displayOptions: { show: { sendTo: ['users'] } },
	}),
	textField(),
	optionsField([
		blocksField({ displayOptions: { show: { '/sendTo': ['channel'] } } }),
		asBotOption(
			'Whether to post as the API add-on bot instead of as you. The bot must be a member of private channels; for direct messages Pumble may ignore it.',
		),
		skipExistingOnRetryOption,
	]),
];

export const send: PumbleOperation = {
	description: forOperation('message', 'send', properties),
	conversation(this: IExecuteFunctions, i: number): Conversation {
		// Messages to one conversation keep their item order, whichever way it is addressed.
		const sendTo = this.getNodeParameter('sendTo', i, 'channel') as string;
		if (sendTo === 'user') {
			const user = this.getNodeParameter('user', i, '') as INodeParameterResourceLocator | string;
			return { user: typeof user === 'string' ? user : user?.value };
		}
		if (sendTo === 'users') return { users: this.getNodeParameter('userIds', i, []) };
		return channelConversation.call(this, i);
	},
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const sendTo = this.getNodeParameter('sendTo', i, 'channel') as string;
		const options = getOptions(this, i);
		const text = this.getNodeParameter('text', i);
		const asBot = options.asBot === true;
		if (sendTo === 'user') {
			// The text is checked before an email lookup may need a request (bad input sends nothing).
			requireText(text);
			return { ...(await api.dmUser({ userId: await getUserId(this, api, i), text, asBot })) };
		}
		if (sendTo === 'users') {
			return { ...(await api.dmGroup({ userIds: this.getNodeParameter('userIds', i), text, asBot })) };
		}
		const receipt = await api.sendMessage({ channel: getChannelRef(this, i), text, asBot, blocks: options.blocks });
		return { ...receipt };
	},
};
