/**
 * Node-RED's own test runtime (node-red-node-test-helper over the real `node-red` package) with the
 * Pumble nodes and Node-RED's core Catch and Status nodes, against the sandbox over HTTP.
 */
import * as path from 'node:path';

import helper from 'node-red-node-test-helper';

import { resetProcessState } from '../../core';
import { startSandbox, type Sandbox } from '../../sandbox';
import { currentNodeRedTarget, NODE_RED_VERSIONS_ENV, nodeRedRuntimeOf } from '../../scripts/lib/node-red';

// The nodes as Node-RED loads them: modules exporting `function (RED)`.
import pumbleConfig from '../../nodes/NodeRed/pumble-config';
import pumble from '../../nodes/NodeRed/pumble';
import pumbleTrigger from '../../nodes/NodeRed/pumble-trigger';
import pumbleAppEvents from '../../nodes/NodeRed/pumble-app-events';

/**
 * Which Node-RED runs the tests: the devDependency `node-red` (`npm test`), or, with
 * PUMBLE_NODE_RED_VERSIONS naming one version (`npm run test:e2e:node-red`, on that version's Node), the
 * install of that version in the cache. Node-RED's core Catch and Status nodes come from the same install.
 */
const redMain = process.env[NODE_RED_VERSIONS_ENV]
	? path.join(nodeRedRuntimeOf().installDir, 'node_modules', 'node-red', 'lib', 'red.js')
	: require.resolve('node-red');
const coreNode = (file: string): unknown =>
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require(require.resolve(`@node-red/nodes/core/common/${file}`, { paths: [path.dirname(redMain)] }));
const catchNode = coreNode('25-catch.js');
const statusNode = coreNode('25-status.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const splitJoinNodes = require(require.resolve('@node-red/nodes/core/sequence/17-split.js', { paths: [path.dirname(redMain)] })) as unknown;

helper.init(redMain);
// The helper loads its own Catch, Status and Complete modules once per such node in a flow, so a flow with two
// Status nodes (one per tab) fails with "status already registered" (node-red-node-test-helper 0.3.6,
// issue #71, open). NODES lists those core nodes already, from the same install: each is loaded once.
(helper as unknown as { _nodeModules: Record<string, unknown> })._nodeModules = {};

/** The Node-RED version the tests run in (`RED.version()` of the runtime loaded). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const NODE_RED_RUNNING: string = (require(redMain) as { version(): string }).version();
if (process.env[NODE_RED_VERSIONS_ENV] && NODE_RED_RUNNING !== currentNodeRedTarget().nodeRed) {
	throw new Error(`${NODE_RED_VERSIONS_ENV} asks for Node-RED ${currentNodeRedTarget().nodeRed}, but ${redMain} is ${NODE_RED_RUNNING}`);
}

/** `RED.util` as the nodes under test get it (the runtime's own), e.g. to watch how often a field is evaluated. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const nodeRedUtil = (require(redMain) as { util: { evaluateNodeProperty(value: string, type: string, ...rest: unknown[]): unknown } }).util;

export const NODES = [pumbleConfig, pumble, pumbleTrigger, pumbleAppEvents, catchNode, statusNode, splitJoinNodes];

export interface FlowNode {
	id: string;
	type: string;
	[key: string]: unknown;
}

export interface RuntimeNode {
	id: string;
	receive(msg: Record<string, unknown>): void;
	on(event: string, listener: (arg: unknown) => void): void;
	context(): { get(key: string): unknown; set(key: string, value: unknown): void };
}

export interface Message {
	payload?: unknown;
	error?: { message: string; source?: { id: string; type: string }; code?: string; cause?: Record<string, unknown>; stack?: string };
	status?: { fill?: string; shape?: string; text?: string; source?: { id: string } };
	[key: string]: unknown;
}

export const startRuntime = (): Promise<void> => new Promise((resolve) => helper.startServer(() => resolve()));
export const stopRuntime = async (): Promise<void> => {
	await helper.unload();
	await new Promise<void>((resolve) => helper.stopServer(() => resolve()));
};

/**
 * The shared set-up of the Node-RED suites: one sandbox per file (handed to `onSandbox`), reset before each
 * test; a fresh Node-RED test runtime per test; limiters and caches emptied after each.
 */
export function nodeRedSuite(onSandbox: (sandbox: Sandbox) => void): void {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
		onSandbox(sandbox);
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		sandbox.reset();
		await startRuntime();
	});
	afterEach(async () => {
		await stopRuntime();
		await resetProcessState();
	});
}

/**
 * Loads a flow with one `pumble-config` node (id `cfg`, the sandbox's key) pointing at the sandbox.
 * `credentials` adds the API keys of further config nodes of the flow, by node ID.
 */
export async function loadFlow(
	sandbox: Sandbox,
	nodes: FlowNode[],
	config: Record<string, unknown> = {},
	credentials: Record<string, { apiKey: string }> = {},
): Promise<void> {
	const flow = [{ id: 'cfg', type: 'pumble-config', name: 'sandbox', baseUrl: sandbox.url, ...config }, ...nodes];
	await helper.load(NODES, flow, { cfg: { apiKey: sandbox.apiKey }, ...credentials });
}

export function getNode(id: string): RuntimeNode {
	return helper.getNode(id) as unknown as RuntimeNode;
}

/** Collects what a helper node receives; `next(n)` waits for the n-th message. */
export function collect(id: string): { messages: Message[]; next(count?: number): Promise<Message[]> } {
	const messages: Message[] = [];
	const waiters: Array<{ count: number; resolve: (m: Message[]) => void }> = [];
	getNode(id).on('input', (msg) => {
		messages.push(msg as Message);
		for (const w of [...waiters]) if (messages.length >= w.count) w.resolve(messages.slice(0, w.count));
	});
	return {
		messages,
		next: (count = messages.length + 1) =>
			messages.length >= count ? Promise.resolve(messages.slice(0, count)) : new Promise((resolve) => waiters.push({ count, resolve })),
	};
}

export { helper };
