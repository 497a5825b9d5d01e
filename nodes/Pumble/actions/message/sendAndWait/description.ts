/** The fields of Message → Send and Wait for Response, with n8n's own names (Slack, Discord, Teams, Gmail). */
import type { INodeProperties, IWebhookDescription } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';
import { channelLocator, forOperation, TEXT_HINT, userLocator } from '../../../helpers/fields';
import { formFieldsProperties } from './formFields';

const limitWaitTimeOption: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	description: 'Whether the workflow resumes on its own, without an answer, after a time limit',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					description: 'Resume after an interval, or at a date and time',
					options: [
						{ name: 'After Time Interval', description: 'Waits for a certain amount of time', value: 'afterTimeInterval' },
						{ name: 'At Specified Time', description: 'Waits until the set date and time', value: 'atSpecifiedTime' },
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 1,
					description: 'The time to wait',
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					default: 'hours',
					description: 'Unit of the interval value',
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
					default: '',
					description: 'Continue execution after the specified date and time',
				},
			],
		},
	],
};

const asBotOption: INodeProperties = {
	displayName: 'Send as Bot',
	name: 'asBot',
	type: 'boolean',
	default: false,
	description: 'Whether to post as the API add-on bot instead of as you. The bot must be a member of private channels.',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'select',
		type: 'options',
		default: 'channel',
		options: [
			{ name: 'Channel', value: 'channel', description: 'A channel, or a conversation you already have' },
			{ name: 'User', value: 'user', description: 'A direct message to one person' },
		],
	},
	channelLocator({ displayOptions: { show: { select: ['channel'] } } }),
	userLocator({ description: 'The person to ask, in a direct message', displayOptions: { show: { select: ['user'] } } }),
	{
		displayName: 'Reply in Thread',
		name: 'threadRootId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 66a1f0c2e4b0a1b2c3d4e5f6',
		description: 'ID of a message of the channel to post the request under, as a thread reply. Empty: a new message.',
		displayOptions: { show: { select: ['channel'] } },
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		hint: TEXT_HINT,
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		default: 'approval',
		options: [
			{ name: 'Approval', value: 'approval', description: 'The person approves or declines through links in the message' },
			{ name: 'Free Text', value: 'freeText', description: 'The person answers in a form with one text field' },
			{ name: 'Custom Form', value: 'customForm', description: 'The person fills in a form you define' },
		],
	},
	...formFieldsProperties.map((property) => ({
		...property,
		displayOptions: { show: { ...property.displayOptions?.show, responseType: ['customForm'] } },
	})),
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'fixedCollection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Type of Approval',
						name: 'approvalType',
						type: 'options',
						default: 'single',
						options: [
							{ name: 'Approve Only', value: 'single' },
							{ name: 'Approve and Disapprove', value: 'double' },
						],
					},
					{
						displayName: 'Approve Button Label',
						name: 'approveLabel',
						type: 'string',
						default: 'Approve',
						description: 'Shown as "✅ &lt;label&gt;"',
						displayOptions: { show: { approvalType: ['single', 'double'] } },
					},
					{
						displayName: 'Disapprove Button Label',
						name: 'disapproveLabel',
						type: 'string',
						default: 'Decline',
						description: 'Shown as "❌ &lt;label&gt;"',
						displayOptions: { show: { approvalType: ['double'] } },
					},
				],
			},
		],
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [limitWaitTimeOption, asBotOption],
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{ displayName: 'Message Button Label', name: 'messageButtonLabel', type: 'string', default: 'Respond' },
			{
				displayName: 'Response Form Title',
				name: 'responseFormTitle',
				description: 'Title of the form that the user can access to provide their response',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Response Form Description',
				name: 'responseFormDescription',
				description: 'Description of the form that the user can access to provide their response (default: the message)',
				type: 'string',
				default: '',
			},
			{ displayName: 'Response Form Button Label', name: 'responseFormButtonLabel', type: 'string', default: 'Submit' },
			limitWaitTimeOption,
			asBotOption,
		],
		displayOptions: { show: { responseType: ['freeText', 'customForm'] } },
	},
];

export const sendAndWaitDescription: INodeProperties[] = forOperation('message', SEND_AND_WAIT_OPERATION, properties);

/** The waiting execution's URL (`<webhook-waiting>/<execution>/<node ID>`), for opening a link (GET) and answering (POST). */
export const sendAndWaitWebhooks: IWebhookDescription[] = (['GET', 'POST'] as const).map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));
