/**
 * The per-operation limits a credential may declare: its field, its label, what Pumble counts against it, and
 * the operation class (`endpoint.rateClass`) the limiter applies it to. The credential's form and the
 * transport both read this one table.
 */
export const OPERATION_LIMITS = [
	{ name: 'messagesPerMinute', displayName: 'Messages per Minute', counts: 'new messages and direct messages (Send)', rateClass: 'sendMessage' },
	{ name: 'repliesPerMinute', displayName: 'Replies per Minute', counts: 'thread replies (Reply in Thread)', rateClass: 'sendReply' },
	{ name: 'reactionsPerMinute', displayName: 'Reactions per Minute', counts: 'reactions added or removed', rateClass: 'reaction' },
	{ name: 'channelsPerMinute', displayName: 'Channel Creations per Minute', counts: 'channels created', rateClass: 'createChannel' },
	{
		name: 'scheduledMessagesPerMinute',
		displayName: 'Scheduled Messages per Minute',
		counts: 'scheduled messages created',
		rateClass: 'createScheduledMessage',
	},
] as const;

export type OperationLimitField = (typeof OPERATION_LIMITS)[number]['name'];
