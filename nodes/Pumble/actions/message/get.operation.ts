import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Message, MessageInput } from '../../../../core';
import { channelLocator, forOperation, messageIdField, simplifyField } from '../../helpers/fields';
import { channelInput, getSimplify } from '../../helpers/params';
import { messagesOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [channelLocator({ description: 'The channel holding the message' }), messageIdField(), simplifyField];

export const get: PumbleOperation = {
	description: forOperation('message', 'get', properties),
	input(this: IExecuteFunctions, i: number): MessageInput {
		return { channel: channelInput(this, i), messageId: this.getNodeParameter('messageId', i) };
	},
	output(this: IExecuteFunctions, message: unknown, i: number) {
		return messagesOut([message as Message], getSimplify(this, i));
	},
};
