import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { channelLocator, filtersField, forOperation, getManyFields } from '../../helpers/fields';
import { getLimit, getOptions, isEmptyLocator, toChannelRefFromLocator } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	...getManyFields(),
	filtersField([channelLocator({ required: false, description: 'Only the messages scheduled for this channel or conversation' })]),
];

export const getAll: PumbleOperation = {
	description: forOperation('scheduledMessage', 'getAll', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const filters = getOptions(this, i, 'filters');
		const channel = filters.channel as INodeParameterResourceLocator | string | undefined;
		const scheduled = await api.listScheduledMessages({
			channel: isEmptyLocator(channel) ? undefined : toChannelRefFromLocator(channel, 'filters.channel'),
			limit: getLimit(this, i),
		});
		return scheduled as unknown as IDataObject[];
	},
};
