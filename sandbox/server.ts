/**
 * The HTTP layer: routing, authentication, rate limiting and faults around the workspace operations,
 * plus the key-less `/__sandbox/*` admin endpoints for out-of-process callers.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

import { sleep } from '../nodes/Pumble/core/time';
import type { LateCommits } from './lateCommit';
import { FaultInjector, SHORT_CIRCUIT_FAULTS, SlidingWindow, latencyFor, retryAfterHeader } from './limits';
import type { SandboxIds } from './seed';
import { ALL_FAULTS, BOT_DMS, LIST_AFTER_ORDERS } from './types';
import type { Fault, FaultMatch, PostAsOptions, RequestLogEntry, ResolvedOptions, SandboxOptions } from './types';
import { ApiError, Input, validationError } from './validation';
import type { Message, User, Workspace } from './workspace';

/** What the HTTP layer needs from the sandbox that owns it. */
export interface ServerContext {
	readonly options: ResolvedOptions;
	readonly state: Workspace;
	readonly log: RequestLogEntry[];
	readonly limiter: SlidingWindow;
	readonly faults: FaultInjector;
	readonly lateCommits: LateCommits;
	readonly ids: SandboxIds;
	/** Aborts when the sandbox closes, so held responses (latency, `slow`) let go. */
	readonly closing: AbortSignal;
	nextSeq(): number;
	userForKey(key: string): User | undefined;
	publicConfig(): unknown;
	reset(): void;
	configure(patch: Partial<SandboxOptions>): void;
	queueFault(fault: Fault, match?: FaultMatch): void;
	commitLate(): number;
	postAs(userId: string, channelId: string, text: string, opts?: PostAsOptions): Message;
}

interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const ADMIN_PREFIX = '/__sandbox/';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
	return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/** The real API's bare 200 for several writes: no content-type, zero-length body. */
const EMPTY: Reply = { status: 200, headers: {}, body: '' };

// ---- routes -----------------------------------------------------------------------------------

type Method = 'GET' | 'POST' | 'DELETE';

interface Route {
	method: Method;
	handle(ws: Workspace, actor: User, input: Input, options: ResolvedOptions): Reply;
}

const get = (handle: Route['handle']): Route => ({ method: 'GET', handle });
const post = (handle: Route['handle']): Route => ({ method: 'POST', handle });
const del = (handle: Route['handle']): Route => ({ method: 'DELETE', handle });
const ok = (body: unknown): Reply => json(200, body);

/** The 26 operations, keyed by path without the slash. GET and DELETE read the query, POST the JSON body. */
const ROUTES: Readonly<Record<string, Route>> = {
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

// ---- request handling -------------------------------------------------------------------------

export function keyHash(key: string): string {
	return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

export function createRequestListener(ctx: ServerContext): RequestListener {
	return (req, res) => {
		// A failed socket write must not take the process down; the client is simply gone.
		res.on('error', () => undefined);
		handle(ctx, req, res).catch((error: unknown) => {
			console.error('[pumble-sandbox] unexpected error', error);
			if (!res.headersSent) write(res, json(500, { error: 'Internal server error' }));
			else res.destroy();
		});
	};
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const arrival = ctx.options.clock();
	const method = (req.method ?? 'GET').toUpperCase();
	const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
	if (url.pathname.startsWith(ADMIN_PREFIX)) {
		write(res, handleAdmin(ctx, method, url, await readBody(req)));
		return;
	}

	// Logged before the body is read, so the log keeps arrival order.
	const entry: RequestLogEntry = {
		seq: ctx.nextSeq(),
		ts: arrival,
		endTs: arrival,
		method,
		path: url.pathname,
		query: Object.fromEntries(url.searchParams),
		body: null,
		headerName: null,
		keyHash: null,
		userId: null,
		status: 0,
	};
	ctx.log.push(entry);
	const finish = (status: number): void => {
		entry.status = status;
		entry.endTs = ctx.options.clock();
	};
	// Held responses (latency, `slow`) let go when the client leaves or the sandbox closes.
	const held = new AbortController();
	const release = (): void => held.abort();
	res.on('close', release);
	ctx.closing.addEventListener('abort', release, { once: true });
	try {
		await answer(ctx, req, res, url, method, arrival, entry, finish, held.signal);
	} finally {
		ctx.closing.removeEventListener('abort', release);
	}
}

/** A wait that ends early, without error, when `signal` aborts. Bounded by core/time's sleep. */
function hold(ms: number, signal: AbortSignal): Promise<void> {
	return sleep(ms, signal).catch(() => undefined);
}

async function answer(
	ctx: ServerContext,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	method: string,
	arrival: number,
	entry: RequestLogEntry,
	finish: (status: number) => void,
	held: AbortSignal,
): Promise<void> {
	const credential = readCredential(req);
	entry.headerName = credential?.headerName ?? null;
	entry.keyHash = credential ? keyHash(credential.key) : null;

	const rawBody = await readBody(req);
	entry.body = bodyForLog(rawBody);
	await hold(latencyFor(ctx.options.latencyMs), held);

	const operation = url.pathname.slice(1);
	const route = Object.prototype.hasOwnProperty.call(ROUTES, operation) ? ROUTES[operation] : undefined;
	if (!route) return send(res, json(404, { error: 'Not Found' }), finish);
	if (route.method !== method) {
		return send(res, json(405, { error: 'Method Not Allowed' }, { allow: route.method }), finish);
	}

	const actor = credential ? ctx.userForKey(credential.key) : undefined;
	if (!actor) return send(res, json(ctx.options.authFailureStatus, { error: 'Invalid API key' }), finish);
	entry.userId = actor.id;

	const picked = ctx.faults.pick(method, operation);
	const fault = picked?.fault;
	if (fault) entry.fault = fault;
	if (fault === 'late-commit') {
		// No answer, not counted toward limits; the request is applied later as if it had just arrived.
		const late = { ts: null as number | null, status: null as number | null };
		entry.lateCommit = late;
		ctx.lateCommits.schedule(picked?.lateCommitMs ?? ctx.options.lateCommitMs, () => {
			late.status = runSafely(ctx, route, actor, method, url, rawBody).status;
			late.ts = ctx.options.clock();
		});
		return resetConnection(req, finish);
	}
	if (fault && SHORT_CIRCUIT_FAULTS.has(fault)) {
		if (fault === 'reset-before') return resetConnection(req, finish);
		return send(res, faultReply(fault, ctx.options.clock()), finish);
	}

	let reply = admit(ctx, actor.id, operation, arrival) ?? run(ctx, route, actor, method, url, rawBody);

	switch (fault) {
		case 'reset-after':
			return resetConnection(req, finish);
		case 'slow':
			await hold(ctx.faults.slowMs, held);
			break;
		case 'malformed-json':
			reply = { status: 200, headers: { 'content-type': JSON_TYPE }, body: truncate(reply.body) };
			break;
		case 'empty-body':
			reply = { status: 200, headers: { 'content-type': JSON_TYPE }, body: '' };
			break;
	}
	send(res, reply, finish);
}

/**
 * Per-user limit first, then the workspace-wide per-operation one. Both are checked before either is
 * recorded: a 429 consumes nothing, and the request it refused changed nothing.
 */
function admit(ctx: ServerContext, userId: string, operation: string, arrival: number): Reply | undefined {
	const userKey = `user:${userId}`;
	const operationKey = `operation:${operation}`;
	const operationRule = ctx.options.operationLimits[operation];
	const wait = Math.max(
		ctx.limiter.waitMs(userKey, arrival, ctx.options.rateLimit),
		operationRule ? ctx.limiter.waitMs(operationKey, arrival, operationRule) : 0,
	);
	if (wait > 0) return tooManyRequests(retryAfterHeader(ctx.options.retryAfter, wait, arrival));
	ctx.limiter.record(userKey, arrival);
	if (operationRule) ctx.limiter.record(operationKey, arrival);
	return undefined;
}

function run(ctx: ServerContext, route: Route, actor: User, method: string, url: URL, rawBody: string): Reply {
	try {
		const input = method === 'POST' ? Input.fromBody(parseJsonObject(rawBody)) : Input.fromQuery(Object.fromEntries(url.searchParams));
		return route.handle(ctx.state, actor, input, ctx.options);
	} catch (error) {
		if (error instanceof ApiError) return json(error.status, error.body);
		throw error;
	}
}

/** `run` outside a request: an unexpected error is logged as a 500, never thrown into a timer. */
function runSafely(ctx: ServerContext, route: Route, actor: User, method: string, url: URL, rawBody: string): Reply {
	try {
		return run(ctx, route, actor, method, url, rawBody);
	} catch (error) {
		console.error('[pumble-sandbox] unexpected error in a late commit', error);
		return json(500, { error: 'Internal server error' });
	}
}

function readCredential(req: IncomingMessage): { headerName: 'ApiKey' | 'Api-Key'; key: string } | undefined {
	const first = (value: string | string[] | undefined): string | undefined =>
		(Array.isArray(value) ? value[0] : value)?.trim() || undefined;
	const apiKey = first(req.headers['apikey']);
	if (apiKey !== undefined) return { headerName: 'ApiKey', key: apiKey };
	const hyphenated = first(req.headers['api-key']);
	if (hyphenated !== undefined) return { headerName: 'Api-Key', key: hyphenated };
	return undefined;
}

function tooManyRequests(retryAfter: string | undefined): Reply {
	return json(429, { error: 'Too many requests' }, retryAfter === undefined ? {} : { 'retry-after': retryAfter });
}

const NGINX_502 = [
	'<html>',
	'<head><title>502 Bad Gateway</title></head>',
	'<body>',
	'<center><h1>502 Bad Gateway</h1></center>',
	'<hr><center>nginx</center>',
	'</body>',
	'</html>',
	'',
].join('\r\n');

function faultReply(fault: Fault, now: number): Reply {
	switch (fault) {
		case '429':
			return tooManyRequests(retryAfterHeader('seconds', 1000, now));
		case '429-date':
			return tooManyRequests(retryAfterHeader('http-date', 1000, now));
		case '429-bare':
			return tooManyRequests(undefined);
		case '500':
			return json(500, { error: 'Internal Server Error' });
		case '502':
			return json(502, { error: 'Bad Gateway' });
		case '503':
			return json(503, { error: 'Service Unavailable' });
		case 'html-error':
			return { status: 502, headers: { 'content-type': 'text/html' }, body: NGINX_502 };
		default:
			throw new Error(`fault ${fault} does not short-circuit`);
	}
}

/** Half of the real body: JSON that starts right and stops mid-way. */
function truncate(body: string): string {
	return body === '' ? '{"id":"' : body.slice(0, Math.max(1, Math.floor(body.length / 2)));
}

function resetConnection(req: IncomingMessage, finish: (status: number) => void): void {
	req.socket.resetAndDestroy();
	finish(0);
}

function send(res: ServerResponse, reply: Reply, finish: (status: number) => void): void {
	write(res, reply);
	finish(reply.status);
}

function write(res: ServerResponse, reply: Reply): void {
	if (res.destroyed) return;
	res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
	res.end(reply.body);
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		// An aborted upload still gets an answer attempt; writing to a dead socket is a no-op.
		req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
	});
}

function bodyForLog(raw: string): unknown {
	if (raw === '') return null;
	try {
		return JSON.parse(raw) as unknown;
	} catch {
		return raw;
	}
}

function parseJsonObject(raw: string): Record<string, unknown> {
	if (raw.trim() === '') return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw validationError('Malformed JSON request body');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw validationError('Request body must be a JSON object');
	}
	return parsed as Record<string, unknown>;
}

// ---- admin endpoints --------------------------------------------------------------------------

function handleAdmin(ctx: ServerContext, method: string, url: URL, rawBody: string): Reply {
	try {
		switch (`${method} ${url.pathname}`) {
			case 'GET /__sandbox/log': {
				const since = Number(url.searchParams.get('since') ?? 0) || 0;
				return ok(ctx.log.filter((entry) => entry.seq > since));
			}
			case 'GET /__sandbox/state':
				return ok(ctx.state.snapshot());
			case 'GET /__sandbox/ids':
				return ok(ctx.ids);
			case 'GET /__sandbox/config':
				return ok(ctx.publicConfig());
			case 'POST /__sandbox/reset':
				ctx.reset();
				return ok({ ok: true });
			case 'POST /__sandbox/config':
				ctx.configure(configPatch(parseJsonObject(rawBody)));
				return ok(ctx.publicConfig());
			case 'POST /__sandbox/fault': {
				const input = Input.fromBody(parseJsonObject(rawBody));
				const fault = input.enum('fault', ALL_FAULTS);
				ctx.queueFault(fault, {
					path: input.optionalString('path'),
					method: input.optionalString('method'),
					lateCommitMs: input.optionalInt('lateCommitMs', { min: 0 }),
				});
				return ok({ ok: true });
			}
			case 'POST /__sandbox/commit':
				return ok({ committed: ctx.commitLate() });
			case 'POST /__sandbox/post': {
				const input = Input.fromBody(parseJsonObject(rawBody));
				return ok(
					ctx.postAs(input.string('userId'), input.string('channelId'), input.string('text'), {
						threadRootId: input.optionalString('threadRootId'),
						timestampMilli: input.optionalInt('timestampMilli'),
						asBot: input.bool('asBot'),
						alsoSendToChannel: input.bool('alsoSendToChannel'),
					}),
				);
			}
			default:
				return json(404, { error: 'Not Found' });
		}
	} catch (error) {
		if (error instanceof ApiError) return json(400, error.body);
		throw error;
	}
}

/** The JSON-expressible part of `configure()`; a clock cannot cross the wire. */
function configPatch(body: Record<string, unknown>): Partial<SandboxOptions> {
	const allowed: Array<keyof SandboxOptions> = [
		'rateLimit',
		'operationLimits',
		'retryAfter',
		'latencyMs',
		'authFailureStatus',
		'cursorInclusive',
		'threadRepliesEnvelope',
		'seedMessages',
		'listAfterOrder',
		'botDm',
		'lateCommitMs',
		'faults',
		'keys',
		'extraKeys',
	];
	const unknown = Object.keys(body).filter((key) => !(allowed as string[]).includes(key));
	if (unknown.length > 0) throw validationError(`unknown config option(s): ${unknown.join(', ')}`);
	const input = Input.fromBody(body);
	input.optionalEnum('listAfterOrder', LIST_AFTER_ORDERS);
	input.optionalEnum('botDm', BOT_DMS);
	input.optionalInt('lateCommitMs', { min: 0 });
	return body as Partial<SandboxOptions>;
}
