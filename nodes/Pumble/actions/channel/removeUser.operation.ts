import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { channelLocator, forOperation, userLocator } from '../../helpers/fields';
import { getChannelRef, getUserId } from '../../helpers/params';
import { channelConversation } from '../conversation';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'The channel to remove the person from' }),
	userLocator({ description: 'The member to remove' }),
];

export const removeUser: PumbleOperation = {
	description: forOperation('channel', 'removeUser', properties),
	conversation: channelConversation,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		return api.removeUserFromChannel(getChannelRef(this, i), await getUserId(this, api, i));
	},
};
