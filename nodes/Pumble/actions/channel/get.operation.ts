import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { flatChannel, type PumbleApi } from '../../../../core';
import { channelLocator, forOperation } from '../../helpers/fields';
import { getChannelRef } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [channelLocator()];

export const get: PumbleOperation = {
	description: forOperation('channel', 'get', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		// The same shape as Get Many: the channel, with its member IDs.
		return flatChannel(await api.getChannel(getChannelRef(this, i))) as unknown as IDataObject;
	},
};
