/** Scheduled messages: create, get, list, update, delete. */
import type { CreateScheduledMessageInput, RecurrenceGiven, UpdateScheduledInput } from '../../../core';
import { channelIn, flag, isGiven, listIn, type Params } from '../lib/params';
import type { ResourceFieldMaps } from './types';

const byId = (p: Params) => ({ scheduledMessageId: p.scheduledMessageId });

export const scheduledMessage: ResourceFieldMaps = {
	create: {
		input: (p): CreateScheduledMessageInput => ({
			channel: channelIn(p),
			text: p.text,
			sendAt: p.sendAt,
			threadRootId: p.threadRootId,
			alsoSendToChannel: flag(p, 'alsoSendToChannel'),
			// `{ type, endAfterOccurrences?, endDate? }` or a type (`DAILY`, …); `none` does not repeat.
			recurrence: p.recurrence as RecurrenceGiven,
			blocks: p.blocks,
		}),
	},
	get: { input: byId },
	getAll: { input: (p) => ({ channel: channelIn(p), ...listIn(p) }) },
	update: {
		// What is not given keeps its value; `recurrence: "none"` (or null) stops the repetition.
		fields: { changes: 'msg.payload' },
		input: (p): UpdateScheduledInput => ({
			...byId(p),
			channel: isGiven(p.channel) ? channelIn(p) : undefined,
			text: isGiven(p.text) ? p.text : undefined,
			sendAt: p.sendAt,
			recurrence: p.recurrence as RecurrenceGiven,
		}),
	},
	delete: { input: byId },
};
