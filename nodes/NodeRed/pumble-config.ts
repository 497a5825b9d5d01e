/**
 * `pumble-config`: one Pumble API key and its settings, shared by the `pumble` and `pumble-trigger` nodes.
 * It hands each node its own PumbleApi (so each node can show its own status) over the one rate limiter of
 * the key's Pumble user, and serves the editor's channel and user pickers.
 */
import type { ConnectionSettings } from '../../core';
import { registerPickerRoutes } from './lib/adminRoutes';
import { createPumbleApi } from './lib/connection';
import type { PumbleConfigNode, RedApi } from './lib/red';

type ConfigProps = ConnectionSettings & { name?: string };

const SETTINGS: Array<keyof ConnectionSettings> = [
	'baseUrl',
	'requestsPerMinute',
	'reservePercent',
	'timeoutSeconds',
	'messagesPerMinute',
	'repliesPerMinute',
	'reactionsPerMinute',
	'channelsPerMinute',
	'scheduledMessagesPerMinute',
];

export = function register(RED: RedApi): void {
	function PumbleConfig(this: PumbleConfigNode, config: ConfigProps): void {
		RED.nodes.createNode(this, config);
		const settings: ConnectionSettings = Object.fromEntries(SETTINGS.map((key) => [key, config[key]]));
		this.createApi = (events, signal, requester) => {
			const apiKey = this.credentials?.apiKey;
			if (!apiKey) throw new Error('The Pumble config node has no API key: open it and paste your key (Pumble: /api-keys generate).');
			return createPumbleApi(apiKey, settings, events, signal, requester);
		};
	}
	RED.nodes.registerType('pumble-config', PumbleConfig as never, { credentials: { apiKey: { type: 'password' } } });
	registerPickerRoutes(RED);
};
