import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../core';
import { channelLocator, forOperation, limitField, returnAllField, simplifyField } from '../../helpers/fields';
import { getChannelRef, getLimit, getOptions, getSimplify, optionalDate } from '../../helpers/params';
import { messagesOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator(),
	returnAllField,
	limitField(),
	simplifyField,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{
				displayName: 'After',
				name: 'after',
				type: 'dateTime',
				default: '',
				description: 'Only messages sent after this moment. Paging stops as soon as older messages are reached.',
			},
			{
				displayName: 'Before',
				name: 'before',
				type: 'dateTime',
				default: '',
				description: 'Only messages sent before this moment',
			},
		],
	},
];

export const getAll: PumbleOperation = {
	description: forOperation('message', 'getAll', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const filters = getOptions(this, i, 'filters');
		const messages = await api.listMessages({
			channel: getChannelRef(this, i),
			limit: getLimit(this, i),
			after: optionalDate(this, filters.after, 'filters.after'),
			before: optionalDate(this, filters.before, 'filters.before'),
		});
		return messagesOut(messages, getSimplify(this, i));
	},
};
