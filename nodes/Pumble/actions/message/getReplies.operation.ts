import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Message, RepliesInput } from '../../../../core';
import { channelLocator, forOperation, limitField, messageIdField, returnAllField, simplifyField } from '../../helpers/fields';
import { channelInput, getSimplify, listInput } from '../../helpers/params';
import { messagesOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'The channel holding the thread' }),
	messageIdField({ description: 'ID of the thread root: the message the replies answer' }),
	returnAllField,
	limitField(),
	simplifyField,
];

export const getReplies: PumbleOperation = {
	description: forOperation('message', 'getReplies', properties),
	input(this: IExecuteFunctions, i: number): RepliesInput {
		return { channel: channelInput(this, i), messageId: this.getNodeParameter('messageId', i), ...listInput(this, i) };
	},
	output(this: IExecuteFunctions, replies: unknown, i: number) {
		return messagesOut(replies as Message[], getSimplify(this, i));
	},
};
