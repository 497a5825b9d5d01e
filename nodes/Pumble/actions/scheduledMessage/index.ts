import type { INodeProperties } from 'n8n-workflow';
import type { PumbleOperation } from '../types';
import { create } from './create.operation';
import { deleteScheduledMessage } from './delete.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { update } from './update.operation';

export const operations: Record<string, PumbleOperation> = { create, get, getAll, update, delete: deleteScheduledMessage };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['scheduledMessage'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Schedule a message for later, once or repeating', action: 'Schedule a message' },
			{ name: 'Delete', value: 'delete', description: 'Cancel a scheduled message', action: 'Delete a scheduled message' },
			{ name: 'Get', value: 'get', description: 'Get a scheduled message', action: 'Get a scheduled message' },
			{ name: 'Get Many', value: 'getAll', description: 'List your pending scheduled messages', action: 'Get many scheduled messages' },
			{
				name: 'Update',
				value: 'update',
				description: 'Change the text, time, channel or recurrence of a scheduled message',
				action: 'Update a scheduled message',
			},
		],
		default: 'create',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
];
