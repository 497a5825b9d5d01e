import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { alsoSendToChannelOption, blocksField, channelLocator, forOperation, optionsField, recurrenceField, textField } from '../../helpers/fields';
import { getChannelRef, getDate, getOptions, getRecurrence } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	channelLocator({ description: 'Where to send the message: a channel or a conversation you already have' }),
	textField(),
	{
		displayName: 'Send At',
		name: 'sendAt',
		type: 'dateTime',
		required: true,
		default: '',
		description: "When to send the message (in the workflow's time zone unless the date says otherwise). Must be in the future.",
	},
	optionsField([
		alsoSendToChannelOption('Whether a thread reply also shows in the channel. Used with "Thread Root ID".'),
		blocksField(),
		recurrenceField(),
		{
			displayName: 'Thread Root ID',
			name: 'threadRootId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 66a1f0c2e4b0a1b2c3d4e5f6',
			description: 'Send the message as a reply in the thread of this message',
		},
	]),
];

export const create: PumbleOperation = {
	description: forOperation('scheduledMessage', 'create', properties),
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const options = getOptions(this, i);
		const receipt = await api.createScheduledMessage({
			channel: getChannelRef(this, i),
			text: this.getNodeParameter('text', i),
			sendAt: getDate(this, this.getNodeParameter('sendAt', i), 'sendAt'),
			threadRootId: options.threadRootId,
			alsoSendToChannel: options.alsoSendToChannel === true,
			recurrence: getRecurrence(this, options.recurrence, 'options.recurrence') ?? undefined,
			blocks: options.blocks,
		});
		return { ...receipt };
	},
};
