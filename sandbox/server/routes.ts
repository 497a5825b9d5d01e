/** The 26 operations as HTTP routes: method, where the input comes from, and how the answer is shaped. */
import type { ResolvedOptions } from '../types';
import { ApiError, Input } from '../validation';
import type { User, Workspace } from '../workspace';
import { EMPTY, json, ok, parseJsonObject } from './reply';
import type { Reply } from './reply';

export type Method = 'GET' | 'POST' | 'DELETE';

export interface Route {
	method: Method;
	handle(ws: Workspace, actor: User, input: Input, options: ResolvedOptions): Reply;
}

const get = (handle: Route['handle']): Route => ({ method: 'GET', handle });
const post = (handle: Route['handle']): Route => ({ method: 'POST', handle });
const del = (handle: Route['handle']): Route => ({ method: 'DELETE', handle });

/** The 26 operations, keyed by path without the slash. GET and DELETE read the query, POST the JSON body. */
export const ROUTES: Readonly<Record<string, Route>> = {
	listChannels: get((ws, actor) => ok(ws.listChannels(actor))),
	getChannel: get((ws, actor, input) => ok(ws.getChannel(actor, input))),
	createChannel: post((ws, actor, input) => ok(ws.createChannel(actor, input))),
	addUsersToChannel: post((ws, actor, input) => {
		ws.addUsersToChannel(actor, input);
		return EMPTY;
	}),
	removeUserFromChannel: post((ws, actor, input) => {
		ws.removeUserFromChannel(actor, input);
		return EMPTY;
	}),

	sendMessage: post((ws, actor, input) => ok(ws.sendMessage(actor, input))),
	sendReply: post((ws, actor, input) => ok(ws.sendReply(actor, input))),
	editMessage: post((ws, actor, input) => {
		ws.editMessage(actor, input);
		return EMPTY;
	}),
	deleteMessage: del((ws, actor, input) => {
		ws.deleteMessage(actor, input);
		return EMPTY;
	}),
	fetchMessage: get((ws, actor, input) => ok(ws.fetchMessage(actor, input))),
	listMessages: get((ws, actor, input) => ok(ws.listMessages(actor, input))),
	fetchThreadReplies: get((ws, actor, input, options) => {
		const replies = ws.fetchThreadReplies(actor, input);
		return ok(options.threadRepliesEnvelope === 'messages' ? { messages: replies } : replies);
	}),
	searchMessages: post((ws, actor, input) => ok(ws.searchMessages(actor, input))),
	addReaction: post((ws, actor, input) => ok(ws.addReaction(actor, input))),
	removeReaction: del((ws, actor, input) => ok(ws.removeReaction(actor, input))),
	dmUser: post((ws, actor, input) => ok(ws.dmUser(actor, input))),
	dmGroup: post((ws, actor, input) => ok(ws.dmGroup(actor, input))),

	createScheduledMessage: post((ws, actor, input) => ok(ws.createScheduledMessage(actor, input))),
	fetchScheduledMessages: get((ws, actor, input) => ok(ws.fetchScheduledMessages(actor, input))),
	fetchScheduledMessage: get((ws, actor, input) => ok(ws.fetchScheduledMessage(actor, input))),
	editScheduledMessage: post((ws, actor, input) => ok(ws.editScheduledMessage(actor, input))),
	deleteScheduledMessage: del((ws, actor, input) => {
		ws.deleteScheduledMessage(actor, input);
		return EMPTY;
	}),

	listUsers: get((ws) => ok(ws.listUsers())),
	listUserGroups: get((ws) => ok(ws.listUserGroups())),
	myInfo: get((ws, actor) => ok(ws.myInfo(actor))),
	customStatus: post((ws, actor, input) => {
		ws.customStatus(actor, input);
		return EMPTY;
	}),
};

export const OPERATIONS: readonly string[] = Object.keys(ROUTES);

/** The route's answer, or the API's error answer when the input is refused. */
export function run(ws: Workspace, options: ResolvedOptions, route: Route, actor: User, method: string, url: URL, rawBody: string): Reply {
	try {
		const input = method === 'POST' ? Input.fromBody(parseJsonObject(rawBody)) : Input.fromQuery(Object.fromEntries(url.searchParams));
		return route.handle(ws, actor, input, options);
	} catch (error) {
		if (error instanceof ApiError) return json(error.status, error.body);
		throw error;
	}
}
