import type { INodeProperties } from 'n8n-workflow';
import type { PumbleOperation } from '../types';
import { addUsers } from './addUsers.operation';
import { create } from './create.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { removeUser } from './removeUser.operation';

export const operations: Record<string, PumbleOperation> = { create, get, getAll, addUsers, removeUser };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['channel'] } },
		options: [
			{ name: 'Add Users', value: 'addUsers', description: 'Add people to a channel', action: 'Add users to a channel' },
			{ name: 'Create', value: 'create', description: 'Create a channel', action: 'Create a channel' },
			{ name: 'Get', value: 'get', description: 'Get a channel and its members', action: 'Get a channel' },
			{ name: 'Get Many', value: 'getAll', description: 'List your channels and direct messages', action: 'Get many channels' },
			{ name: 'Remove User', value: 'removeUser', description: 'Remove a person from a channel', action: 'Remove a user from a channel' },
		],
		default: 'create',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
];
