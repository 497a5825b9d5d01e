import type { INodeProperties } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';
import type { PumbleOperation } from '../types';
import { deleteMessage } from './delete.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { getReplies } from './getReplies.operation';
import { reply } from './reply.operation';
import { search } from './search.operation';
import { send } from './send.operation';
import { sendAndWaitDescription } from './sendAndWait';
import { update } from './update.operation';

export const operations: Record<string, PumbleOperation> = {
	send,
	reply,
	update,
	delete: deleteMessage,
	get,
	getAll,
	getReplies,
	search,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{ name: 'Delete', value: 'delete', description: 'Delete a message', action: 'Delete a message' },
			{ name: 'Get', value: 'get', description: 'Get one message', action: 'Get a message' },
			{ name: 'Get Many', value: 'getAll', description: 'List the messages of a channel, newest first', action: 'Get many messages' },
			{
				name: 'Get Thread Replies',
				value: 'getReplies',
				description: 'List the replies in a thread, newest first',
				action: 'Get thread replies',
			},
			{ name: 'Reply in Thread', value: 'reply', description: 'Reply to a message in its thread', action: 'Reply in a thread' },
			{ name: 'Search', value: 'search', description: 'Search messages across your channels', action: 'Search messages' },
			{
				name: 'Send',
				value: 'send',
				description: 'Send a message to a channel, a person or a group of people',
				action: 'Send a message',
			},
			{
				name: 'Send and Wait for Response',
				value: SEND_AND_WAIT_OPERATION,
				description: 'Send a message with approve/decline links or a form link, and wait for the answer',
				action: 'Send message and wait for response',
			},
			{ name: 'Update', value: 'update', description: 'Change the text of a message', action: 'Update a message' },
		],
		default: 'send',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
	// Not in `operations`: it sends once and puts the whole execution to wait (Pumble.node.ts runs it).
	...sendAndWaitDescription,
];
