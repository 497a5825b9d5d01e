import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { blocksField, channelLocator, forOperation, messageIdField, optionsField, textField } from '../../helpers/fields';
import { getChannelRef, getOptions } from '../../helpers/params';
import { channelConversation } from '../conversation';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'The channel holding the message' }),
	messageIdField({ description: 'ID of the message to change. Only messages sent with this API key (as you or as its bot) can be edited.' }),
	textField({ description: 'The new text: it replaces the whole message text' }),
	optionsField([blocksField()]),
];

export const update: PumbleOperation = {
	description: forOperation('message', 'update', properties),
	conversation: channelConversation,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const options = getOptions(this, i);
		return api.editMessage({
			channel: getChannelRef(this, i),
			messageId: this.getNodeParameter('messageId', i),
			text: this.getNodeParameter('text', i),
			blocks: options.blocks,
		});
	},
};
