import type { INodeProperties } from 'n8n-workflow';
import type { PumbleOperation } from '../types';
import { create } from './create.operation';
import { getAll } from './getAll.operation';

export const operations: Record<string, PumbleOperation> = { create, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['channel'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a channel', action: 'Create a channel' },
			{ name: 'Get Many', value: 'getAll', description: 'List your channels and direct messages', action: 'Get many channels' },
		],
		default: 'create',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
];
