import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ListMessagesInput, Message } from '../../../../core';
import { channelLocator, filtersField, forOperation, getManyFields, messageTimeFilters } from '../../helpers/fields';
import { channelInput, getOptions, getSimplify, listInput } from '../../helpers/params';
import { messagesOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator(),
	...getManyFields({ simplify: true }),
	filtersField(messageTimeFilters('Only messages sent after this moment. Paging stops as soon as older messages are reached.')),
];

export const getAll: PumbleOperation = {
	description: forOperation('message', 'getAll', properties),
	fields: { after: 'filters.after', before: 'filters.before' },
	input(this: IExecuteFunctions, i: number): ListMessagesInput {
		const filters = getOptions(this, i, 'filters');
		return { channel: channelInput(this, i), ...listInput(this, i), after: filters.after, before: filters.before };
	},
	output(this: IExecuteFunctions, messages: unknown, i: number) {
		return messagesOut(messages as Message[], getSimplify(this, i));
	},
};
