import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { channelLocator, forOperation } from '../../helpers/fields';
import { getChannelRef } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [channelLocator()];

export const get: PumbleOperation = {
	description: forOperation('channel', 'get', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const entry = await api.getChannel(getChannelRef(this, i));
		// The same shape as Get Many: the channel, with its member IDs.
		return { ...entry.channel, users: entry.users ?? [] };
	},
};
