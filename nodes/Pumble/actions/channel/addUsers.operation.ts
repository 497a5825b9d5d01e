import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { channelLocator, forOperation, userIdsField } from '../../helpers/fields';
import { getChannelRef } from '../../helpers/params';
import { channelConversation } from '../conversation';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'The channel to add people to' }),
	userIdsField({
		description:
			'The people to add. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>: a list of user IDs or a comma-separated string.',
	}),
];

export const addUsers: PumbleOperation = {
	description: forOperation('channel', 'addUsers', properties),
	conversation: channelConversation,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		return api.addUsersToChannel(getChannelRef(this, i), this.getNodeParameter('userIds', i));
	},
};
