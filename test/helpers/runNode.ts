/**
 * Runs a node's real `execute` (and its `methods.listSearch`, and a trigger's `poll`) in-process with
 * n8n's own machinery from n8n-core 2.8.1 / n8n-workflow 2.8.0 — the versions inside n8n 2.8.4:
 *
 * - the execution contexts are n8n-core's `ExecuteContext`, `LoadOptionsContext` and `PollContext`, so
 *   `getNodeParameter` (defaults, expressions, resource locators, `extractValue`, type validation),
 *   `continueOnFail`, `getCredentials` and `helpers.httpRequestWithAuthentication` are n8n's code;
 * - the node lives in an n8n-workflow `Workflow` (its constructor fills in parameter defaults the way n8n
 *   does), behind an "Input" node whose run data holds the input items, so `$json`, `$('Input')`,
 *   `$input` and paired-item lookups resolve as in a real run;
 * - before `execute`, the parameter issues n8n's `WorkflowExecute` checks are checked the same way
 *   (`NodeHelpers.getNodeParametersIssues`): a literal empty required field stops the run with n8n-core's
 *   `WorkflowHasIssuesError` and `execute` is never called — only an expression can deliver an empty value;
 * - HTTP is real: n8n-core's request helper (its own axios) against whatever `baseUrl` says (the sandbox).
 *
 * Substituted (n8n's live versions need a database and DI container of the CLI package):
 * - `additionalData.credentialsHelper`: holds the given credential data in memory instead of an encrypted
 *   database row. Like n8n's `CredentialsHelper` it applies the credential type's defaults and display
 *   rules (`NodeHelpers.getNodeParameters`; hidden fields are dropped), resolves expressions in the data,
 *   and implements `authenticate` as n8n does: a function is called; a generic `authenticate` object has
 *   each key and value resolved with `workflow.expression.getSimpleParameterValue` against
 *   `{ $credentials }` and written into the request options the node passed.
 * - the rest of `additionalData` is inert placeholders (URLs, no hooks, no sub-workflows).
 * - n8n's `InstanceSettings` (needed by every context) is real but lives in a throwaway user folder.
 *
 * Not done here (the framework, not the node): `WorkflowExecute`'s filling in of missing `pairedItem`,
 * turning a thrown error into an error item, retries on fail. The output is exactly what the node
 * returned, so tests see whether the node itself set `pairedItem`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	createRunExecutionData,
	deepCopy,
	ICredentialsHelper,
	isExpression,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialsExpressionResolveValues,
	type ICredentialType,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeIssues,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { PumbleApi as PumbleApiCredential } from '../../credentials/PumbleApi.credentials';
import { Pumble } from '../../nodes/Pumble/Pumble.node';

// n8n-core's contexts read InstanceSettings (instance ID, HMAC secret) from its DI container, which
// creates `<N8N_USER_FOLDER>/.n8n/config` on first use: keep that out of the user's home.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'pumble-harness-n8n-'));
process.env.N8N_ENCRYPTION_KEY ??= 'pumble-harness-encryption-key';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
process.env.N8N_LOG_LEVEL ??= 'silent';

// Required after the environment is set (imports are hoisted; this require is not).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = require('n8n-core') as typeof import('n8n-core');

/**
 * Every ExecuteContext asks n8n's DI container for its SSH-tunnel manager, whose constructor starts a
 * 60 s cleanup interval that keeps a test process alive (n8n stops it at shutdown). Unref it.
 */
export function releaseBackgroundTimers(): void {
	/* eslint-disable @typescript-eslint/no-require-imports */
	const { Container } = require('@n8n/di') as { Container: { has(type: unknown): boolean; get(type: unknown): unknown } };
	const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager') as { SSHClientsManager: unknown };
	/* eslint-enable @typescript-eslint/no-require-imports */
	if (!Container.has(SSHClientsManager)) return;
	(Container.get(SSHClientsManager) as { cleanupTimer?: NodeJS.Timeout }).cleanupTimer?.unref();
}

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

export interface RunNodeOptions {
	/** Default: `new Pumble()`. */
	node?: INodeType;
	/** The node's parameters as saved in a workflow; values may be n8n expressions like `'={{ $json.id }}'`. */
	parameters: INodeParameters;
	/** The input items' JSON (default `[{}]`): `$json` of item i is `items[i]`. */
	items?: IDataObject[];
	credentials: HarnessCredentials;
	/** The node setting "On Error → Continue" (`onError: 'continueRegularOutput'`). */
	continueOnFail?: boolean;
	/** The workflow's time zone (workflow settings), default `UTC`. */
	timezone?: string;
	/** Default `manual` (a run from the editor); `trigger` / `webhook` behave as production runs. */
	mode?: WorkflowExecuteMode;
	/** Skip the parameter-issue check n8n does before a run (default false: check like n8n). */
	skipIssueCheck?: boolean;
}

export interface RunNodeResult {
	/** The node's first (main) output. Empty when `execute` threw or was never called. */
	output: INodeExecutionData[];
	/** All outputs, as `execute` returned them. */
	outputs: INodeExecutionData[][];
	/**
	 * What `execute` threw (NodeApiError / NodeOperationError), or n8n-core's WorkflowHasIssuesError when
	 * n8n would have refused to start the run (then `issues` says why).
	 */
	error?: Error;
	issues?: INodeIssues;
	/** The ExecuteContext's execution hints (`addExecutionHints`). */
	hints: unknown[];
}

export const NODE_NAME = 'Pumble';
export const INPUT_NODE_NAME = 'Input';
const PACKAGE_NAME = 'n8n-nodes-pumble';
const INPUT_NODE_TYPE = 'n8n-nodes-base.manualTrigger';

/** Stands in for the trigger in front of the node: its only job is to be the source of the input items. */
const inputNodeType: INodeType = {
	description: {
		displayName: 'Input',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Harness input',
		defaults: { name: INPUT_NODE_NAME },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
};

const credentialTypes: Record<string, ICredentialType> = { pumbleApi: new PumbleApiCredential() };

function nodeTypesFor(nodeType: INodeType): { nodeTypes: INodeTypes; typeName: string } {
	const typeName = `${PACKAGE_NAME}.${nodeType.description.name}`;
	const known: Record<string, INodeType> = { [typeName]: nodeType, [INPUT_NODE_TYPE]: inputNodeType };
	const nodeTypes: INodeTypes = {
		getByName: (name) => known[name],
		getByNameAndVersion: (name) => known[name],
		getKnownTypes: () => ({}),
	};
	return { nodeTypes, typeName };
}

/** The credential data as n8n stores it: the form's fields, with "advanced" on when an advanced field is set. */
function credentialData(credentials: HarnessCredentials): ICredentialDataDecryptedObject {
	const data: ICredentialDataDecryptedObject = {};
	for (const [name, value] of Object.entries(credentials)) if (value !== undefined) data[name] = value;
	if (data.advanced === undefined) {
		const properties = credentialTypes.pumbleApi.properties;
		const advancedField = (name: string) => properties.some((p) => p.name === name && p.displayOptions?.show?.advanced);
		if (Object.keys(data).some(advancedField)) data.advanced = true;
	}
	return data;
}

/** The in-memory stand-in for n8n's CredentialsHelper (see the file comment for what it mirrors). */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly stored: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type "${name}"`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.types[name]?.extends ?? [];
		return [...parents, ...parents.flatMap((parent) => this.getParentTypes(parent))];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		if (authenticate?.type === 'generic') {
			requestOptions.headers ??= {};
			const resolve = (value: string): string => {
				if (!isExpression(value)) return value;
				const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
				return resolved ? String(resolved) : '';
			};
			for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
				const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
				target[outerKey] ??= {};
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					target[outerKey][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/** n8n calls the credential's `preAuthentication` only for types with an expirable hidden field. */
	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('The harness keeps credential data in memory only: there is no Credentials entity');
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const original = this.stored[type];
		if (!original) throw new Error(`No "${type}" credential was given to the harness`);
		if (raw) return deepCopy(original);
		// Defaults and display rules, as CredentialsHelper.applyDefaultsAndOverwrites.
		let data = NodeHelpers.getNodeParameters(this.getCredentialsProperties(type), deepCopy(original) as INodeParameters, true, false, null, null) as ICredentialDataDecryptedObject;
		const additionalKeys = core.getAdditionalKeys(additionalData, mode, null, { secretsEnabled: false });
		if (expressionResolveValues) {
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } = expressionResolveValues;
			data = workflow.expression.getParameterValue(
				data as INodeParameters,
				runExecutionData,
				runIndex,
				itemIndex,
				node.name,
				connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				data,
			) as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return this.type(type).properties;
	}
}

export function additionalDataFor(credentials: HarnessCredentials): IWorkflowExecuteAdditionalData {
	const unavailable = (what: string) => () => {
		throw new Error(`${what} is not available in the test harness`);
	};
	return {
		credentialsHelper: new HarnessCredentialsHelper(credentialTypes, { pumbleApi: credentialData(credentials) }),
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

interface Built {
	workflow: Workflow;
	node: INode;
	additionalData: IWorkflowExecuteAdditionalData;
}

export function buildWorkflow(options: {
	nodeType: INodeType;
	parameters: INodeParameters;
	credentials: HarnessCredentials;
	continueOnFail?: boolean;
	timezone?: string;
	withInput: boolean;
}): Built {
	const { nodeTypes, typeName } = nodeTypesFor(options.nodeType);
	const node: INode = {
		id: 'a0000000-0000-4000-8000-000000000001',
		name: NODE_NAME,
		type: typeName,
		typeVersion: Array.isArray(options.nodeType.description.version)
			? Math.max(...options.nodeType.description.version)
			: options.nodeType.description.version,
		position: [220, 0],
		parameters: deepCopy(options.parameters),
		credentials: { pumbleApi: { id: 'harness-credential', name: 'Pumble account' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const input: INode = {
		id: 'a0000000-0000-4000-8000-000000000000',
		name: INPUT_NODE_NAME,
		type: INPUT_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		id: 'harnessWorkflow',
		name: 'Harness workflow',
		nodes: options.withInput ? [input, node] : [node],
		connections: options.withInput
			? { [INPUT_NODE_NAME]: { main: [[{ node: NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] } }
			: {},
		active: false,
		nodeTypes,
		settings: { timezone: options.timezone ?? 'UTC', executionOrder: 'v1' },
	});
	// The Workflow constructor replaced the parameters with their defaulted copy: use the workflow's node.
	return { workflow, node: workflow.nodes[NODE_NAME], additionalData: additionalDataFor(options.credentials) };
}

/** Runs `execute` of the node once over `items`, the way n8n's WorkflowExecute calls it. */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const nodeType = options.node ?? new Pumble();
	const { workflow, node, additionalData } = buildWorkflow({ ...options, nodeType, withInput: true });
	const mode = options.mode ?? 'manual';
	// What the Input node output (a trigger's items all pair to its single empty input item)...
	const inputOutput: INodeExecutionData[] = (options.items ?? [{}]).map((json) => ({ json: deepCopy(json), pairedItem: { item: 0 } }));
	// ...and what the node receives: WorkflowExecute re-pairs every incoming item to its index in the input,
	// which is what `$('Input').item` and the other paired-item lookups follow.
	const items: INodeExecutionData[] = inputOutput.map((item, index) => ({ json: deepCopy(item.json), pairedItem: { item: index } }));

	if (!options.skipIssueCheck) {
		const issues = NodeHelpers.getNodeParametersIssues(nodeType.description.properties, node, nodeType.description);
		if (issues) return { output: [], outputs: [], error: new core.WorkflowHasIssuesError(), issues, hints: [] };
	}

	const runExecutionData: IRunExecutionData = createRunExecutionData({
		resultData: {
			runData: {
				[INPUT_NODE_NAME]: [
					{ startTime: Date.now(), executionTime: 0, executionIndex: 0, source: [], data: { main: [inputOutput] } },
				],
			},
			lastNodeExecuted: INPUT_NODE_NAME,
		},
	});
	const executeData: IExecuteData = {
		node,
		data: { main: [items] },
		source: { main: [{ previousNode: INPUT_NODE_NAME, previousNodeOutput: 0, previousNodeRun: 0 }] },
	};
	const context = new core.ExecuteContext(
		workflow,
		node,
		additionalData,
		mode,
		runExecutionData,
		0,
		items,
		{ main: [items] },
		executeData,
		[],
		new AbortController().signal,
	);
	releaseBackgroundTimers();
	try {
		const outputs = (await nodeType.execute!.call(context)) as INodeExecutionData[][] | null;
		return { output: outputs?.[0] ?? [], outputs: outputs ?? [], hints: context.hints };
	} catch (error) {
		return { output: [], outputs: [], error: error as Error, hints: context.hints };
	}
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
	const { workflow, node, additionalData } = buildWorkflow({
		nodeType,
		parameters: options.parameters ?? {},
		credentials: options.credentials,
		withInput: false,
	});
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

/** Calls a polling trigger's `poll` once with n8n-core's PollContext. */
export async function runPoll(options: RunPollOptions): Promise<RunPollResult> {
	const { node: nodeType } = options;
	if (!nodeType.poll) throw new Error('The node has no poll method');
	const { workflow, node, additionalData } = buildWorkflow({ ...options, nodeType, withInput: false });
	const nodeKey = `node:${node.name}`;
	workflow.staticData[nodeKey] = deepCopy(options.staticData ?? {});
	const mode = options.mode ?? 'trigger';
	const context = new core.PollContext(workflow, node, additionalData, mode, mode === 'manual' ? 'manual' : 'activate');
	releaseBackgroundTimers();
	const read = () => deepCopy((workflow.staticData[nodeKey] ?? {}) as IDataObject);
	try {
		const output = await nodeType.poll.call(context);
		return { output, staticData: read() };
	} catch (error) {
		return { output: null, error: error as Error, staticData: read() };
	}
}
