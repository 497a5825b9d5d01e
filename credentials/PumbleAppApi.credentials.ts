/**
 * The Pumble App credential: an app made on Pumble's App platform (not the API-key add-on). Its fields are the
 * secrets Pumble returns when the app is created (CAKE-com/pumble-node-sdk docs/manifest.md: `id`, `appKey`,
 * `signingSecret`) and the tokens of an installation (docs/authorization.md: `botToken`, `accessToken`).
 * Requests carry `token` and `x-app-token` (docs/api-client.md); the test asks GET /oauth2/me
 * (pumble-sdk/src/api/v1/UsersApiClientV1.ts `getProfile`), which answers only to a valid app key and token.
 */
import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { APP_API_BASE_URL } from '../core/app/constants';
import { baseUrlField, PUMBLE_ICON, testRequest } from './shared';

export class PumbleAppApi implements ICredentialType {
	name = 'pumbleAppApi';

	displayName = 'Pumble App API';

	icon = PUMBLE_ICON;

	documentationUrl = 'https://github.com/CAKE-com/pumble-node-sdk/blob/master/docs/manifest.md';

	properties: INodeProperties[] = [
		{
			displayName:
				'For instant events (the Pumble App Trigger). Create a Pumble app (<code>npx pumble-cli create</code>, or POST to the apps endpoint): Pumble answers with the app\'s ID, app key and signing secret. Install it in your workspace; the authorization gives a bot token and a user token. The README of n8n-nodes-pumble walks through it step by step.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			required: true,
			default: '',
			description: 'The app\'s ID (also its OAuth client ID), returned when the app is created',
		},
		// The app key is a secret: "Your app's secret key" (CAKE-com/pumble-node-sdk docs/manifest.md).
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Sent with every App API request as x-app-token',
		},
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Pumble signs every request to your app with it; the trigger refuses (401) anything not signed with it',
		},
		{
			displayName: 'Bot Token',
			name: 'botToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The bot\'s access token from the app\'s installation (it does not expire)',
		},
		{
			displayName: 'User Token',
			name: 'userToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional: the access token of the user who authorized the app, to act as that user',
		},
		baseUrlField(APP_API_BASE_URL, 'Where the App API answers. Change it only for a proxy or the local Pumble sandbox (npm start prints its URL).'),
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				token: '={{$credentials.botToken}}',
				'x-app-token': '={{$credentials.appKey}}',
			},
		},
	};

	test: ICredentialTestRequest = testRequest('/oauth2/me');
}
