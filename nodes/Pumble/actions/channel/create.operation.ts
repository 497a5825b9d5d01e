import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CreateChannelInput } from '../../../../core';
import { forOperation, optionsField } from '../../helpers/fields';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. project-updates',
		description: 'Up to 80 letters, digits, spaces, "-" or "_". Pumble lowercases it and turns spaces into "-".',
	},
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		default: 'public',
		options: [
			{ name: 'Public', value: 'public', description: 'Anyone in the workspace can find and join it' },
			{ name: 'Private', value: 'private', description: 'Only invited members can see it' },
		],
	},
	optionsField([{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'Up to 250 characters' }]),
];

export const create: PumbleOperation = {
	description: forOperation('channel', 'create', properties),
	fields: { description: 'options.description' },
	input(this: IExecuteFunctions, i: number, options: IDataObject): CreateChannelInput {
		return { name: this.getNodeParameter('name', i), type: this.getNodeParameter('type', i), description: options.description };
	},
};
