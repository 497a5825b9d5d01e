import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ReplyInput } from '../../../../core';
import { alsoSendToChannelOption, asBotOption, channelLocator, forOperation, messageIdField, optionsField, textField, skipExistingOnRetryOption } from '../../helpers/fields';
import { channelInput } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'The channel holding the thread' }),
	messageIdField({ description: 'ID of the thread root: the message being replied to' }),
	textField(),
	optionsField([alsoSendToChannelOption('Whether to show the reply in the channel too, not only in the thread'), asBotOption(), skipExistingOnRetryOption]),
];

export const reply: PumbleOperation = {
	description: forOperation('message', 'reply', properties),
	input(this: IExecuteFunctions, i: number, options: IDataObject): ReplyInput {
		return {
			channel: channelInput(this, i),
			messageId: this.getNodeParameter('messageId', i),
			text: this.getNodeParameter('text', i),
			asBot: options.asBot === true,
			alsoSendToChannel: options.alsoSendToChannel === true,
		};
	},
};
