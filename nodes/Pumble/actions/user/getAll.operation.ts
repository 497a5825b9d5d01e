import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { PumbleInputError, type PumbleApi, type User } from '../../../../core';
import { filtersField, forOperation, getManyFields } from '../../helpers/fields';
import { getLimit, getOptions, getSimplify } from '../../helpers/params';
import { usersOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const STATUSES: Record<string, string> = { active: 'ACTIVATED', deactivated: 'DEACTIVATED', invited: 'INVITED' };

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
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const filters = getOptions(this, i, 'filters');
		const status = statusFilter(filters.status);
		const limit = getLimit(this, i);
		const isBot = (user: User) => user.isAddonBot === true || user.isPumbleBot === true;
		// /listUsers has no paging or filters: the whole workspace comes at once, so filter and slice here.
		const users = (await api.listUsers())
			.filter((user) => status === undefined || user.status === status)
			.filter((user) => filters.includeBots !== false || !isBot(user));
		return usersOut(limit === undefined ? users : users.slice(0, limit), getSimplify(this, i));
	},
};

/** The status filter as Pumble spells it; an expression may give either spelling (active / ACTIVATED). */
function statusFilter(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value).trim();
	const status = STATUSES[text.toLowerCase()] ?? text.toUpperCase();
	if (!Object.values(STATUSES).includes(status)) {
		throw new PumbleInputError('filters.status', `"${text}" is not a user status`, 'Choose active, deactivated or invited.');
	}
	return status;
}
