import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ChannelInput, ListInput } from '../../../../core';
import { channelLocator, filtersField, forOperation, getManyFields } from '../../helpers/fields';
import { getOptions, listInput, optionalChannelInputOf } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	...getManyFields(),
	filtersField([channelLocator({ required: false, description: 'Only the messages scheduled for this channel or conversation' })]),
];

export const getAll: PumbleOperation = {
	description: forOperation('scheduledMessage', 'getAll', properties),
	fields: { channel: 'filters.channel' },
	input(this: IExecuteFunctions, i: number): ListInput & { channel?: ChannelInput } {
		return { ...listInput(this, i), channel: optionalChannelInputOf(getOptions(this, i, 'filters').channel) };
	},
};
