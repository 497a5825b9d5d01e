/**
 * The App API (a different API from the API-key add-on's), through one object as PumbleApi is for the key API.
 * Every request carries `token` (the bot's or a user's access token) and `x-app-token` (the app key):
 * CAKE-com/pumble-node-sdk docs/api-client.md and pumble-sdk/src/api/ApiClient.ts. Paths come from
 * pumble-sdk/src/api/v1/UsersApiClientV1.ts (`getProfile`: GET /oauth2/me), MessagesApiClientV1.ts
 * (`postMessageToChannel`, `postEphemeral`: POST /v1/channels/{channelId}/messages, the ephemeral one with
 * `ephemeral.sendToUsers`; `reply`: POST /v1/channels/{channelId}/messages/{threadRootId}) and
 * InteractionsClientInternalV1.ts (`completeProcessing`: POST /v1/interactions/complete).
 */
import { APP_API_BASE_URL } from './constants';

export interface AppCredentials {
	appKey: string;
	botToken: string;
	userToken?: string;
	/** Default https://api-ga.pumble.com; the sandbox's URL for local runs. */
	baseUrl?: string;
	timeoutMs?: number;
}

export class AppApiError extends Error {
	constructor(
		readonly status: number,
		readonly path: string,
		detail: string,
	) {
		super(`Pumble App API ${path} answered ${status}${detail ? `: ${detail}` : ''}`);
		this.name = 'AppApiError';
	}
}

export interface AppProfile {
	workspaceId?: string;
	workspaceUserId?: string;
	[key: string]: unknown;
}

export interface SentAppMessage {
	id?: string;
	channelId?: string;
	[key: string]: unknown;
}

type As = 'bot' | 'user';

export class PumbleAppApi {
	readonly baseUrl: string;

	constructor(private readonly credentials: AppCredentials) {
		this.baseUrl = (credentials.baseUrl?.trim() || APP_API_BASE_URL).replace(/\/+$/, '');
	}

	/** Who the token belongs to: proves the app key and the token (the credential test). */
	me(as: As = 'bot'): Promise<AppProfile> {
		return this.request<AppProfile>('GET', '/oauth2/me', undefined, as);
	}

	/** A message in a channel (or thread), as the bot unless `as` says user. */
	postMessage(channelId: string, text: string, options: { threadRootId?: string; as?: As } = {}): Promise<SentAppMessage> {
		const path = options.threadRootId
			? `/v1/channels/${encodeURIComponent(channelId)}/messages/${encodeURIComponent(options.threadRootId)}`
			: `/v1/channels/${encodeURIComponent(channelId)}/messages`;
		return this.request<SentAppMessage>('POST', path, { text }, options.as ?? 'bot');
	}

	/** A message only `userIds` see (MessagesApiClientV1.postEphemeral). */
	postEphemeral(channelId: string, text: string, userIds: string[], options: { threadRootId?: string } = {}): Promise<SentAppMessage> {
		const path = options.threadRootId
			? `/v1/channels/${encodeURIComponent(channelId)}/messages/${encodeURIComponent(options.threadRootId)}`
			: `/v1/channels/${encodeURIComponent(channelId)}/messages`;
		return this.request<SentAppMessage>('POST', path, { ephemeral: { sendToUsers: userIds }, text }, 'bot');
	}

	private async request<T>(method: 'GET' | 'POST', path: string, body: unknown, as: As): Promise<T> {
		const token = as === 'user' ? this.credentials.userToken : this.credentials.botToken;
		if (!token) throw new AppApiError(0, path, `no ${as} token is set`);
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				token,
				'x-app-token': this.credentials.appKey,
				accept: 'application/json',
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(this.credentials.timeoutMs ?? 30_000),
		});
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : {};
		} catch {
			// Not JSON: kept as text for the error.
		}
		if (!response.ok) {
			const detail = typeof parsed === 'object' && parsed && 'message' in parsed ? String((parsed as { message: unknown }).message) : '';
			throw new AppApiError(response.status, path, detail.slice(0, 200));
		}
		return parsed as T;
	}
}
