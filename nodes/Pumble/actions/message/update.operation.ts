import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { UpdateInput } from '../../../../core';
import { blocksField, channelLocator, forOperation, messageIdField, optionsField, textField } from '../../helpers/fields';
import { channelInput } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'The channel holding the message' }),
	messageIdField({ description: 'ID of the message to change. Only messages sent with this API key (as you or as its bot) can be edited.' }),
	textField({ description: 'The new text: it replaces the whole message text' }),
	optionsField([blocksField()]),
];

export const update: PumbleOperation = {
	description: forOperation('message', 'update', properties),
	fields: { blocks: 'options.blocks' },
	input(this: IExecuteFunctions, i: number, options: IDataObject): UpdateInput {
		return {
			channel: channelInput(this, i),
			messageId: this.getNodeParameter('messageId', i),
			text: this.getNodeParameter('text', i),
			blocks: options.blocks,
		};
	},
};
