import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { UpdateScheduledInput } from '../../../../core';
import { channelLocator, forOperation, recurrenceField, scheduledMessageIdField, textField } from '../../helpers/fields';
import { getOptions, optionalChannelInputOf, recurrenceInput } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [
	scheduledMessageIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		description: 'Only the fields added here change; the others keep their current values',
		options: [
			channelLocator({ required: false, description: 'Move the message to this channel or conversation' }),
			recurrenceField({ allowNone: true }),
			{
				displayName: 'Send At',
				name: 'sendAt',
				type: 'dateTime',
				default: '',
				description: 'The new time to send it. Must be in the future.',
			},
			textField({ required: false, description: 'The new text' }),
		],
	},
];

export const update: PumbleOperation = {
	description: forOperation('scheduledMessage', 'update', properties),
	fields: { channel: 'updateFields.channel', text: 'updateFields.text', sendAt: 'updateFields.sendAt', recurrence: 'updateFields.recurrence', changes: 'updateFields' },
	input(this: IExecuteFunctions, i: number): UpdateScheduledInput {
		const fields = getOptions(this, i, 'updateFields');
		return {
			scheduledMessageId: this.getNodeParameter('scheduledMessageId', i),
			channel: optionalChannelInputOf(fields.channel),
			text: 'text' in fields ? fields.text : undefined,
			sendAt: fields.sendAt,
			recurrence: recurrenceInput(fields.recurrence),
		};
	},
};
