import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { CHANNEL_TYPES, flatChannel, PumbleApi, PumbleInputError } from '../../../../core';
import { filtersField, forOperation, getManyFields } from '../../helpers/fields';
import { getLimit } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	...getManyFields(),
	filtersField([
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
	]),
];

export const getAll: PumbleOperation = {
	description: forOperation('channel', 'getAll', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
		const given = filters.types === undefined || filters.types === '' ? [] : filters.types;
		const types: string[] = (Array.isArray(given) ? given : String(given).split(',')).map((type) => {
			const known = CHANNEL_TYPES[String(type).trim().toLowerCase() as keyof typeof CHANNEL_TYPES];
			if (!known) {
				throw new PumbleInputError('filters.types', `"${String(type)}" is not a channel type`, `Use any of ${Object.keys(CHANNEL_TYPES).join(', ')}.`);
			}
			return known;
		});
		const limit = getLimit(this, i);
		// /listChannels has no paging or filters: everything comes at once, so filter and slice here.
		const entries = (await api.listChannels()).filter((entry) => types.length === 0 || types.includes(entry.channel.channelType));
		return (limit === undefined ? entries : entries.slice(0, limit)).map(flatChannel) as unknown as IDataObject[];
	},
};
