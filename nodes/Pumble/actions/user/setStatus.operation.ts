import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { emojiField, forOperation } from '../../helpers/fields';
import { optionalDate } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	emojiField({ description: 'The status emoji: a Unicode emoji, its name, or its :code:', placeholder: 'e.g. 🌴, :palm_tree: or palm_tree' }),
	{
		displayName: 'Status Text',
		name: 'statusText',
		type: 'string',
		default: '',
		placeholder: 'e.g. On vacation',
		description: 'Up to 100 characters; may be empty',
	},
	{
		displayName: 'Expires At',
		name: 'expiresAt',
		type: 'dateTime',
		default: '',
		description: 'When the status clears by itself; empty = never',
	},
];

export const setStatus: PumbleOperation = {
	description: forOperation('user', 'setStatus', properties),
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		return api.setCustomStatus({
			emoji: this.getNodeParameter('emoji', i),
			statusText: this.getNodeParameter('statusText', i, ''),
			expiresAt: optionalDate(this, this.getNodeParameter('expiresAt', i, ''), 'expiresAt'),
		});
	},
};
