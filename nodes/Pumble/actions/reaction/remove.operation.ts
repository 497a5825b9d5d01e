import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { channelLocator, emojiField, forOperation, messageIdField } from '../../helpers/fields';
import { getChannelRef } from '../../helpers/params';
import { channelConversation } from '../conversation';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'The channel holding the message' }),
	messageIdField(),
	emojiField({ description: 'The reaction to take back (yours): a Unicode emoji, its name, or its :code:' }),
];

export const remove: PumbleOperation = {
	description: forOperation('reaction', 'remove', properties),
	conversation: channelConversation,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		return api.removeReaction({
			channel: getChannelRef(this, i),
			messageId: this.getNodeParameter('messageId', i),
			emoji: this.getNodeParameter('emoji', i),
		});
	},
};
