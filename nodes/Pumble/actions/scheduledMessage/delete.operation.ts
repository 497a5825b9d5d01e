import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { forOperation, scheduledMessageIdField } from '../../helpers/fields';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [scheduledMessageIdField];

export const deleteScheduledMessage: PumbleOperation = {
	description: forOperation('scheduledMessage', 'delete', properties),
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		return api.deleteScheduledMessage(this.getNodeParameter('scheduledMessageId', i));
	},
};
