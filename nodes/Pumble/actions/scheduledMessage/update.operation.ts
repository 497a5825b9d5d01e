import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';
import { PumbleInputError, type PumbleApi } from '../../../../core';
import { channelLocator, forOperation, recurrenceField, scheduledMessageIdField, textField } from '../../helpers/fields';
import { getOptions, getRecurrence, isEmptyLocator, optionalDate, toChannelRefFromLocator } from '../../helpers/params';
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
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const fields = getOptions(this, i, 'updateFields');
		const channel = fields.channel as INodeParameterResourceLocator | string | undefined;
		const input = {
			scheduledMessageId: this.getNodeParameter('scheduledMessageId', i),
			channel: isEmptyLocator(channel) ? undefined : toChannelRefFromLocator(channel, 'updateFields.channel'),
			text: 'text' in fields ? fields.text : undefined,
			sendAt: optionalDate(this, fields.sendAt, 'updateFields.sendAt'),
			recurrence: getRecurrence(this, fields.recurrence, 'updateFields.recurrence'),
		};
		if (input.channel === undefined && input.text === undefined && input.sendAt === undefined && input.recurrence === undefined) {
			throw new PumbleInputError('updateFields', 'Nothing to update', 'Add at least one field under "Update Fields": Channel, Text, Send At or Recurrence.');
		}
		// Pumble needs channel, text and time on every edit: the core reads the current values first.
		return (await api.editScheduledMessage(input)) as unknown as IDataObject;
	},
};
