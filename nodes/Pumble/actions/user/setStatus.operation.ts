import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { SetStatusInput } from '../../../../core';
import { emojiField, forOperation } from '../../helpers/fields';
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
	input(this: IExecuteFunctions, i: number): SetStatusInput {
		return { emoji: this.getNodeParameter('emoji', i), statusText: this.getNodeParameter('statusText', i, ''), expiresAt: this.getNodeParameter('expiresAt', i, '') };
	},
};
