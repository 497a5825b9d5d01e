import type { INodeProperties } from 'n8n-workflow';
import type { PumbleOperation } from '../types';
import { deleteMessage } from './delete.operation';
import { getAll } from './getAll.operation';
import { reply } from './reply.operation';
import { send } from './send.operation';

export const operations: Record<string, PumbleOperation> = { send, reply, delete: deleteMessage, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{ name: 'Delete', value: 'delete', description: 'Delete a message', action: 'Delete a message' },
			{ name: 'Get Many', value: 'getAll', description: 'List the messages of a channel, newest first', action: 'Get many messages' },
			{ name: 'Reply in Thread', value: 'reply', description: 'Reply to a message in its thread', action: 'Reply in a thread' },
			{ name: 'Send', value: 'send', description: 'Send a message to a channel', action: 'Send a message' },
		],
		default: 'send',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
];
