/**
 * Many sends through a real n8n, as a user would build them: Manual Trigger → Code (item i → channel
 * i mod n, text "item i") → Pumble Message → Send, run over n8n's REST API like the editor runs it.
 * Shared by test/e2e/default-setting.test.ts and bench/n8n.ts: the workflows, their sandbox channels
 * and credentials, one n8n (package installed, owner signed in), running and reading executions, and
 * what the sandbox stored.
 */
import type { KeyUser, Sandbox } from '../../sandbox';
import { Input } from '../../sandbox/validation';
import { startN8nSession, type CredentialInput, type N8nRest, type N8nSession, type WorkflowInput } from './n8n';
import { PUMBLE_NODE_TYPE } from './workflows';

const OWNER = { email: 'owner@example.com', password: 'Sends-Passw0rd', firstName: 'Sends', lastName: 'Owner' };
export const SEND_NODE = 'Send';

/** A Pumble credential of one sandbox user (its own budget: Pumble counts per user). */
export function userCredential(sandbox: Sandbox, user: KeyUser): CredentialInput & { id: string; name: string } {
	return { id: `pumbleSends${user}01`, name: `Pumble ${user}`, type: 'pumbleApi', data: { apiKey: sandbox.keys[user], baseUrl: sandbox.url } };
}

/** `count` new public channels created by `user` in the sandbox. */
export function createChannels(sandbox: Sandbox, user: KeyUser, count: number, prefix: string): string[] {
	const actor = sandbox.state.userById(sandbox.ids[user])!;
	return Array.from({ length: count }, (_, c) => sandbox.state.createChannel(actor, Input.fromBody({ name: `${prefix}-${c + 1}`, type: 'PUBLIC' })).id);
}

export interface SendsWorkflowOptions {
	id: string;
	items: number;
	channelIds: string[];
	credential: { id: string; name: string };
	/** The node's "On Error" setting; absent = n8n's default (stop the workflow). */
	onError?: 'continueRegularOutput';
}

const TRIGGER = 'Manual Trigger';
const pumbleCredentials = (credential: { id: string; name: string }) => ({ pumbleApi: { id: credential.id, name: credential.name } });

/** Manual Trigger → Code ("Items") → Pumble Message → Send ("Send") with the node's default error setting unless `onError`. */
export function sendsWorkflow(o: SendsWorkflowOptions): WorkflowInput {
	const jsCode = [
		`const channels = ${JSON.stringify(o.channelIds)};`,
		`return Array.from({ length: ${o.items} }, (_, i) => ({ json: { channelId: channels[i % channels.length], text: \`item \${i}\` } }));`,
	].join('\n');
	return {
		id: o.id,
		name: `Sends ${o.id}`,
		nodes: [
			{ id: '00000000-0000-4000-8000-0000000000d1', name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: '00000000-0000-4000-8000-0000000000d2', name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode } },
			{
				id: '00000000-0000-4000-8000-0000000000d3',
				name: SEND_NODE,
				type: PUMBLE_NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					resource: 'message',
					operation: 'send',
					sendTo: 'channel',
					channel: { __rl: true, mode: 'id', value: '={{ $json.channelId }}' },
					text: '={{ $json.text }}',
				},
				credentials: pumbleCredentials(o.credential),
				...(o.onError ? { onError: o.onError } : {}),
			},
		],
		connections: {
			[TRIGGER]: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: SEND_NODE, type: 'main', index: 0 }]] },
		},
	};
}

/** Manual Trigger → Pumble User → Get Me: the node learns the key's user (its first /myInfo) and nothing is sent. */
export function getMeWorkflow(id: string, credential: { id: string; name: string }): WorkflowInput {
	return {
		id,
		name: `Get me ${id}`,
		nodes: [
			{ id: '00000000-0000-4000-8000-0000000000e1', name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: '00000000-0000-4000-8000-0000000000e2',
				name: 'Get Me',
				type: PUMBLE_NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'user', operation: 'getMe' },
				credentials: pumbleCredentials(credential),
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Get Me', type: 'main', index: 0 }]] } },
	};
}

export type N8nWithSends = N8nSession;

/** A signed-in n8n (`startN8nSession`) for sends: task runners internal (the Code node needs one), `env` added. */
export function startN8nWithSends(credentials: CredentialInput[], workflows: WorkflowInput[], env: NodeJS.ProcessEnv = {}): Promise<N8nWithSends> {
	return startN8nSession(credentials, workflows, { owner: OWNER, env: { N8N_RUNNERS_MODE: 'internal', ...env } });
}

/** Runs a stored workflow as the editor does (`POST /rest/workflows/:id/run`); resolves with its execution ID. */
export async function runWorkflow(rest: N8nRest, workflowId: string): Promise<string> {
	const stored = await rest.call<Record<string, unknown>>('GET', `/workflows/${workflowId}`);
	const { executionId } = await rest.call<{ executionId: string }>('POST', `/workflows/${workflowId}/run`, {
		workflowData: stored,
		triggerToStartFrom: { name: TRIGGER },
	});
	return executionId;
}

export interface ExecutionView {
	status: string;
	/** Items the node `node` output in its last run (empty while it has not run). */
	output(node: string): Array<Record<string, unknown>>;
	/** The workflow's error message, if it failed. */
	error?: string;
	/** The error's description (a node error's details). */
	errorDescription?: string;
}

export async function readExecution(rest: N8nRest, executionId: string): Promise<ExecutionView> {
	const found = await rest.execution(executionId);
	const data = found.data;
	return {
		status: found.status,
		error: data?.resultData?.error?.message,
		errorDescription: data?.resultData?.error?.description,
		output: (node) => {
			const runs = data?.resultData?.runData?.[node] ?? [];
			return runs[runs.length - 1]?.data?.main?.[0]?.map((item) => item.json) ?? [];
		},
	};
}

const FINAL = new Set(['success', 'error', 'canceled', 'crashed']);

/** Polls until the execution has ended (success, error, canceled, crashed). */
export async function executionEnd(rest: N8nRest, executionId: string, timeoutMs = 600_000): Promise<ExecutionView> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		// a reused keep-alive connection the server has just closed fails with ECONNRESET: a GET is asked again
		const current = await readExecution(rest, executionId).catch((error: Error & { cause?: { code?: string } }) => {
			if (error.cause?.code !== 'ECONNRESET') throw error;
			return undefined;
		});
		if (current && FINAL.has(current.status)) return current;
		if (Date.now() > deadline) throw new Error(`execution ${executionId} did not end in time (status ${current?.status})`);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
	}
}

/** The messages the sandbox stored in `channelIds`, in storing order, as (channel, item index) from "item i". */
export function storedItems(sandbox: Sandbox, channelIds: string[]): Array<{ channel: string; item: number }> {
	const channels = new Set(channelIds);
	return sandbox.state.messages
		.filter((m) => channels.has(m.channelId))
		.map((m) => ({ channel: m.channelId, item: Number(/^item (\d+)$/.exec(m.text ?? '')?.[1] ?? NaN) }));
}
