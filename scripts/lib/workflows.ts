/**
 * Workflow and credential builders shared by the e2e tests, `npm run demo` and `npm start`.
 * `examples/demo.workflow.json` is the demo chain below with an expression for the channel name;
 * the e2e test imports and runs that file too, so it cannot drift from the node.
 */
import type { CredentialInput, WorkflowInput } from './n8n';
import { nodeTypeOf } from './packageName';

export const PUMBLE_NODE_TYPE = nodeTypeOf('pumble');
export const CREDENTIAL_ID = 'pumbleSandbox01';
export const CREDENTIAL_NAME = 'Pumble sandbox';
export const PUMBLE_CREDENTIALS = { pumbleApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };

/** The credential n8n imports (type `pumbleApi`), pointing at a sandbox. */
export function sandboxCredential(apiKey: string, baseUrl: string): CredentialInput {
	return { id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: 'pumbleApi', data: { apiKey, baseUrl } };
}

/** The node names of the demo chain (create a channel, send, reply, react, read, list, delete), in execution order. */
export const DEMO_CHAIN_NODES = {
	trigger: 'Manual Trigger',
	createChannel: 'Create Channel',
	sendMessage: 'Send Message',
	reply: 'Reply in Thread',
	addReaction: 'Add Reaction',
	getMessages: 'Get Messages',
	getChannels: 'Get Channels',
	deleteMessage: 'Delete Message',
} as const;

export interface DemoChainOptions {
	id: string;
	name: string;
	/** Channel name, or an n8n expression (`={{ ... }}`). */
	channelName: string;
	description: string;
	messageText: string;
	replyText: string;
	emoji: string;
}

type NodeDef = {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	executeOnce?: boolean;
};

const rl = (value: string): { __rl: true; mode: 'id'; value: string } => ({ __rl: true, mode: 'id', value });

/** Connect nodes one after the other. */
export function chain(names: string[]): Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> {
	const connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

function uuid(n: number): string {
	return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * Manual Trigger → Create Channel → Send Message → Reply (also to channel) → Add Reaction
 * → Get Messages (all) → Get Channels (public + direct, limit 50) → Delete Message (the root).
 * Get Channels and Delete Message run once (`executeOnce`): Get Messages fans out to one item per message.
 */
export function demoChainWorkflow(o: DemoChainOptions): WorkflowInput {
	const N = DEMO_CHAIN_NODES;
	const channelId = `={{ $('${N.createChannel}').item.json.id }}`;
	const rootId = `={{ $('${N.sendMessage}').item.json.id }}`;
	const pumble = (i: number, name: string, parameters: Record<string, unknown>, extra: Partial<NodeDef> = {}): NodeDef => ({
		id: uuid(i),
		name,
		type: PUMBLE_NODE_TYPE,
		typeVersion: 1,
		position: [(i - 1) * 220, 0],
		parameters,
		credentials: PUMBLE_CREDENTIALS,
		...extra,
	});
	const nodes: NodeDef[] = [
		{ id: uuid(1), name: N.trigger, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		pumble(2, N.createChannel, {
			resource: 'channel',
			operation: 'create',
			name: o.channelName,
			type: 'public',
			options: { description: o.description },
		}),
		pumble(3, N.sendMessage, {
			resource: 'message',
			operation: 'send',
			channel: rl('={{ $json.id }}'),
			text: o.messageText,
			options: {},
		}),
		pumble(4, N.reply, {
			resource: 'message',
			operation: 'reply',
			channel: rl(channelId),
			messageId: '={{ $json.id }}',
			text: o.replyText,
			options: { alsoSendToChannel: true },
		}),
		pumble(5, N.addReaction, {
			resource: 'reaction',
			operation: 'add',
			channel: rl(channelId),
			messageId: rootId,
			emoji: o.emoji,
		}),
		pumble(6, N.getMessages, {
			resource: 'message',
			operation: 'getAll',
			channel: rl(channelId),
			returnAll: true,
		}),
		pumble(
			7,
			N.getChannels,
			{
				resource: 'channel',
				operation: 'getAll',
				returnAll: false,
				limit: 50,
				filters: { types: ['public', 'direct'] },
			},
			{ executeOnce: true },
		),
		pumble(
			8,
			N.deleteMessage,
			{
				resource: 'message',
				operation: 'delete',
				channel: rl(channelId),
				messageId: rootId,
			},
			{ executeOnce: true },
		),
	];
	return {
		id: o.id,
		name: o.name,
		nodes,
		connections: chain(nodes.map((n) => n.name)),
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Manual Trigger → NoOp: proves the harness (install, import, execute, parse) without the Pumble node. */
export function noOpWorkflow(id: string): WorkflowInput {
	return {
		id,
		name: 'Harness smoke (Manual Trigger → NoOp)',
		nodes: [
			{ id: uuid(1), name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: uuid(2), name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: chain(['Manual Trigger', 'No Operation']),
	};
}

export const APP_CREDENTIAL_ID = 'pumbleAppSandbox01';
export const APP_CREDENTIAL_NAME = 'Pumble App sandbox';

/** The Pumble App credential (type `pumbleAppApi`) of the sandbox's app (sandbox/app/platform.ts `SANDBOX_APP`). */
export function sandboxAppCredential(
	app: { appId: string; appKey: string; signingSecret: string; botToken: string; userToken: string },
	baseUrl: string,
): CredentialInput {
	return {
		id: APP_CREDENTIAL_ID,
		name: APP_CREDENTIAL_NAME,
		type: 'pumbleAppApi',
		data: { appId: app.appId, appKey: app.appKey, signingSecret: app.signingSecret, botToken: app.botToken, userToken: app.userToken, baseUrl },
	};
}
