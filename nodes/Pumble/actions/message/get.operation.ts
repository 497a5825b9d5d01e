import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { channelLocator, forOperation, messageIdField, simplifyField } from '../../helpers/fields';
import { getChannelRef, getSimplify } from '../../helpers/params';
import { messagesOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [channelLocator({ description: 'The channel holding the message' }), messageIdField(), simplifyField];

export const get: PumbleOperation = {
	description: forOperation('message', 'get', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const message = await api.fetchMessage({ channel: getChannelRef(this, i), messageId: this.getNodeParameter('messageId', i) });
		return messagesOut([message], getSimplify(this, i));
	},
};
