/**
 * The App API's few endpoints the package uses, on the sandbox's workspace: GET /oauth2/me (the credential
 * test), POST /v1/channels/{channelId}/messages (a message, or an ephemeral one with `ephemeral.sendToUsers`),
 * POST /v1/channels/{channelId}/messages/{threadRootId} (a reply) and POST /v1/messages/{messageId}/reactions.
 * Paths and headers: CAKE-com/pumble-node-sdk pumble-sdk/src/api/v1/UsersApiClientV1.ts,
 * MessagesApiClientV1.ts and docs/api-client.md (`token` and `x-app-token`). Writes go through the same
 * workspace operations as the key API, so they produce the same delivered events.
 */
import type { IncomingMessage } from 'node:http';

import { ApiError, Input } from '../validation';
import type { User, Workspace } from '../workspace';
import { json, ok, parseJsonObject } from '../server/reply';
import type { Reply } from '../server/reply';
import type { AppPlatform } from './platform';

export function isAppApiPath(pathname: string): boolean {
	return pathname.startsWith('/v1/') || pathname.startsWith('/oauth2/');
}

function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

export function handleAppApi(app: AppPlatform, ws: Workspace, req: IncomingMessage, method: string, url: URL, rawBody: string): Reply {
	const token = header(req, 'token');
	const appToken = header(req, 'x-app-token');
	if (appToken !== app.app.appKey) return json(401, { message: 'Invalid app token' });
	const as = token === app.app.botToken ? 'bot' : token === app.app.userToken ? 'user' : undefined;
	if (!as) return json(401, { message: 'Invalid access token' });
	const installer = ws.userById(app.app.installerId) as User;
	try {
		if (method === 'GET' && url.pathname === '/oauth2/me') {
			const userId = as === 'bot' ? app.app.botUserId : installer.id;
			return ok({ workspaceId: ws.id, workspaceUserId: userId, workspaceUserName: ws.userById(userId)?.name ?? '', isBot: as === 'bot' });
		}
		const post = /^\/v1\/channels\/([^/]+)\/messages(?:\/([^/]+))?$/.exec(url.pathname);
		if (method === 'POST' && post) {
			const body = parseJsonObject(rawBody);
			const channelId = decodeURIComponent(post[1]);
			const threadRootId = post[2] ? decodeURIComponent(post[2]) : undefined;
			const ephemeral = body.ephemeral as { sendToUsers?: unknown } | undefined;
			if (ephemeral && Array.isArray(ephemeral.sendToUsers)) {
				const text = Input.fromBody(body).string('text');
				if (!ws.channels.some((c) => c.id === channelId)) return json(404, { message: 'Channel not found' });
				app.recordEphemeral({ channelId, userIds: ephemeral.sendToUsers.map(String), text, via: 'api', ...(threadRootId ? { threadRootId } : {}) });
				return ok({ id: ws.newId(), channelId, text, ephemeral: true });
			}
			const input = Input.fromBody({ ...body, channelId, asBot: as === 'bot', ...(threadRootId ? { messageId: threadRootId } : {}) });
			const receipt = threadRootId ? ws.sendReply(installer, input) : ws.sendMessage(installer, input);
			return ok({ id: receipt.id, channelId: receipt.channelId, text: body.text });
		}
		const react = /^\/v1\/messages\/([^/]+)\/reactions$/.exec(url.pathname);
		if (method === 'POST' && react) {
			const body = parseJsonObject(rawBody);
			ws.addReaction(installer, Input.fromBody({ messageId: decodeURIComponent(react[1]), reaction: body.code }));
			return ok({ ok: true });
		}
		return json(404, { message: 'Not Found' });
	} catch (error) {
		if (error instanceof ApiError) return json(400, error.body);
		throw error;
	}
}
