/** The Pumble Trigger's parameters as the core's PollConfig, checked before anything is read. */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isTriggerEvent, type PollConfig, type TriggerEvent } from '../../../core/poller';

/** n8n's names of the poll's fields, for its error messages. */
const TRIGGER_FIELDS = { textFilter: 'options.textFilter', reactions: 'options.reactions' } as const;

export function readConfig(context: IPollFunctions): PollConfig {
	const event = context.getNodeParameter('event', 'newMessage') as TriggerEvent;
	if (!isTriggerEvent(event)) {
		throw new NodeOperationError(context.getNode(), `"${String(event)}" is not a Pumble Trigger event`, {
			description: 'Choose New Message, New Thread Reply, New Mention, Reaction Added or Message Edited.',
		});
	}
	const watch = context.getNodeParameter('watch', 'selected') as string;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	let channels: string[] | 'all' = 'all';
	if (watch !== 'all') {
		channels = toList(context.getNodeParameter('channels', []));
		if (channels.length === 0) {
			throw new NodeOperationError(context.getNode(), 'No channel to watch', {
				description: 'Choose at least one channel or direct message under "Channels", or set "Watch" to "All My Channels and DMs".',
			});
		}
	}
	const textFilter = typeof options.textFilter === 'string' ? options.textFilter : undefined;
	return {
		event,
		channels,
		includeOwn: options.includeOwnMessages === true,
		includeBots: options.includeBotMessages === true,
		...(textFilter ? { textFilter } : {}),
		...(typeof options.includeReplies === 'boolean' ? { includeReplies: options.includeReplies } : {}),
		...(options.threadWindow !== undefined ? { threadWindow: Number(options.threadWindow) } : {}),
		...(options.watchWindow !== undefined ? { watchWindow: Number(options.watchWindow) } : {}),
		...(event === 'reactionAdded' && toList(options.reactions).length > 0 ? { reactions: toList(options.reactions) } : {}),
		fields: TRIGGER_FIELDS,
	};
}

/** Channels from the list, an expression's array, or a comma-separated string. */
function toList(value: unknown): string[] {
	const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return raw.map((entry) => String(entry).trim()).filter(Boolean);
}
