/** Scheduled messages: create, get, list, update, delete. */
import type { RecurrenceInput } from '../../../core';
import { channelOf, dateOf, flag, limitOf, optionalChannelOf, optionalDateOf, Params } from '../lib/params';
import type { ResourceOperations } from './types';

/** `recurrence`: `{ type, endAfterOccurrences?, endDate? }`, or `"none"` / `{ type: "none" }` to stop repeating. */
function recurrenceOf(p: Params): RecurrenceInput | null | undefined {
	const raw = p.recurrence;
	if (raw === undefined || raw === null || raw === '') return undefined;
	const rule = (typeof raw === 'string' ? { type: raw } : raw) as Params;
	if (String(rule.type).toLowerCase() === 'none') return null;
	return { type: rule.type, endAfterOccurrences: rule.endAfterOccurrences, endDate: optionalDateOf(rule, 'endDate') };
}

export const scheduledMessage: ResourceOperations = {
	create: {
		run: (api, p) =>
			api.createScheduledMessage({
				channel: channelOf(p),
				text: p.text,
				sendAt: dateOf(p, 'sendAt'),
				threadRootId: p.threadRootId,
				alsoSendToChannel: flag(p, 'alsoSendToChannel'),
				recurrence: recurrenceOf(p) ?? undefined,
				blocks: p.blocks,
			}),
	},
	get: {
		run: (api, p) => api.fetchScheduledMessage(p.scheduledMessageId),
	},
	getAll: {
		run: (api, p) => api.listScheduledMessages({ channel: optionalChannelOf(p), limit: limitOf(p) }),
	},
	update: {
		run: (api, p) =>
			api.editScheduledMessage({
				scheduledMessageId: p.scheduledMessageId,
				channel: optionalChannelOf(p),
				text: p.text === undefined || p.text === '' ? undefined : p.text,
				sendAt: optionalDateOf(p, 'sendAt'),
				recurrence: recurrenceOf(p),
			}),
	},
	delete: {
		run: (api, p) => api.deleteScheduledMessage(p.scheduledMessageId),
	},
};
