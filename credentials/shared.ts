/**
 * What both Pumble credentials have alike: the icon, the Base URL field, and the test request against that
 * base URL (a trailing slash trimmed).
 */
import type { ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

export const PUMBLE_ICON = { light: 'file:../nodes/Pumble/pumble.svg', dark: 'file:../nodes/Pumble/pumble.dark.svg' } as const;

export function baseUrlField(defaultUrl: string, description: string): INodeProperties {
	return { displayName: 'Base URL', name: 'baseUrl', type: 'string', default: defaultUrl, description };
}

/** The credential's test: `GET <base URL><path>`, which answers only to valid credentials. */
export function testRequest(path: string): ICredentialTestRequest {
	return { request: { baseURL: '={{$credentials.baseUrl.replace(new RegExp("/+$"), "")}}', url: path } };
}
