/**
 * Runs the Pumble nodes in-process on n8n's own machinery (n8n-core 2.8.1 / n8n-workflow 2.8.0, the versions
 * inside n8n 2.8.4), with real HTTP to whatever the credential's `baseUrl` says (the sandbox):
 *
 * - `runPumbleNode` builds a workflow JSON — a Manual Trigger with the input items pinned, connected to the
 *   node — and runs it with n8n-core's `WorkflowExecute`, as n8n's `NodeTestHarness` does. So the pre-run
 *   parameter-issue check, parameter defaults and expressions, pairing, "On Error" and "Retry On Fail",
 *   hints and cancellation are n8n's code. No jest globals: the benchmark uses it too.
 * - `runListSearch` and `runPoll` (n8n/contexts.ts) call a resource-locator list and a trigger's `poll` with
 *   n8n-core's `LoadOptionsContext` and `PollContext`, as n8n's editor and its active-workflow manager do.
 * - n8n/workflow.ts builds the workflow; n8n/core.ts loads n8n-core in a throwaway instance folder; the
 *   credential comes from `HarnessCredentialsHelper` (n8n/credentialsHelper.ts), the one stand-in for n8n.
 */
import {
	createRunExecutionData,
	Workflow,
	type IDataObject,
	type INodeExecutionData,
	type INodeIssues,
	type INodeParameters,
	type INodeType,
	type IRun,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { Pumble } from '../../nodes/Pumble/Pumble.node';
import { core, releaseBackgroundTimers } from './n8n/core';
import { additionalDataFor, INPUT_NODE_NAME, nextExecutionId, NODE_NAME, nodeTypesFor, workflowJson, type HarnessCredentials, type NodeSettings } from './n8n/workflow';

export { runListSearch, runPoll, type RunListSearchOptions, type RunPollOptions, type RunPollResult } from './n8n/contexts';
export { additionalDataFor, buildWorkflow, INPUT_NODE_NAME, NODE_NAME, workflowJson, type HarnessCredentials, type NodeSettings } from './n8n/workflow';
export { releaseBackgroundTimers };

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

	const executionId = nextExecutionId();
	const hooks = new core.ExecutionLifecycleHooks(mode, executionId, json);
	// What n8n records (status included) is what this hook receives: on a stop, it fires at once with "canceled".
	let recorded: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
		recorded ??= fullRunData;
	});
	const additionalData = additionalDataFor(options.credentials, hooks, executionId);
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

