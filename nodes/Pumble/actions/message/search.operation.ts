import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { PumbleInputError, type PumbleApi, type SearchSort } from '../../../../core';
import { filtersField, forOperation, getManyFields, messageTimeFilters, optionsField } from '../../helpers/fields';
import { getLimit, getOptions, getSimplify, optionalDate } from '../../helpers/params';
import { messagesOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: 'e.g. quarterly report',
		description: 'Words to search for (up to 500 characters). May be empty when filtering by author or channel.',
	},
	...getManyFields({ simplify: true }),
	filtersField([
		...messageTimeFilters(),
		{
			displayName: 'From Names or IDs',
			name: 'from',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getUsers' },
			default: [],
			description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			hint: 'Only messages by these people',
		},
		{
			displayName: 'In Channel Names or IDs',
			name: 'in',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getChannels' },
			default: [],
			description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			hint: 'Only messages in these channels or conversations',
		},
	]),
	optionsField([
		{
			displayName: 'Sort',
			name: 'sort',
			type: 'options',
			default: 'newest',
			options: [
				{ name: 'Newest First', value: 'newest' },
				{ name: 'Oldest First', value: 'oldest' },
				{ name: 'Most Relevant', value: 'relevance', description: 'Pumble ranks up to 20 results; more are always collected by time' },
			],
		},
	]),
];

export const search: PumbleOperation = {
	description: forOperation('message', 'search', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const filters = getOptions(this, i, 'filters');
		const options = getOptions(this, i);
		const messages = await api.searchMessages({
			query: this.getNodeParameter('query', i, ''),
			from: filters.from,
			in: filters.in,
			after: optionalDate(this, filters.after, 'filters.after'),
			before: optionalDate(this, filters.before, 'filters.before'),
			limit: getLimit(this, i),
			sort: searchSort(options.sort),
		});
		return messagesOut(messages, getSimplify(this, i));
	},
};

const SORTS: SearchSort[] = ['newest', 'oldest', 'relevance'];

function searchSort(value: unknown): SearchSort {
	if (value === undefined || value === null || value === '') return 'newest';
	if (!SORTS.includes(value as SearchSort)) {
		throw new PumbleInputError('options.sort', `"${String(value)}" is not a sort order`, `Choose one of ${SORTS.join(', ')}.`);
	}
	return value as SearchSort;
}
