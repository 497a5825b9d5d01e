/**
 * The part of Node-RED's runtime API these nodes use, typed here so the package needs no Node-RED types
 * at build time (Node-RED is not a dependency: it loads the nodes).
 */
import type { ClientEvents, PumbleApi } from '../../../core';
export interface NodeMessage {
	_msgid?: string;
	payload?: unknown;
	topic?: string;
	[key: string]: unknown;
}

export interface NodeStatus {
	fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
	shape?: 'ring' | 'dot';
	text?: string;
}

export interface NodeContextStore {
	get(key: string, store?: string): unknown;
	get(key: string, store: string | undefined, callback: (error: unknown, value: unknown) => void): void;
	set(key: string, value: unknown, store?: string): void;
	set(key: string, value: unknown, store: string | undefined, callback: (error: unknown) => void): void;
}

export interface RedNode {
	id: string;
	name?: string;
	credentials?: Record<string, string | undefined>;
	on(event: 'input', listener: (msg: NodeMessage, send: (msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void, done: (error?: unknown) => void) => void): void;
	on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
	send(msg: NodeMessage | Array<NodeMessage | NodeMessage[] | null>): void;
	status(status: NodeStatus): void;
	error(error: unknown, msg?: NodeMessage): void;
	warn(message: unknown): void;
	log(message: unknown): void;
	context(): NodeContextStore;
}

export interface RedAdminRequest {
	params: Record<string, string>;
	query: Record<string, string | undefined>;
	body?: unknown;
}

export interface RedAdminResponse {
	json(body: unknown): void;
	status(code: number): RedAdminResponse;
}

export type RedHandler = (req: RedAdminRequest, res: RedAdminResponse, next?: () => void) => void;

/** The Express app behind RED.httpNode, as far as pumble-app-events uses it. */
export interface RedHttpApp {
	post(path: string, handler: (req: RedHttpRequest, res: RedHttpResponse) => void): void;
	_router?: { stack: Array<{ route?: { path?: string; methods?: Record<string, boolean> } }> };
	router?: { stack: Array<{ route?: { path?: string; methods?: Record<string, boolean> } }> };
}

export interface RedHttpRequest extends NodeJS.ReadableStream {
	headers: Record<string, string | string[] | undefined>;
	body?: unknown;
	rawBody?: Buffer | string;
	readableEnded?: boolean;
}

export interface RedHttpResponse {
	status(code: number): RedHttpResponse;
	type(type: string): RedHttpResponse;
	send(body: unknown): void;
	json(body: unknown): void;
}

export interface RedApi {
	/** Node-RED's settings; `userDir` is its user folder. */
	settings?: { userDir?: string };
	nodes: {
		createNode(node: object, config: object): void;
		registerType(type: string, constructor: (this: RedNode, config: never) => void, options?: { credentials?: Record<string, { type: 'text' | 'password' }> }): void;
		getNode(id: string): unknown;
	};
	httpAdmin: { get(path: string, ...handlers: RedHandler[]): void; post(path: string, ...handlers: RedHandler[]): void };
	/** Node-RED's HTTP server for flows (where HTTP In nodes listen); an Express app. */
	httpNode: RedHttpApp;
	auth: { needsPermission(permission: string): RedHandler };
	util: {
		cloneMessage<T extends NodeMessage>(msg: T): T;
		generateId(): string;
		evaluateNodeProperty(value: string, type: string, node: RedNode, msg: NodeMessage, callback: (error: unknown, result: unknown) => void): void;
	};
}

/** The `pumble-config` node as the other nodes see it. */
export interface PumbleConfigNode extends RedNode {
	/**
	 * A PumbleApi for one node; `events` report rate-limit waits and retries to that node, and `signal`
	 * (aborted when the node closes) cancels what has not been sent yet.
	 */
	/** `requester`: the node the requests are for (its turn in the user's limiter); the editor's lookups give none. */
	createApi(events?: ClientEvents, signal?: AbortSignal, requester?: string): PumbleApi;
}
