/** The App Trigger's parameters: which events, which channels, and the slash command's answer. */
import type { INodeProperties } from 'n8n-workflow';

import type { AppEventName } from '../../../core/app/events';

export const EVENT_OPTIONS: Array<{ name: string; value: AppEventName; description: string }> = [
	{ name: 'App Unauthorized', value: 'APP_UNAUTHORIZED', description: 'A user withdrew their authorization of the app' },
	{ name: 'App Uninstalled', value: 'APP_UNINSTALLED', description: 'The app was uninstalled from the workspace' },
	{ name: 'Block Interaction (Other)', value: 'BLOCK_INTERACTION', description: 'A select menu, checkboxes or date picker in a message or view of the app was used' },
	{ name: 'Button Click', value: 'BUTTON_CLICK', description: 'Someone clicked a button in a message of the app (with the user who clicked)' },
	{ name: 'Channel Archived', value: 'CHANNEL_ARCHIVED', description: 'A channel was archived or unarchived' },
	{ name: 'Channel Created', value: 'CHANNEL_CREATED', description: 'A channel was created' },
	{ name: 'Channel Deleted', value: 'CHANNEL_DELETED', description: 'A channel was deleted' },
	{ name: 'Global Shortcut', value: 'GLOBAL_SHORTCUT', description: 'Someone ran one of the app\'s global shortcuts' },
	{ name: 'Message Edited', value: 'UPDATED_MESSAGE', description: 'A message was edited' },
	{ name: 'Message Shortcut', value: 'MESSAGE_SHORTCUT', description: 'Someone ran one of the app\'s shortcuts on a message' },
	{ name: 'New Message', value: 'NEW_MESSAGE', description: 'A message or thread reply was posted' },
	{ name: 'Reaction Added', value: 'REACTION_ADDED', description: 'Someone reacted to a message' },
	{ name: 'Slash Command', value: 'SLASH_COMMAND', description: 'Someone ran one of the app\'s slash commands' },
	{ name: 'User Group Created', value: 'WORKSPACE_USER_GROUP_CREATED', description: 'A user group was created' },
	{ name: 'User Group Updated', value: 'WORKSPACE_USER_GROUP_UPDATED', description: 'A user group was changed' },
	{ name: 'User Joined', value: 'WORKSPACE_USER_JOINED', description: 'A user joined the workspace' },
	{ name: 'User Updated', value: 'WORKSPACE_USER_UPDATED', description: 'A user\'s profile changed' },
];

export const SETUP_NOTICE =
	'Paste this node\'s <b>Production URL</b> (Webhook URLs, above) into your Pumble app\'s manifest: as <code>eventSubscriptions.url</code>, and as the <code>url</code> of each slash command, shortcut and <code>blockInteraction</code> you use. <b>One Pumble app has one events URL</b> (like one webhook per Telegram bot): activate one workflow per app, or make one app per workflow. Use the Test URL while you build with "Listen for test event".';

export const appTriggerProperties: INodeProperties[] = [
	{ displayName: SETUP_NOTICE, name: 'setupNotice', type: 'notice', default: '' },
	{
		displayName: 'Trigger On',
		name: 'events',
		type: 'multiOptions',
		options: EVENT_OPTIONS,
		default: ['NEW_MESSAGE'],
		required: true,
		description: 'What starts the workflow. The app also needs these events in its manifest\'s eventSubscriptions.events, and the scopes they need (messages:read, reaction:read, channels:read, user:read, group:read).',
	},
	{
		displayName: 'Channel IDs',
		name: 'channelIds',
		type: 'string',
		default: '',
		placeholder: '66a1f0c2e4b0a1b2c3d4e5f6, 66a1f0c2e4b0a1b2c3d4e5f7',
		description: 'Only events in these channels (comma-separated IDs). Empty: every channel. Events that belong to no channel (a user joined, a user group changed) always pass.',
	},
	{
		displayName: 'Slash Command Reply',
		name: 'slashCommandReply',
		type: 'string',
		default: '',
		placeholder: 'Got it, working on it…',
		description: 'A text only the person who ran the slash command sees, sent at once while the workflow runs. Empty: no reply.',
		displayOptions: { show: { events: ['SLASH_COMMAND'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Ignore User IDs',
				name: 'ignoreUserIds',
				type: 'string',
				default: '',
				description: 'Events caused by these users (comma-separated IDs) start nothing: put the app\'s bot here so a workflow that posts as the bot does not start itself',
			},
			{
				displayName: 'Slash Command Reply Via',
				name: 'replyVia',
				type: 'options',
				options: [
					{ name: 'Response to Pumble', value: 'response', description: 'In the answer to Pumble\'s request, as the Pumble SDK acknowledges: {"message": "…"}' },
					{ name: 'App API (Ephemeral Message)', value: 'api', description: 'An ephemeral message sent with the bot token (POST /v1/channels/{channel}/messages)' },
				],
				default: 'response',
				description: 'How the slash command reply reaches the user. See docs/pumble-app.md for why there are two ways.',
			},
		],
	},
];
