/**
 * Runs the Pumble nodes in-process on n8n's own machinery (n8n-core 2.8.1 / n8n-workflow 2.8.0, the versions
 * inside n8n 2.8.4), with real HTTP to whatever the credential's `baseUrl` says (the sandbox):
 *
 * - `runPumbleNode` builds a workflow JSON — a Manual Trigger with the input items pinned, connected to the
 *   node — and runs it with n8n-core's `WorkflowExecute`, as n8n's `NodeTestHarness` does. So the pre-run
 *   parameter-issue check, parameter defaults and expressions, pairing, "On Error" and "Retry On Fail",
 *   hints and cancellation are n8n's code. No jest globals: the benchmark uses it too.
 * - `runListSearch` and `runPoll` call a resource-locator list and a trigger's `poll` with n8n-core's
 *   `LoadOptionsContext` and `PollContext`, as n8n's editor and its active-workflow manager do.
 * - the credential comes from `HarnessCredentialsHelper` (n8n/credentialsHelper.ts), the one stand-in.
 */
import {
	createRunExecutionData,
	deepCopy,
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeIssues,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { PumbleApi as PumbleApiCredential } from '../../credentials/PumbleApi.credentials';
import { Pumble } from '../../nodes/Pumble/Pumble.node';
import { core, releaseBackgroundTimers } from './n8n/core';

export { releaseBackgroundTimers };
import { HarnessCredentialsHelper } from './n8n/credentialsHelper';

/** What a test gives as the "Pumble API" credential: the fields of its form. */
export interface HarnessCredentials {
	apiKey: string;
	baseUrl: string;
	requestsPerMinute?: number;
	timeoutSeconds?: number;
	/**
	 * Any other field of the credential (e.g. `messagesPerMinute`). Giving a field that the form shows only
	 * under "Show Advanced Settings" switches `advanced` on, as a user must; pass `advanced: false` to see
	 * n8n drop such a field.
	 */
	[field: string]: string | number | boolean | undefined;
}

/** The node's settings tab. */
export interface NodeSettings {
	/** "On Error → Continue" (`onError: 'continueRegularOutput'`). */
	continueOnFail?: boolean;
	retryOnFail?: boolean;
	/** n8n bounds it to 2–5 (default 3). */
	maxTries?: number;
	/** Milliseconds; n8n bounds it to 0–5000 and treats 0 as 1000. */
	waitBetweenTries?: number;
}

export interface RunNodeOptions {
	/** Default: `new Pumble()`. */
	node?: INodeType;
	/** The node's parameters as saved in a workflow; values may be n8n expressions like `'={{ $json.id }}'`. */
	parameters: INodeParameters;
	/** The input items' JSON (default `[{}]`): `$json` of item i is `items[i]`. */
	items?: IDataObject[];
	credentials: HarnessCredentials;
	settings?: NodeSettings;
	/** Shorthand for `settings.continueOnFail`. */
	continueOnFail?: boolean;
	/** The workflow's time zone (workflow settings), default `UTC`. */
	timezone?: string;
	/** Default `manual` (a run from the editor); `trigger` / `webhook` behave as production runs. */
	mode?: WorkflowExecuteMode;
	/** Aborting it stops the execution as n8n's "Stop" button does (`WorkflowExecute`'s cancel). */
	cancelSignal?: AbortSignal;
}

export interface RunNodeResult {
	/** The node's first (main) output as n8n recorded it. Empty when the node failed without Continue On Fail. */
	output: INodeExecutionData[];
	/** All its outputs. */
	outputs: INodeExecutionData[][];
	/**
	 * What the node's `execute` threw last (the NodeApiError / NodeOperationError instance itself), n8n-core's
	 * WorkflowHasIssuesError when n8n refused to start the run (then `issues` says why), or an Error saying that
	 * the Pumble node returned items without `pairedItem` (n8n would fill some in; this package sets every one).
	 */
	error?: Error;
	issues?: INodeIssues;
	/** The node's execution hints (`addExecutionHints`). */
	hints: unknown[];
	/** How many times n8n called `execute` (more than 1 only with Retry On Fail). */
	tries: number;
	/** The whole run as n8n records it (what `WorkflowExecute` hands to its "workflowExecuteAfter" hook). */
	run?: IRun;
}

export const NODE_NAME = 'Pumble';
export const INPUT_NODE_NAME = 'Input';
const PACKAGE_NAME = 'n8n-nodes-pumble';
const INPUT_NODE_TYPE = 'n8n-nodes-base.manualTrigger';

/** The Manual Trigger in front of the node; its items are pinned, so n8n never calls it. */
const manualTrigger: INodeType = {
	description: {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		defaults: { name: INPUT_NODE_NAME },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
};

const credentialType = new PumbleApiCredential();

/** The credential data as n8n stores it: the form's fields, with "advanced" on when an advanced field is set. */
function credentialData(credentials: HarnessCredentials): ICredentialDataDecryptedObject {
	const data: ICredentialDataDecryptedObject = {};
	for (const [name, value] of Object.entries(credentials)) if (value !== undefined) data[name] = value;
	const advancedField = (name: string) => credentialType.properties.some((p) => p.name === name && p.displayOptions?.show?.advanced);
	if (data.advanced === undefined && Object.keys(data).some(advancedField)) data.advanced = true;
	return data;
}

export function additionalDataFor(credentials: HarnessCredentials, hooks?: InstanceType<typeof core.ExecutionLifecycleHooks>): IWorkflowExecuteAdditionalData {
	const credentialsHelper = new HarnessCredentialsHelper({ [credentialType.name]: credentialType });
	credentialsHelper.store(credentialType.name, credentialData(credentials));
	const unavailable = (what: string) => () => {
		throw new Error(`${what} is not available in the test harness`);
	};
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: unavailable('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		executionId: 'harness-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		logAiEvent: () => undefined,
		startRunnerTask: unavailable('startRunnerTask'),
	} as unknown as IWorkflowExecuteAdditionalData;
}

const typeNameOf = (nodeType: INodeType) => `${PACKAGE_NAME}.${nodeType.description.name}`;
const latestVersion = (nodeType: INodeType) => {
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
};

function nodeTypesFor(nodeType: INodeType): INodeTypes {
	const known: Record<string, INodeType> = { [typeNameOf(nodeType)]: nodeType, [INPUT_NODE_TYPE]: manualTrigger };
	return { getByName: (name) => known[name], getByNameAndVersion: (name) => known[name], getKnownTypes: () => ({}) };
}

function nodeJson(nodeType: INodeType, parameters: INodeParameters, settings: NodeSettings = {}): INode {
	return {
		id: 'a0000000-0000-4000-8000-000000000001',
		name: NODE_NAME,
		type: typeNameOf(nodeType),
		typeVersion: latestVersion(nodeType),
		position: [220, 0],
		parameters: deepCopy(parameters),
		credentials: { [credentialType.name]: { id: 'harness-credential', name: 'Pumble account' } },
		...(settings.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(settings.retryOnFail ? { retryOnFail: true, maxTries: settings.maxTries, waitBetweenTries: settings.waitBetweenTries } : {}),
	};
}

/** The workflow a user would build: Manual Trigger (items pinned) → the node. */
export function workflowJson(options: { nodeType: INodeType; parameters: INodeParameters; items?: IDataObject[]; settings?: NodeSettings; timezone?: string }): IWorkflowBase {
	const trigger: INode = { id: 'a0000000-0000-4000-8000-000000000000', name: INPUT_NODE_NAME, type: INPUT_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };
	return {
		id: 'harnessWorkflow',
		name: 'Harness workflow',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(0),
		updatedAt: new Date(0),
		nodes: [trigger, nodeJson(options.nodeType, options.parameters, options.settings)],
		connections: { [INPUT_NODE_NAME]: { main: [[{ node: NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] } },
		settings: { timezone: options.timezone ?? 'UTC', executionOrder: 'v1' },
		pinData: { [INPUT_NODE_NAME]: (options.items ?? [{}]).map((json) => ({ json: deepCopy(json) })) },
	};
}

/**
 * The node type as n8n sees it, with its `execute` observed: n8n's run data keeps only a serialised copy of a
 * thrown error, and fills in missing `pairedItem`s; tests need the error instance and the node's own pairing.
 */
function observed(nodeType: INodeType) {
	const seen = { tries: 0, error: undefined as Error | undefined, unpaired: 0, settled: Promise.resolve() as Promise<unknown> };
	const execute = nodeType.execute!;
	const wrapper = Object.create(nodeType) as INodeType;
	wrapper.execute = async function (this: ThisParameterType<typeof execute>, ...args: unknown[]) {
		seen.tries++;
		seen.error = undefined;
		const running = (execute as (...a: unknown[]) => ReturnType<typeof execute>).apply(this, args);
		seen.settled = Promise.resolve(running).catch(() => undefined);
		try {
			const outputs = await running;
			if (Array.isArray(outputs)) {
				seen.unpaired = (outputs as INodeExecutionData[][]).flat().filter((item) => item.pairedItem === undefined).length;
			}
			return outputs;
		} catch (error) {
			seen.error = error as Error;
			throw error;
		}
	} as typeof execute;
	return { wrapper, seen };
}

/** Runs the node once over `items` inside a workflow executed by n8n-core's WorkflowExecute. */
export async function runPumbleNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const nodeType = options.node ?? new Pumble();
	const settings = { ...options.settings, ...(options.continueOnFail !== undefined ? { continueOnFail: options.continueOnFail } : {}) };
	const json = workflowJson({ nodeType, parameters: options.parameters, items: options.items, settings, timezone: options.timezone });
	const { wrapper, seen } = observed(nodeType);
	const nodeTypes = nodeTypesFor(wrapper);
	const workflow = new Workflow({ id: json.id, name: json.name, nodes: json.nodes, connections: json.connections, active: false, nodeTypes, settings: json.settings });
	const mode = options.mode ?? 'manual';

	const hooks = new core.ExecutionLifecycleHooks(mode, 'harness-execution', json);
	// What n8n records (status included) is what this hook receives: on a stop, it fires at once with "canceled".
	let recorded: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
		recorded ??= fullRunData;
	});
	const additionalData = additionalDataFor(options.credentials, hooks);
	const startNode = workflow.getNode(INPUT_NODE_NAME)!;
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }] },
		resultData: { pinData: json.pinData },
	});
	const workflowExecute = new core.WorkflowExecute(additionalData, mode, runExecutionData);

	let execution: ReturnType<typeof workflowExecute.processRunExecutionData>;
	try {
		execution = workflowExecute.processRunExecutionData(workflow);
	} catch (error) {
		if (!(error instanceof core.WorkflowHasIssuesError)) throw error;
		const issues = workflowExecute.checkReadyForExecution(workflow, { startNode: INPUT_NODE_NAME, pinDataNodeNames: [INPUT_NODE_NAME] });
		return { output: [], outputs: [], error, issues: issues?.[NODE_NAME], hints: [], tries: 0 };
	}
	const cancel = () => execution.cancel();
	if (options.cancelSignal?.aborted) cancel();
	options.cancelSignal?.addEventListener('abort', cancel, { once: true });
	releaseBackgroundTimers();
	let run: IRun;
	try {
		// Resolves once the node has settled, also after a stop.
		run = await execution;
		await seen.settled;
	} finally {
		options.cancelSignal?.removeEventListener('abort', cancel);
	}
	run = recorded ?? run;

	const task = run.data.resultData.runData[NODE_NAME]?.at(-1);
	const outputs = (task?.data?.main ?? []).map((items) => items ?? []);
	let error = seen.error;
	if (!error && task?.error) error = Object.assign(new Error(task.error.message), task.error);
	// This package sets pairedItem on every item it outputs (n8n would fill some in): hold the Pumble node to it.
	if (!error && seen.unpaired > 0 && nodeType instanceof Pumble) error = new Error(`The node returned ${seen.unpaired} item(s) without pairedItem`);
	return { output: outputs[0] ?? [], outputs, error, hints: task?.hints ?? [], tries: seen.tries, run };
}

/** The harness under its historical name (every test calls it this way). */
export const runNode = runPumbleNode;

/**
 * The workflow of `workflowJson` (or the node alone, `withInput: false`) with its additional data, for helpers
 * that drive a context of their own (test/helpers/runSendAndWait.ts).
 */
export function buildWorkflow(options: {
	nodeType: INodeType;
	parameters: INodeParameters;
	credentials: HarnessCredentials;
	continueOnFail?: boolean;
	timezone?: string;
	withInput: boolean;
}): { workflow: Workflow; node: INode; additionalData: IWorkflowExecuteAdditionalData } {
	const additionalData = additionalDataFor(options.credentials);
	if (!options.withInput) return { ...singleNodeWorkflow(options.nodeType, options.parameters, options.timezone), additionalData };
	const json = workflowJson({ ...options, settings: { continueOnFail: options.continueOnFail } });
	const workflow = new Workflow({ ...json, nodeTypes: nodeTypesFor(options.nodeType) });
	// The Workflow constructor gives the node its parameters with defaults filled in.
	return { workflow, node: workflow.nodes[NODE_NAME], additionalData };
}

/** A workflow holding only `nodeType`, for the contexts that run outside an execution. */
function singleNodeWorkflow(nodeType: INodeType, parameters: INodeParameters, timezone?: string): { workflow: Workflow; node: INode } {
	const node = nodeJson(nodeType, parameters);
	const workflow = new Workflow({
		id: 'harnessWorkflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesFor(nodeType),
		settings: { timezone: timezone ?? 'UTC', executionOrder: 'v1' },
	});
	// The Workflow constructor gives the node its parameters with defaults filled in.
	return { workflow, node: workflow.nodes[NODE_NAME] };
}

export interface RunListSearchOptions {
	node?: INodeType;
	/** The name in the node's `methods.listSearch`, e.g. `searchChannels`. */
	method: string;
	filter?: string;
	paginationToken?: string;
	credentials: HarnessCredentials;
	/** The node's current parameters (what the editor sends along), default `{}`. */
	parameters?: INodeParameters;
	/** Path of the parameter whose list is loaded, default `parameters.channel`. */
	path?: string;
}

/** Calls a searchable list (resource locator "From List") the way n8n's dynamic-node-parameters service does. */
export async function runListSearch(options: RunListSearchOptions): Promise<INodeListSearchResult> {
	const nodeType = options.node ?? new Pumble();
	const method = nodeType.methods?.listSearch?.[options.method];
	if (!method) throw new Error(`The node has no listSearch method "${options.method}"`);
	const { workflow, node } = singleNodeWorkflow(nodeType, options.parameters ?? {});
	const additionalData = additionalDataFor(options.credentials);
	additionalData.currentNodeParameters = node.parameters;
	const context = new core.LoadOptionsContext(workflow, node, additionalData, options.path ?? 'parameters.channel');
	releaseBackgroundTimers();
	return await method.call(context, options.filter, options.paginationToken);
}

export interface RunPollOptions {
	/** The trigger node (it has a `poll` method). */
	node: INodeType;
	parameters: INodeParameters;
	credentials: HarnessCredentials;
	/** The node's static data from the previous poll (what `getWorkflowStaticData('node')` returns). */
	staticData?: IDataObject;
	/** `manual` = "Fetch Test Event" in the editor; `trigger` = a scheduled poll of an active workflow. */
	mode?: 'manual' | 'trigger';
	timezone?: string;
}

export interface RunPollResult {
	/** What `poll` returned (`null` = nothing new). */
	output: INodeExecutionData[][] | null;
	error?: Error;
	/** The node's static data after the poll, to pass to the next `runPoll`. */
	staticData: IDataObject;
}

/** Calls a polling trigger's `poll` once with n8n-core's PollContext, as n8n's active-workflow manager does. */
export async function runPoll(options: RunPollOptions): Promise<RunPollResult> {
	const { node: nodeType } = options;
	if (!nodeType.poll) throw new Error('The node has no poll method');
	const { workflow, node } = singleNodeWorkflow(nodeType, options.parameters, options.timezone);
	const nodeKey = `node:${node.name}`;
	workflow.staticData[nodeKey] = deepCopy(options.staticData ?? {});
	const mode = options.mode ?? 'trigger';
	const context = new core.PollContext(workflow, node, additionalDataFor(options.credentials), mode, mode === 'manual' ? 'manual' : 'activate');
	releaseBackgroundTimers();
	const read = () => deepCopy((workflow.staticData[nodeKey] ?? {}) as IDataObject);
	try {
		const output = await nodeType.poll.call(context);
		return { output, staticData: read() };
	} catch (error) {
		return { output: null, error: error as Error, staticData: read() };
	}
}
