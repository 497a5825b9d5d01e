import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { alsoSendToChannelOption, asBotOption, channelLocator, forOperation, messageIdField, optionsField, textField, skipExistingOnRetryOption } from '../../helpers/fields';
import { getChannelRef, getOptions } from '../../helpers/params';
import { channelConversation } from '../conversation';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'The channel holding the thread' }),
	messageIdField({ description: 'ID of the thread root: the message being replied to' }),
	textField(),
	optionsField([alsoSendToChannelOption('Whether to show the reply in the channel too, not only in the thread'), asBotOption(), skipExistingOnRetryOption]),
];

export const reply: PumbleOperation = {
	description: forOperation('message', 'reply', properties),
	conversation: channelConversation,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const options = getOptions(this, i);
		const receipt = await api.sendReply({
			channel: getChannelRef(this, i),
			messageId: this.getNodeParameter('messageId', i),
			text: this.getNodeParameter('text', i),
			asBot: options.asBot === true,
			alsoSendToChannel: options.alsoSendToChannel === true,
		});
		return { ...receipt };
	},
};
