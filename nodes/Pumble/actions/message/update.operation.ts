import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../core';
import { blocksField, channelLocator, forOperation, messageIdField, optionsField, textField } from '../../helpers/fields';
import { getChannelRef, getOptions } from '../../helpers/params';
import { channelLane } from '../lanes';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'The channel holding the message' }),
	messageIdField({ description: 'ID of the message to change. Only messages sent with this API key (as you or as its bot) can be edited.' }),
	textField({ description: 'The new text: it replaces the whole message text' }),
	optionsField([blocksField()]),
];

export const update: PumbleOperation = {
	description: forOperation('message', 'update', properties),
	lane: channelLane,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const options = getOptions(this, i);
		const channel = getChannelRef(this, i);
		const messageId = this.getNodeParameter('messageId', i) as string;
		// editMessage checks the input before it looks a channel name up; the second lookup hits its cache.
		await api.editMessage({ channel, messageId, text: this.getNodeParameter('text', i), blocks: options.blocks });
		const channelId = await api.channelId(channel);
		// Pumble answers an edit with an empty body.
		return { success: true, messageId: String(messageId).trim().toLowerCase(), channelId };
	},
};
