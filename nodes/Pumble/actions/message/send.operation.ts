import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { SendInput, SendTo } from '../../../../core';
import { asBotOption, blocksField, skipExistingOnRetryOption, channelLocator, forOperation, optionsField, textField, userIdsField, userLocator } from '../../helpers/fields';
import { channelInput, userInput } from '../../helpers/params';
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
	fields: { blocks: 'options.blocks' },
	input(this: IExecuteFunctions, i: number, options: IDataObject): SendInput {
		const sendTo = this.getNodeParameter('sendTo', i, 'channel') as string;
		const to: SendTo =
			sendTo === 'user' ? { user: userInput(this, i) } : sendTo === 'users' ? { users: this.getNodeParameter('userIds', i) } : { channel: channelInput(this, i) };
		return { to, text: this.getNodeParameter('text', i), asBot: options.asBot === true, blocks: sendTo === 'channel' ? options.blocks : undefined };
	},
};
