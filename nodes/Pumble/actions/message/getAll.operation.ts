import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../core';
import { channelLocator, forOperation, limitField, returnAllField } from '../../helpers/fields';
import { getChannelRef, getLimit } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [channelLocator(), returnAllField, limitField()];

export const getAll: PumbleOperation = {
	description: forOperation('message', 'getAll', properties),
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const messages = await api.listMessages({ channel: getChannelRef(this, i), limit: getLimit(this, i) });
		return messages as IDataObject[];
	},
};
