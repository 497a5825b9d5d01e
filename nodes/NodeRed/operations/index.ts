/** Every operation of the `pumble` node, by resource and operation (the same names as the n8n node). */
import { channel } from './channel';
import { message } from './message';
import { reaction } from './reaction';
import { scheduledMessage } from './scheduledMessage';
import type { NodeRedOperation, ResourceOperations } from './types';
import { user, userGroup } from './user';

export const OPERATIONS: Record<string, ResourceOperations> = { message, reaction, channel, scheduledMessage, user, userGroup };

export function findOperation(resource: unknown, operation: unknown): NodeRedOperation | undefined {
	return OPERATIONS[String(resource)]?.[String(operation)];
}

export type { NodeRedOperation };
