import type { INodeProperties } from 'n8n-workflow';
import type { PumbleOperation } from '../types';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { getMe } from './getMe.operation';
import { setStatus } from './setStatus.operation';

export const operations: Record<string, PumbleOperation> = { get, getAll, getMe, setStatus };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get a user of the workspace', action: 'Get a user' },
			{ name: 'Get Many', value: 'getAll', description: 'List the users of the workspace', action: 'Get many users' },
			{ name: 'Get Me', value: 'getMe', description: 'Get the user who owns the API key', action: 'Get the current user' },
			{
				name: 'Set Custom Status',
				value: 'setStatus',
				description: 'Set your status emoji and text',
				action: 'Set your custom status',
			},
		],
		default: 'get',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
];
