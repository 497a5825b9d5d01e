/** Scheduled messages: create (once or repeating), get, list, update, delete. */
import { requireFuture } from '../api/scheduled';
import { ENDPOINTS } from '../http/endpoints';
import { PumbleInputError } from '../errors';
import { optionalBlocks, optionalId, requireId, requireText } from '../input/normalize';
import { channelRefOf, dateOf, fieldOf, limitOf, optionalChannelRefOf, optionalDateOf, recurrenceOf, type RecurrenceGiven } from './inputs';
import { read, readMany, write, type ChannelInput, type InputContext, type ListInput } from './types';

export interface CreateScheduledInput {
	channel: ChannelInput;
	text: unknown;
	sendAt: unknown;
	threadRootId?: unknown;
	alsoSendToChannel?: boolean;
	recurrence?: RecurrenceGiven;
	blocks?: unknown;
}

export interface UpdateScheduledInput {
	scheduledMessageId: unknown;
	/** Each field left undefined keeps its current value. */
	channel?: ChannelInput;
	text?: unknown;
	sendAt?: unknown;
	/** null or `none`: stop repeating. */
	recurrence?: RecurrenceGiven;
}

const idOf = (value: unknown, context: InputContext) => requireId(value, fieldOf(context, 'scheduledMessageId'), 'scheduled message ID');

function futureDateOf(value: unknown, context: InputContext, field: string): number {
	const at = dateOf(value, context, field);
	requireFuture(at, fieldOf(context, field));
	return at;
}

const byId = (input: { scheduledMessageId: unknown }, context: InputContext) => idOf(input.scheduledMessageId, context);

export const scheduledMessage = {
	create: write({
		endpoint: ENDPOINTS.createScheduledMessage,
		validate: (input: CreateScheduledInput, context) => ({
			channel: channelRefOf(input.channel, context),
			text: requireText(input.text, fieldOf(context, 'text')),
			sendAt: futureDateOf(input.sendAt, context, 'sendAt'),
			threadRootId: optionalId(input.threadRootId, fieldOf(context, 'threadRootId'), 'message ID'),
			alsoSendToChannel: input.alsoSendToChannel === true,
			recurrence: recurrenceOf(input.recurrence, context) ?? undefined,
			blocks: optionalBlocks(input.blocks, fieldOf(context, 'blocks')),
		}),
		run: async (api, input) => ({ ...(await api.createScheduledMessage(input)) }),
	}),
	get: read({
		endpoint: ENDPOINTS.fetchScheduledMessage,
		validate: byId,
		run: (api, id) => api.fetchScheduledMessage(id),
	}),
	getAll: readMany({
		endpoint: ENDPOINTS.fetchScheduledMessages,
		validate: (input: ListInput & { channel?: ChannelInput }, context) => ({ channel: optionalChannelRefOf(input.channel, context), limit: limitOf(input, context) }),
		run: (api, input) => api.listScheduledMessages(input),
	}),
	update: write({
		endpoint: ENDPOINTS.editScheduledMessage,
		validate(input: UpdateScheduledInput, context) {
			const checked = {
				scheduledMessageId: idOf(input.scheduledMessageId, context),
				channel: optionalChannelRefOf(input.channel, context),
				text: input.text === undefined ? undefined : requireText(input.text, fieldOf(context, 'text')),
				sendAt: optionalDateOf(input.sendAt, context, 'sendAt'),
				recurrence: recurrenceOf(input.recurrence, context),
			};
			if (checked.sendAt !== undefined) requireFuture(checked.sendAt, fieldOf(context, 'sendAt'));
			if (checked.channel === undefined && checked.text === undefined && checked.sendAt === undefined && checked.recurrence === undefined) {
				const field = fieldOf(context, 'changes');
				// The host's sentence for the fix names the fields that can change (they are the host's): the hint does not list them too.
				throw new PumbleInputError(field, 'Nothing to update', 'Fields left out keep their current values.', { code: 'nothingToChange', field });
			}
			return checked;
		},
		// Pumble needs channel, text and time on every edit: the core reads the current values first.
		run: (api, input) => api.editScheduledMessage(input),
	}),
	delete: write({
		endpoint: ENDPOINTS.deleteScheduledMessage,
		validate: byId,
		run: (api, id) => api.deleteScheduledMessage(id),
	}),
};
