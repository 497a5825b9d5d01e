import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { CHANNEL_TYPES, PumbleApi } from '../../core';
import { forOperation, limitField, returnAllField } from '../../helpers/fields';
import { getLimit } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	returnAllField,
	limitField(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{
				displayName: 'Types',
				name: 'types',
				type: 'multiOptions',
				default: [],
				description: 'Only channels of these types (all when empty)',
				options: [
					{ name: 'Direct Message', value: 'direct' },
					{ name: 'Private Channel', value: 'private' },
					{ name: 'Public Channel', value: 'public' },
					{ name: 'Self (Notes to Yourself)', value: 'self' },
				],
			},
		],
	},
];

export const getAll: PumbleOperation = {
	description: forOperation('channel', 'getAll', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
		const types: string[] = ((filters.types as string[] | undefined) ?? []).map(
			(type) => CHANNEL_TYPES[type as keyof typeof CHANNEL_TYPES] ?? type.toUpperCase(),
		);
		const limit = getLimit(this, i);
		// /listChannels has no paging or filters: everything comes at once, so filter and slice here.
		const entries = (await api.listChannels()).filter((entry) => types.length === 0 || types.includes(entry.channel.channelType));
		return (limit === undefined ? entries : entries.slice(0, limit)).map((entry) => ({ ...entry.channel, users: entry.users }));
	},
};
