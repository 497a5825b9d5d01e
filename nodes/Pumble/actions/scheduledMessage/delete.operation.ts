import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { forOperation, scheduledMessageIdField } from '../../helpers/fields';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [scheduledMessageIdField];

export const deleteScheduledMessage: PumbleOperation = {
	description: forOperation('scheduledMessage', 'delete', properties),
	input(this: IExecuteFunctions, i: number): { scheduledMessageId: unknown } {
		return { scheduledMessageId: this.getNodeParameter('scheduledMessageId', i) };
	},
};
