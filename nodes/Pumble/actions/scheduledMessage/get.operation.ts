import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { forOperation, scheduledMessageIdField } from '../../helpers/fields';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [scheduledMessageIdField];

export const get: PumbleOperation = {
	description: forOperation('scheduledMessage', 'get', properties),
	input(this: IExecuteFunctions, i: number): { scheduledMessageId: unknown } {
		return { scheduledMessageId: this.getNodeParameter('scheduledMessageId', i) };
	},
};
