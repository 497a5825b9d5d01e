import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { channelLocator, emojiField, forOperation, messageIdField } from '../../helpers/fields';
import { getChannelRef } from '../../helpers/params';
import { channelConversation } from '../conversation';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [channelLocator(), messageIdField(), emojiField()];

export const add: PumbleOperation = {
	description: forOperation('reaction', 'add', properties),
	conversation: channelConversation,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		return api.addReaction({
			channel: getChannelRef(this, i),
			messageId: this.getNodeParameter('messageId', i),
			emoji: this.getNodeParameter('emoji', i),
		});
	},
};
