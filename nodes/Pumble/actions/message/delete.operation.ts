import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { channelLocator, forOperation, messageIdField } from '../../helpers/fields';
import { getChannelRef } from '../../helpers/params';
import { channelConversation } from '../conversation';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [channelLocator(), messageIdField()];

export const deleteMessage: PumbleOperation = {
	description: forOperation('message', 'delete', properties),
	conversation: channelConversation,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		return api.deleteMessage({ channel: getChannelRef(this, i), messageId: this.getNodeParameter('messageId', i) });
	},
};
