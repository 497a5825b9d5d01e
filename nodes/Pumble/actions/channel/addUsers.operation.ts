import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ChannelInput } from '../../../../core';
import { channelLocator, forOperation, userIdsField } from '../../helpers/fields';
import { channelInput } from '../../helpers/params';
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
	input(this: IExecuteFunctions, i: number): { channel: ChannelInput; userIds: unknown } {
		return { channel: channelInput(this, i), userIds: this.getNodeParameter('userIds', i) };
	},
};
