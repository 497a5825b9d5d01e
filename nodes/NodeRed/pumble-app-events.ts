/**
 * `pumble-app-events`: instant events from a Pumble app, on Node-RED's own HTTP server (RED.httpNode, where
 * HTTP In nodes listen). Each request is judged by the core (core/app/receiver.ts) exactly as n8n's Pumble App
 * Trigger judges it: 401 for unsigned, forged, stale or malformed requests, 200 at once otherwise, one message
 * per event, never two for a redelivery. Paste `<Node-RED URL><path>` into the app's manifest.
 */
import { PumbleAppApi } from '../../core/app/api';
import { APP_EVENT_NAMES } from '../../core/app/events';
import type { AppEventName } from '../../core/app/events';
import { idList, receive } from '../../core/app/receiver';
import { answeredReply, postSlashReply, replyViaOf } from '../../core/app/slashReply';
import { RedeliveryMemory } from '../../core/app/redelivery';
import type { RedApi, RedHttpApp, RedHttpRequest, RedHttpResponse, RedNode } from './lib/red';

interface AppEventsConfig {
	name?: string;
	path: string;
	events: string;
	channelIds?: string;
	ignoreUserIds?: string;
	slashCommandReply?: string;
	replyVia?: 'response' | 'api';
	baseUrl?: string;
}

function readRaw(req: RedHttpRequest): Promise<Buffer | undefined> {
	if (req.rawBody !== undefined) return Promise.resolve(Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.from(req.rawBody));
	// Another middleware already read the stream: the exact bytes are gone, so the signature cannot be checked.
	if (req.readableEnded) return Promise.resolve(undefined);
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', () => resolve(undefined));
	});
}

type Middleware = (req: RedHttpRequest & { method?: string; url?: string; _body?: boolean }, res: unknown, next: () => void) => void;
interface ExpressApp {
	parent?: ExpressApp;
	path?: () => string;
	use?: (fn: Middleware) => void;
	_router?: { stack: Array<{ handle?: unknown }> };
}

/**
 * POST paths whose raw bytes are captured before any body parser runs. In a running Node-RED the admin app,
 * mounted before RED.httpNode, parses JSON bodies of every request, so the exact bytes the signature covers would
 * be gone by the time the route runs. Node-RED's own HTTP In node ("do not parse the body") solves it the same way
 * (@node-red/nodes core/network/21-httpin.js, rawBodyCapture): one middleware at the top of the root app.
 */
const rawPaths = new Set<string>();
const installed = new WeakSet<object>();
const normalise = (url: string): string => url.replace(/\/{2,}/g, '/').replace(/\/$/, '');

function captureRawBodies(app: RedHttpApp): void {
	let root = app as unknown as ExpressApp;
	while (root.parent) root = root.parent;
	if (installed.has(root) || typeof root.use !== 'function' || !root._router) return;
	installed.add(root);
	const capture: Middleware = (req, _res, next) => {
		const pathname = normalise(new URL(req.url ?? '/', 'http://node-red.invalid').pathname);
		if (req.method !== 'POST' || !rawPaths.has(pathname) || req.rawBody !== undefined) return next();
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			req.rawBody = Buffer.concat(chunks);
			req._body = true; // body-parser's "already parsed" mark: the parsers leave it alone
			next();
		});
		req.on('error', () => next());
	};
	root.use(capture);
	const stack = root._router.stack;
	const at = stack.findIndex((layer) => layer.handle === capture);
	if (at > 0) stack.unshift(stack.splice(at, 1)[0]);
}

function removeRoute(app: RedHttpApp, path: string): void {
	const stack = app._router?.stack ?? app.router?.stack;
	if (!stack) return;
	for (let i = stack.length - 1; i >= 0; i -= 1) {
		const route = stack[i].route;
		if (route?.path === path && route.methods?.post) stack.splice(i, 1);
	}
}

export = function register(RED: RedApi): void {
	function PumbleAppEvents(this: RedNode, config: AppEventsConfig): void {
		RED.nodes.createNode(this, config);
		listen(RED, this, config);
	}
	RED.nodes.registerType('pumble-app-events', PumbleAppEvents as never, {
		credentials: { signingSecret: { type: 'password' }, appKey: { type: 'password' }, botToken: { type: 'password' } },
	});
};

function listen(RED: RedApi, node: RedNode, config: AppEventsConfig): void {
	const signingSecret = node.credentials?.signingSecret;
	const path = `/${(config.path || 'pumble/events').replace(/^\/+/, '')}`;
	if (!signingSecret) {
		node.status({ fill: 'red', shape: 'ring', text: 'no signing secret' });
		node.error('pumble-app-events: paste the app\'s signing secret (returned when the app was created)');
		return;
	}
	const events = idList(config.events).filter((e): e is AppEventName => (APP_EVENT_NAMES as readonly string[]).includes(e));
	const memory = new RedeliveryMemory();
	const reply = config.slashCommandReply ?? '';
	const replyVia = replyViaOf(config.replyVia);
	const api =
		node.credentials?.appKey && node.credentials?.botToken
			? new PumbleAppApi({ appKey: node.credentials.appKey, botToken: node.credentials.botToken, baseUrl: config.baseUrl })
			: undefined;
	let received = 0;

	const handler = (req: RedHttpRequest, res: RedHttpResponse): void => {
		void readRaw(req).then((raw) => {
			const verdict = receive(raw, req.headers, {
				signingSecret,
				events,
				channelIds: idList(config.channelIds),
				ignoreUserIds: idList(config.ignoreUserIds),
				slashCommandReply: answeredReply(reply, replyVia),
				memory,
			});
			const { status, body } = verdict.answer;
			if (typeof body === 'string') res.status(status).type('text/plain').send(body);
			else res.status(status).json(body);
			if (!verdict.start) {
				if (status >= 400) node.warn(`pumble-app-events refused a request (${status}): ${verdict.message}`);
				return;
			}
			const { event } = verdict;
			postSlashReply(api, event, reply, replyVia).catch((error: unknown) => node.warn(`pumble-app-events: the slash command reply was not sent: ${(error as Error).message}`));
			received += 1;
			node.status({ fill: 'green', shape: 'dot', text: `${received} event(s)` });
			node.send({ payload: event.item, topic: event.event, event: event.event });
		});
	};
	const mountedAt = (RED.httpNode as unknown as ExpressApp).path?.() ?? '';
	const fullPath = normalise(`${mountedAt}${path}`);
	rawPaths.add(fullPath);
	captureRawBodies(RED.httpNode);
	RED.httpNode.post(path, handler);
	node.status({ fill: 'grey', shape: 'ring', text: `listening on ${path}` });
	node.on('close', (_removed, done) => {
		removeRoute(RED.httpNode, path);
		rawPaths.delete(fullPath);
		done();
	});
}
