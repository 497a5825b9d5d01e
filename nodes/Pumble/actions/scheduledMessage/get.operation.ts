import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { forOperation, scheduledMessageIdField } from '../../helpers/fields';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [scheduledMessageIdField];

export const get: PumbleOperation = {
	description: forOperation('scheduledMessage', 'get', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		return (await api.fetchScheduledMessage(this.getNodeParameter('scheduledMessageId', i))) as unknown as IDataObject;
	},
};
