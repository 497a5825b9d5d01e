/**
 * `/__sandbox/app/*`: the App platform controlled from outside the process (npm start, a shell, Node-RED
 * demos). In-process callers use `sandbox.app` directly.
 *
 *   GET  /__sandbox/app                 the app's credentials, subscribers and settings
 *   POST /__sandbox/app/subscribe       { url }            deliver every event to this URL
 *   POST /__sandbox/app/unsubscribe     { url? }           stop (all without url)
 *   POST /__sandbox/app/settings        { timestampUnit?: "ms"|"s", autoDeliver? }
 *   GET  /__sandbox/app/deliveries      ?since=<index>     what was sent and answered
 *   GET  /__sandbox/app/ephemerals                         ephemeral messages shown to users
 *   POST /__sandbox/app/slash           { command, text?, userId, channelId, threadRootId?, mode? }
 *   POST /__sandbox/app/click           { userId, channelId, messageId, onAction, value?, actionType?, mode? }
 *   POST /__sandbox/app/shortcut        { shortcut, userId, channelId, messageId?, mode? }
 *   POST /__sandbox/app/event           { eventType, body, mode? }   any Pumble event (short field names)
 *   POST /__sandbox/app/redeliver       { id, mode? }
 * `mode`: signed (default), forged, stale, unsigned, badTimestamp, malformed.
 */
import { ApiError, Input } from '../validation';
import { json, ok, parseJsonObject } from '../server/reply';
import type { Reply } from '../server/reply';
import type { AppPlatform, SendMode } from './platform';

export const APP_ADMIN_PREFIX = '/__sandbox/app';

const MODES: readonly SendMode[] = ['signed', 'forged', 'stale', 'unsigned', 'badTimestamp', 'malformed'];

export async function handleAppAdmin(app: AppPlatform, baseUrl: string, method: string, url: URL, rawBody: string): Promise<Reply> {
	try {
		const body = method === 'POST' ? parseJsonObject(rawBody) : {};
		const input = Input.fromBody(body);
		const mode = (): SendMode => (input.optionalString('mode') === undefined ? 'signed' : input.enum('mode', MODES));
		switch (`${method} ${url.pathname}`) {
			case 'GET /__sandbox/app':
				return ok({ ...app.app, baseUrl, subscribers: app.subscribers, settings: app.settings });
			case 'POST /__sandbox/app/subscribe':
				app.subscribe(input.string('url'));
				return ok({ subscribers: app.subscribers });
			case 'POST /__sandbox/app/unsubscribe':
				app.unsubscribe(input.optionalString('url'));
				return ok({ subscribers: app.subscribers });
			case 'POST /__sandbox/app/settings':
				app.configure(body);
				return ok(app.settings);
			case 'GET /__sandbox/app/deliveries':
				return ok(app.deliveries.slice(Number(url.searchParams.get('since') ?? 0) || 0));
			case 'GET /__sandbox/app/ephemerals':
				return ok(app.ephemerals);
			case 'POST /__sandbox/app/slash':
				return ok(
					await app.slashCommand(
						{
							command: input.string('command'),
							text: input.optionalString('text'),
							userId: input.string('userId'),
							channelId: input.string('channelId'),
							threadRootId: input.optionalString('threadRootId'),
						},
						mode(),
					),
				);
			case 'POST /__sandbox/app/click':
				return ok(
					await app.blockInteraction(
						{
							userId: input.string('userId'),
							channelId: input.string('channelId'),
							messageId: input.string('messageId'),
							onAction: input.string('onAction'),
							value: input.optionalString('value'),
							actionType: input.optionalString('actionType'),
						},
						mode(),
					),
				);
			case 'POST /__sandbox/app/shortcut':
				return ok(
					await app.shortcut(
						{ shortcut: input.string('shortcut'), userId: input.string('userId'), channelId: input.string('channelId'), messageId: input.optionalString('messageId') },
						mode(),
					),
				);
			case 'POST /__sandbox/app/event': {
				const eventBody = body.body;
				if (typeof eventBody !== 'object' || eventBody === null) return json(400, { error: 'body must be an object' });
				return ok(await app.event(input.string('eventType'), eventBody as Record<string, unknown>, mode()));
			}
			case 'POST /__sandbox/app/redeliver':
				return ok(await app.redeliver(input.string('id'), mode()));
			default:
				return json(404, { error: 'Not Found' });
		}
	} catch (error) {
		if (error instanceof ApiError) return json(400, error.body);
		if (error instanceof Error && error.message.startsWith('No delivery')) return json(404, { error: error.message });
		throw error;
	}
}
