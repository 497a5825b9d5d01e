import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ChannelsInput } from '../../../../core';
import { filtersField, forOperation, getManyFields } from '../../helpers/fields';
import { getOptions, listInput } from '../../helpers/params';
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
	fields: { types: 'filters.types' },
	input(this: IExecuteFunctions, i: number): ChannelsInput {
		return { ...listInput(this, i), types: getOptions(this, i, 'filters').types };
	},
};
