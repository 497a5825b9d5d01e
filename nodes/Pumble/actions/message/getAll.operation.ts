import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { channelLocator, filtersField, forOperation, getManyFields, messageTimeFilters } from '../../helpers/fields';
import { getChannelRef, getLimit, getOptions, getSimplify, optionalDate } from '../../helpers/params';
import { messagesOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator(),
	...getManyFields({ simplify: true }),
	filtersField(messageTimeFilters('Only messages sent after this moment. Paging stops as soon as older messages are reached.')),
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
