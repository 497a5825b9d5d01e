/** The key-less `/__sandbox/*` admin endpoints, for callers outside the process. */
import type { SandboxOptions } from '../types';
import { ALL_FAULTS, BOT_DMS, LIST_AFTER_ORDERS } from '../types';
import { ApiError, Input, validationError } from '../validation';
import type { ServerContext } from './context';
import { json, ok, parseJsonObject } from './reply';
import type { Reply } from './reply';

export const ADMIN_PREFIX = '/__sandbox/';

export function handleAdmin(ctx: ServerContext, method: string, url: URL, rawBody: string): Reply {
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
