/** Field definitions reused by several operations, so each looks and validates the same everywhere. */
import type { INodeProperties } from 'n8n-workflow';

const ID_REGEX = '^[0-9a-fA-F]{24}$';

export const channelLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName: 'Channel',
	name: 'channel',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The channel or direct message conversation',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a channel...',
			typeOptions: { searchListMethod: 'searchChannels', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 66a1f0c2e4b0a1b2c3d4e5f6',
			validation: [{ type: 'regex', properties: { regex: ID_REGEX, errorMessage: 'A channel ID is 24 hexadecimal characters' } }],
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. general',
		},
	],
	...overrides,
});

export const userLocator = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName: 'User',
	name: 'user',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a user...',
			typeOptions: { searchListMethod: 'searchUsers', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 66a1f0c2e4b0a1b2c3d4e5f6',
			validation: [{ type: 'regex', properties: { regex: ID_REGEX, errorMessage: 'A user ID is 24 hexadecimal characters' } }],
		},
		{
			displayName: 'By Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. ada@example.com',
		},
	],
	...overrides,
});

export const messageIdField = (overrides: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 66a1f0c2e4b0a1b2c3d4e5f6',
	description: 'ID of the message, e.g. the "id" a previous Send returned',
	...overrides,
});

export const TEXT_HINT =
	'Markdown-like formatting works (**bold**, *italic*, `code`). Mention a user with <<@userId>>, a channel with <<#channelId>>, a user group with <<&groupId>>.';

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
