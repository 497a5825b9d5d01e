import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { requireId, type PumbleApi } from '../../core';
import { forOperation, scheduledMessageIdField } from '../../helpers/fields';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [scheduledMessageIdField];

export const deleteScheduledMessage: PumbleOperation = {
	description: forOperation('scheduledMessage', 'delete', properties),
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const scheduledMessageId = requireId(this.getNodeParameter('scheduledMessageId', i), 'scheduledMessageId', 'scheduled message ID');
		await api.deleteScheduledMessage(scheduledMessageId);
		// Pumble answers with an empty body.
		return { deleted: true, scheduledMessageId };
	},
};
