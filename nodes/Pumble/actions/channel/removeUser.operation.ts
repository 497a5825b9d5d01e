import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { requireId, type PumbleApi } from '../../core';
import { channelLocator, forOperation, userLocator } from '../../helpers/fields';
import { getChannelRef, getUserId } from '../../helpers/params';
import { channelLane } from '../lanes';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'The channel to remove the person from' }),
	userLocator({ description: 'The member to remove' }),
];

export const removeUser: PumbleOperation = {
	description: forOperation('channel', 'removeUser', properties),
	lane: channelLane,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const userId = requireId(await getUserId(this, api, i), 'user', 'user ID');
		const channelId = await api.channelId(getChannelRef(this, i));
		await api.removeUserFromChannel({ id: channelId }, userId);
		// Pumble answers with an empty body.
		return { success: true, channelId, userId };
	},
};
