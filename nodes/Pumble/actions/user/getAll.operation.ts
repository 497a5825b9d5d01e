import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { User, UsersInput } from '../../../../core';
import { filtersField, forOperation, getManyFields } from '../../helpers/fields';
import { getOptions, getSimplify, listInput } from '../../helpers/params';
import { usersOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	...getManyFields({ simplify: true }),
	filtersField([
		{
			displayName: 'Include Bots',
			name: 'includeBots',
			type: 'boolean',
			default: false,
			description: 'Whether to include bot accounts (API add-on bots, Pumble bots). Without this filter they are included.',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: 'active',
			options: [
				{ name: 'Active', value: 'active' },
				{ name: 'Deactivated', value: 'deactivated' },
				{ name: 'Invited', value: 'invited', description: 'Invited, not joined yet' },
			],
			description: 'Only users with this account status',
		},
	]),
];

export const getAll: PumbleOperation = {
	description: forOperation('user', 'getAll', properties),
	fields: { status: 'filters.status' },
	input(this: IExecuteFunctions, i: number): UsersInput {
		const filters = getOptions(this, i, 'filters');
		// Without the Include Bots filter, bots are listed.
		return { ...listInput(this, i), status: filters.status, includeBots: filters.includeBots !== false };
	},
	output(this: IExecuteFunctions, users: unknown, i: number) {
		return usersOut(users as User[], getSimplify(this, i));
	},
};
