/**
 * The n8n-core contexts that run outside an execution: a resource locator's searchable list, as n8n's
 * editor loads it (`LoadOptionsContext`), and a trigger's poll, as n8n's active-workflow manager runs it
 * (`PollContext`).
 */
import { deepCopy, type IDataObject, type INodeExecutionData, type INodeListSearchResult, type INodeParameters, type INodeType } from 'n8n-workflow';

import { Pumble } from '../../../nodes/Pumble/Pumble.node';
import { core, releaseBackgroundTimers } from './core';
import { additionalDataFor, singleNodeWorkflow, type HarnessCredentials } from './workflow';

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
