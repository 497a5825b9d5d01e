import type { HttpMethod } from './transport';

/**
 * The 26 operations of the Pumble API-key add-on.
 * `read`: safe to repeat (retried on 5xx, timeouts and resets). Everything else is a write, retried only
 * when Pumble certainly did not act (429, refused connection).
 * `answers`: what a 2xx carries — `json` must parse; `empty` writes answer 200 with no body.
 */
export interface Endpoint {
	readonly name: string;
	readonly method: HttpMethod;
	readonly path: string;
	readonly read: boolean;
	readonly answers: 'json' | 'empty';
	/** Operation class for per-operation rate limits (Pumble documents ~80 sends/min for OAuth apps). */
	readonly rateClass: string;
}

const define = (
	name: string,
	method: HttpMethod,
	read: boolean,
	answers: 'json' | 'empty' = 'json',
	rateClass = read ? 'read' : name,
): Endpoint => ({ name, method, path: `/${name}`, read, answers, rateClass });

export const ENDPOINTS = {
	// channels
	listChannels: define('listChannels', 'GET', true),
	getChannel: define('getChannel', 'GET', true),
	createChannel: define('createChannel', 'POST', false),
	addUsersToChannel: define('addUsersToChannel', 'POST', false, 'empty'),
	removeUserFromChannel: define('removeUserFromChannel', 'POST', false, 'empty'),
	// messages
	sendMessage: define('sendMessage', 'POST', false),
	sendReply: define('sendReply', 'POST', false),
	editMessage: define('editMessage', 'POST', false, 'empty'),
	deleteMessage: define('deleteMessage', 'DELETE', false, 'empty'),
	fetchMessage: define('fetchMessage', 'GET', true),
	listMessages: define('listMessages', 'GET', true),
	fetchThreadReplies: define('fetchThreadReplies', 'GET', true),
	searchMessages: define('searchMessages', 'POST', true),
	addReaction: define('addReaction', 'POST', false, 'json', 'reaction'),
	removeReaction: define('removeReaction', 'DELETE', false, 'json', 'reaction'),
	dmUser: define('dmUser', 'POST', false, 'json', 'sendMessage'),
	dmGroup: define('dmGroup', 'POST', false, 'json', 'sendMessage'),
	// scheduled messages
	createScheduledMessage: define('createScheduledMessage', 'POST', false),
	fetchScheduledMessages: define('fetchScheduledMessages', 'GET', true),
	fetchScheduledMessage: define('fetchScheduledMessage', 'GET', true),
	editScheduledMessage: define('editScheduledMessage', 'POST', false),
	deleteScheduledMessage: define('deleteScheduledMessage', 'DELETE', false, 'empty'),
	// users
	listUsers: define('listUsers', 'GET', true),
	listUserGroups: define('listUserGroups', 'GET', true),
	myInfo: define('myInfo', 'GET', true),
	customStatus: define('customStatus', 'POST', false, 'empty'),
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;
