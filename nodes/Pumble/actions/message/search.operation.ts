import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Message, SearchMessagesInput } from '../../../../core';
import { filtersField, forOperation, getManyFields, messageTimeFilters, optionsField } from '../../helpers/fields';
import { getOptions, getSimplify, listInput } from '../../helpers/params';
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
	fields: { from: 'filters.from', in: 'filters.in', after: 'filters.after', before: 'filters.before', sort: 'options.sort' },
	input(this: IExecuteFunctions, i: number, options: IDataObject): SearchMessagesInput {
		const filters = getOptions(this, i, 'filters');
		return {
			query: this.getNodeParameter('query', i, ''),
			from: filters.from,
			in: filters.in,
			after: filters.after,
			before: filters.before,
			...listInput(this, i),
			sort: options.sort,
		};
	},
	output(this: IExecuteFunctions, messages: unknown, i: number) {
		return messagesOut(messages as Message[], getSimplify(this, i));
	},
};
