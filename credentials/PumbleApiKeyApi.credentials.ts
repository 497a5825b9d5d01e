/**
 * The Pumble API-key credential (the add-on's `ApiKey` header). n8n loads the class by this file's name and
 * registers it by `name`: `pumbleApi` is what saved workflows and credentials refer to, so it never changes;
 * the class is named for what it holds (an API key), apart from the core's `PumbleApi` facade, and ends in
 * `Api` as n8n's lint wants (cred-class-name-unsuffixed, cred-filename-against-convention).
 */
import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../core/constants';
import { OPERATION_LIMITS, RESERVE_SETTING } from '../core/settings';
import { baseUrlField, PUMBLE_ICON, testRequest } from './shared';

const operationLimitField = (limit: (typeof OPERATION_LIMITS)[number]): INodeProperties => ({
	displayName: limit.displayName,
	name: limit.name,
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 1000 },
	default: 0,
	description: `A limit Pumble applies to ${limit.counts}, if you know it. 0 means not set: the node finds such a limit by itself from Pumble's answers, at the cost of a few retried requests.`,
	displayOptions: { show: { advanced: [true] } },
});

export class PumbleApiKeyApi implements ICredentialType {
	name = 'pumbleApi';

	displayName = 'Pumble API';

	icon = PUMBLE_ICON;

	documentationUrl = 'https://pumble.com/help/integrations/automation-workflow-integrations/api-keys-integration/';

	properties: INodeProperties[] = [
		{
			displayName:
				'To get a key: in Pumble, add the "API" app (+ Add apps), then open API in the sidebar → Add API key, or type <code>/api-keys generate</code> in any channel. The key is shown once. <code>/api-keys list</code> shows your existing keys. The key acts as you: workflows see and post what you can.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		baseUrlField(
			DEFAULT_BASE_URL,
			'Where the Pumble API add-on answers. Change it only to go through a proxy, or to try workflows against the local Pumble sandbox (npm run sandbox prints its URL).',
		),
		{
			displayName: 'Show Advanced Settings',
			name: 'advanced',
			type: 'boolean',
			default: false,
		},
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: 1000,
			description:
				'Pumble allows 1000 requests per minute per user, counted for all of that user\'s keys together: every credential of the same Pumble user, in every workflow (and every n8n worker when n8n runs in queue mode), shares one budget. Lower it if other tools use the same Pumble user, so that together you stay under the limit.',
			displayOptions: { show: { advanced: [true] } },
		},
		{
			displayName: 'Reserved for Other Workflows (%)',
			name: RESERVE_SETTING.name,
			type: 'number',
			typeOptions: { minValue: 0, maxValue: RESERVE_SETTING.max },
			default: RESERVE_SETTING.default,
			description:
				"Part of each minute's budget that the workflow using the most leaves to the others of the same Pumble user, so that an alert, a chat reply or the trigger's poll is served within about a second while a big workflow runs. 0 turns it off: then one workflow can take the whole minute's budget and the others wait until it comes back. A workflow running alone still uses the whole budget, but whenever it needs exactly a full minute's budget the last few percent of it wait until its own first requests come back.",
			displayOptions: { show: { advanced: [true] } },
		},
		...OPERATION_LIMITS.map(operationLimitField),
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: 30,
			description: 'How long to wait for each answer from Pumble before giving up on that request',
			displayOptions: { show: { advanced: [true] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				ApiKey: '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = testRequest('/myInfo');
}
