import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { MessageInput } from '../../../../core';
import { channelLocator, forOperation, messageIdField } from '../../helpers/fields';
import { channelInput } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [channelLocator(), messageIdField()];

export const deleteMessage: PumbleOperation = {
	description: forOperation('message', 'delete', properties),
	input(this: IExecuteFunctions, i: number): MessageInput {
		return { channel: channelInput(this, i), messageId: this.getNodeParameter('messageId', i) };
	},
};
