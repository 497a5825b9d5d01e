import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ChannelInput, UserInput } from '../../../../core';
import { channelLocator, forOperation, userLocator } from '../../helpers/fields';
import { channelInput, userInput } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'The channel to remove the person from' }),
	userLocator({ description: 'The member to remove' }),
];

export const removeUser: PumbleOperation = {
	description: forOperation('channel', 'removeUser', properties),
	input(this: IExecuteFunctions, i: number): { channel: ChannelInput; user: UserInput } {
		return { channel: channelInput(this, i), user: userInput(this, i) };
	},
};
