/** Field definitions reused by several operations, so each looks and validates the same everywhere. */
import type { INodeProperties } from 'n8n-workflow';

import { ID_PATTERN } from '../../../core/constants';

const ID_REGEX = ID_PATTERN.source;

/** A resource locator: pick from a searchable list, give a 24-hex ID, or a third way (`other`). */
const locator = (what: 'channel' | 'user', searchListMethod: string, other: { displayName: string; name: string; placeholder: string }) => ({
	displayName: what === 'channel' ? 'Channel' : 'User',
	name: what,
	type: 'resourceLocator' as const,
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{ displayName: 'From List', name: 'list', type: 'list' as const, placeholder: `Select a ${what}...`, typeOptions: { searchListMethod, searchable: true } },
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string' as const,
			placeholder: 'e.g. 66a1f0c2e4b0a1b2c3d4e5f6',
			validation: [{ type: 'regex' as const, properties: { regex: ID_REGEX, errorMessage: `A ${what} ID is 24 hexadecimal characters` } }],
		},
		{ displayName: other.displayName, name: other.name, type: 'string' as const, placeholder: other.placeholder },
	],
});

export const channelLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => {
	const { modes, ...field } = locator('channel', 'searchChannels', { displayName: 'By Name', name: 'name', placeholder: 'e.g. general' });
	return { ...field, description: 'The channel or direct message conversation', modes, ...overrides };
};

export const userLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	...locator('user', 'searchUsers', { displayName: 'By Email', name: 'email', placeholder: 'e.g. ada@example.com' }),
	...overrides,
});

export const messageIdField = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 66a1f0c2e4b0a1b2c3d4e5f6',
	description: 'ID of the message, e.g. the ID a previous Send returned',
	...overrides,
});

/** n8n shows hints as HTML: the mention syntax is written with entities, or the editor drops it as a tag. */
export const TEXT_HINT =
	'Markdown-like formatting works (**bold**, *italic*, `code`). Mention a user with &lt;&lt;@userId&gt;&gt;, a channel with &lt;&lt;#channelId&gt;&gt;, a user group with &lt;&lt;&amp;groupId&gt;&gt;.';

export const textField = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName: 'Text',
	name: 'text',
	type: 'string',
	required: true,
	default: '',
	typeOptions: { rows: 3 },
	hint: TEXT_HINT,
	...overrides,
});

export const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitField = (max?: number): INodeProperties => ({
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	default: 50,
	typeOptions: { minValue: 1, ...(max ? { maxValue: max } : {}) },
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
});

/** The head of every Get Many: Return All and Limit, then Simplify where the results are records. */
export const getManyFields = (options: { simplify?: boolean } = {}): INodeProperties[] => [
	returnAllField,
	limitField(),
	...(options.simplify ? [simplifyField] : []),
];

/** The "Filters" collection of a Get Many or Search. */
export const filtersField = (filters: INodeProperties[]): INodeProperties => ({
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add filter',
	default: {},
	options: filters,
});

/** The "Options" collection of an operation. */
export const optionsField = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options,
});

/** The time window of a message list or a search (filters `after` and `before`). */
export const messageTimeFilters = (afterDescription = 'Only messages sent after this moment'): INodeProperties[] => [
	{ displayName: 'After', name: 'after', type: 'dateTime', default: '', description: afterDescription },
	{ displayName: 'Before', name: 'before', type: 'dateTime', default: '', description: 'Only messages sent before this moment' },
];

/** Option "Send as Bot" (`asBot`) of the operations that post. */
export const asBotOption = (description = 'Whether to post as the API add-on bot instead of as you'): INodeProperties => ({
	displayName: 'Send as Bot',
	name: 'asBot',
	type: 'boolean',
	default: false,
	description,
});

/** Option "Also Send to Channel" (`alsoSendToChannel`) of the operations that may post in a thread. */
export const alsoSendToChannelOption = (description: string): INodeProperties => ({
	displayName: 'Also Send to Channel',
	name: 'alsoSendToChannel',
	type: 'boolean',
	default: false,
	description,
});

export const emojiField = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName: 'Emoji',
	name: 'emoji',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 👍, :+1: or +1',
	description: 'The emoji: a Unicode emoji, its name, or its :code:. Custom workspace emoji work by name.',
	...overrides,
});

/** Scopes a list of fields to one resource + operation (like n8n's updateDisplayOptions). */
export function forOperation(resource: string, operation: string, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, resource: [resource], operation: [operation] },
		},
	}));
}

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a simplified version of the response instead of the raw data. On by default: it keeps only the useful fields, which saves tokens when an AI agent uses this node as a tool.',
};

/** Several users picked from the workspace list; an expression may give an array of IDs or a comma-separated string. */
export const userIdsField = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName: 'User Names or IDs',
	name: 'userIds',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getUsers' },
	required: true,
	default: [],
	description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	hint: 'An expression may give a list of user IDs or a comma-separated string',
	...overrides,
});

export const scheduledMessageIdField: INodeProperties = {
	displayName: 'Scheduled Message ID',
	name: 'scheduledMessageId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 66a1f0c2e4b0a1b2c3d4e5f6',
	description: 'ID of the scheduled message, e.g. the ID a previous Create returned',
};

export const blocksField = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName: 'Blocks',
	name: 'blocks',
	type: 'json',
	default: '',
	placeholder: 'e.g. [{"type":"rich_text","elements":[…]}]',
	description:
		'Rich-text blocks as a JSON array. When they are valid Pumble shows them instead of the text, which stays the notification and fallback.',
	...overrides,
});

export { recurrenceField } from './recurrenceField';

/**
 * "On Retry: Skip Messages Already in the Channel": in n8n's Retry of an execution, an item with no receipt
 * (the receipt store was lost) is first looked for in its conversation (nodes/Pumble/actions/router.ts).
 */
export const skipExistingOnRetryOption: INodeProperties = {
	displayName: 'On Retry: Skip Messages Already in the Channel',
	name: 'skipExistingOnRetry',
	type: 'boolean',
	default: false,
	description:
		"Whether a retried execution (Executions list → Retry) first looks in the conversation for a message of yours with the same text in the last 24 hours, and returns it (alreadySent: true) instead of sending. Only needed when the node's receipts were lost; costs 1 to 20 reads per item.",
};
