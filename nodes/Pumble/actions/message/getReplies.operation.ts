import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { channelLocator, forOperation, limitField, messageIdField, returnAllField, simplifyField } from '../../helpers/fields';
import { getChannelRef, getLimit, getSimplify } from '../../helpers/params';
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
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const replies = await api.getThreadReplies({
			channel: getChannelRef(this, i),
			messageId: this.getNodeParameter('messageId', i),
			limit: getLimit(this, i),
		});
		return messagesOut(replies, getSimplify(this, i));
	},
};
