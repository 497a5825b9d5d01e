import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../core';
import { channelLocator, forOperation, textField } from '../../helpers/fields';
import { getChannelRef, getOptions } from '../../helpers/params';
import { channelLane } from '../lanes';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator(),
	textField(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Send as Bot',
				name: 'asBot',
				type: 'boolean',
				default: false,
				description:
					'Whether to post as the API add-on bot instead of as you. The bot must be a member of private channels.',
			},
		],
	},
];

export const send: PumbleOperation = {
	description: forOperation('message', 'send', properties),
	lane: channelLane,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const options = getOptions(this, i);
		const receipt = await api.sendMessage({
			channel: getChannelRef(this, i),
			text: this.getNodeParameter('text', i),
			asBot: options.asBot === true,
		});
		return { ...receipt };
	},
};
