import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { CreateScheduledMessageInput } from '../../../../core';
import { alsoSendToChannelOption, blocksField, channelLocator, forOperation, optionsField, recurrenceField, textField } from '../../helpers/fields';
import { channelInput, recurrenceInput } from '../../helpers/params';
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
	fields: { threadRootId: 'options.threadRootId', blocks: 'options.blocks', recurrence: 'options.recurrence' },
	input(this: IExecuteFunctions, i: number, options: IDataObject): CreateScheduledMessageInput {
		return {
			channel: channelInput(this, i),
			text: this.getNodeParameter('text', i),
			sendAt: this.getNodeParameter('sendAt', i),
			threadRootId: options.threadRootId,
			alsoSendToChannel: options.alsoSendToChannel === true,
			recurrence: recurrenceInput(options.recurrence),
			blocks: options.blocks,
		};
	},
};
