/**
 * The workflow a test runs, as n8n would hold it: the workflow JSON (Manual Trigger with the input items
 * pinned → the node, or the node alone), the node types it knows, and the additional data n8n-core's
 * contexts need, with the Pumble API credential served by `HarnessCredentialsHelper`.
 */
import {
	deepCopy,
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { PumbleApiKeyApi } from '../../../credentials/PumbleApiKeyApi.credentials';
import { nodeTypeOf } from '../../../scripts/lib/packageName';
import { core } from './core';
import { HarnessCredentialsHelper } from './credentialsHelper';

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

export const NODE_NAME = 'Pumble';
export const INPUT_NODE_NAME = 'Input';
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

const credentialType = new PumbleApiKeyApi();

/** The credential data as n8n stores it: the form's fields, with "advanced" on when an advanced field is set. */
function credentialData(credentials: HarnessCredentials): ICredentialDataDecryptedObject {
	const data: ICredentialDataDecryptedObject = {};
	for (const [name, value] of Object.entries(credentials)) if (value !== undefined) data[name] = value;
	const advancedField = (name: string) => credentialType.properties.some((p) => p.name === name && p.displayOptions?.show?.advanced);
	if (data.advanced === undefined && Object.keys(data).some(advancedField)) data.advanced = true;
	return data;
}

/** Every run is an execution of its own, with its own ID, as in n8n (the node remembers writes per execution for Retry On Fail). */
let executions = 0;
export const nextExecutionId = () => `harness-execution-${process.pid}-${++executions}`;

export function additionalDataFor(
	credentials: HarnessCredentials,
	hooks?: InstanceType<typeof core.ExecutionLifecycleHooks>,
	executionId = nextExecutionId(),
): IWorkflowExecuteAdditionalData {
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
		executionId,
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

const typeNameOf = (nodeType: INodeType) => nodeTypeOf(nodeType.description.name);
const latestVersion = (nodeType: INodeType) => {
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
};

export function nodeTypesFor(nodeType: INodeType): INodeTypes {
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
export function singleNodeWorkflow(nodeType: INodeType, parameters: INodeParameters, timezone?: string): { workflow: Workflow; node: INode } {
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

