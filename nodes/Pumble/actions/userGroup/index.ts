import type { INodeProperties } from 'n8n-workflow';
import type { PumbleOperation } from '../types';
import { getAll } from './getAll.operation';

export const operations: Record<string, PumbleOperation> = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['userGroup'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the user groups of the workspace (mention one in text with &lt;&lt;&amp;groupId&gt;&gt;)',
				action: 'Get many user groups',
			},
		],
		default: 'getAll',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
];
