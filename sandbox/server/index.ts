/**
 * The request pipeline: log, latency, route, auth, fault, rate limit, then the workspace operation.
 * Admin calls (`/__sandbox/*`) branch off first and are not logged.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

import { APP_ADMIN_PREFIX, handleAppAdmin } from '../app/admin';
import { handleAppApi, isAppApiPath } from '../app/api';
import { hold } from '../timers';
import { SHORT_CIRCUIT_FAULTS, latencyFor } from '../faults';
import { retryAfterHeader } from '../limits';
import type { RequestLogEntry } from '../types';
import type { User } from '../workspace';
import { ADMIN_PREFIX, handleAdmin } from './admin';
import type { ServerContext } from './context';
import { faultReply, resetConnection, tooManyRequests, truncate } from './faultReplies';
import { JSON_TYPE, bodyForLog, json, readBody, send, write } from './reply';
import type { Reply } from './reply';
import { ROUTES, run as runRoute } from './routes';
import type { Route } from './routes';

export type { ServerContext } from './context';
export { OPERATIONS } from './routes';

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
	if (url.pathname === APP_ADMIN_PREFIX || url.pathname.startsWith(`${APP_ADMIN_PREFIX}/`)) {
		write(res, await handleAppAdmin(ctx.app, ctx.url, method, url, await readBody(req)));
		return;
	}
	if (isAppApiPath(url.pathname)) {
		// The App API (api-ga.pumble.com's paths), not logged with the key API's requests.
		write(res, handleAppApi(ctx.app, ctx.state, req, method, url, await readBody(req)));
		return;
	}
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
	return runRoute(ctx.state, ctx.options, route, actor, method, url, rawBody);
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