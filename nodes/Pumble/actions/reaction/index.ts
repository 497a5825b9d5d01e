import type { INodeProperties } from 'n8n-workflow';
import type { PumbleOperation } from '../types';
import { add } from './add.operation';
import { remove } from './remove.operation';

export const operations: Record<string, PumbleOperation> = { add, remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['reaction'] } },
		options: [
			{ name: 'Add', value: 'add', description: 'Add a reaction to a message', action: 'Add a reaction' },
			{ name: 'Remove', value: 'remove', description: 'Remove your reaction from a message', action: 'Remove a reaction' },
		],
		default: 'add',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
];
