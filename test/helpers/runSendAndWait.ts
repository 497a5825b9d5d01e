/**
 * Send and Wait the way n8n runs it, in-process: n8n-core's ExecuteContext runs `execute` (which sends and
 * calls putExecutionToWait), the waiting run is stored in the execution's run data as WorkflowExecute
 * stores it, and each `follow()` is one HTTP request to the waiting URL handled by the node's `webhook`
 * in n8n-core's WebhookContext over that same run data. n8n's own checks before the webhook (the URL
 * signature, whether the execution still waits) belong to n8n's server: the e2e suite covers them.
 */
import {
	createRunExecutionData,
	type IDataObject,
	type INodeExecutionData,
	type INodeParameters,
	type IRunExecutionData,
	type IWebhookData,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { Pumble } from '../../nodes/Pumble/Pumble.node';
import { additionalDataFor, buildWorkflow, type HarnessCredentials, INPUT_NODE_NAME, NODE_NAME, releaseBackgroundTimers } from './runNode';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = require('n8n-core') as typeof import('n8n-core');

export interface FollowResult {
	status: number;
	/** The page the person sees (ours, or the webhookResponse n8n would send). */
	html: string;
	/** What the workflow resumes with; undefined = the execution keeps waiting. */
	resumedWith?: IDataObject[];
}

export interface SendAndWaitRun {
	output: INodeExecutionData[];
	error?: Error;
	waitTill?: Date;
	/** One request to a link of the message (its URL as posted), with an optional form body. */
	follow(url: string, method?: 'GET' | 'POST', body?: IDataObject): Promise<FollowResult>;
}

export async function runSendAndWait(options: { parameters: INodeParameters; credentials: HarnessCredentials; timezone?: string }): Promise<SendAndWaitRun> {
	const nodeType = new Pumble();
	const { workflow, node, additionalData } = buildWorkflow({ ...options, nodeType, withInput: true });
	const items: INodeExecutionData[] = [{ json: {}, pairedItem: { item: 0 } }];
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		resultData: {
			runData: { [INPUT_NODE_NAME]: [{ startTime: Date.now(), executionTime: 0, executionIndex: 0, source: [], data: { main: [items] } }] },
			lastNodeExecuted: INPUT_NODE_NAME,
		},
	});
	const executeData = { node, data: { main: [items] }, source: { main: [{ previousNode: INPUT_NODE_NAME }] } };
	const context = new core.ExecuteContext(workflow, node, additionalData, 'trigger', runExecutionData, 0, items, { main: [items] }, executeData, [], new AbortController().signal);
	releaseBackgroundTimers();
	let output: INodeExecutionData[] = [];
	try {
		output = ((await nodeType.execute!.call(context)) as INodeExecutionData[][])[0] ?? [];
	} catch (error) {
		return { output, error: error as Error, follow: async () => Promise.reject(new Error('the node failed: nothing waits')) };
	}
	// As WorkflowExecute does for a node that put the execution to wait.
	runExecutionData.resultData.runData[NODE_NAME] = [
		{ startTime: Date.now(), executionTime: 0, executionIndex: 1, source: [], executionStatus: 'waiting', data: { main: [output] } },
	];
	runExecutionData.resultData.lastNodeExecuted = NODE_NAME;
	runExecutionData.executionData!.nodeExecutionStack = [executeData];

	const follow = async (url: string, method: 'GET' | 'POST' = 'GET', body: IDataObject = {}): Promise<FollowResult> => {
		const parsed = new URL(url);
		const captured = { status: 200, body: '' };
		const res = {
			status(code: number) {
				captured.status = code;
				return res;
			},
			setHeader: () => res,
			end(chunk?: string) {
				captured.body = chunk ?? '';
				return res;
			},
		};
		const req = {
			method,
			url: parsed.pathname + parsed.search,
			originalUrl: parsed.pathname + parsed.search,
			query: Object.fromEntries(parsed.searchParams),
			headers: { 'user-agent': 'Mozilla/5.0' },
			body,
			params: {},
		};
		const webhookData = {
			httpMethod: method,
			node: NODE_NAME,
			path: node.id,
			webhookDescription: nodeType.description.webhooks!.find((w) => w.httpMethod === method)!,
			workflowId: workflow.id,
		} as unknown as IWebhookData;
		const data = { ...additionalDataFor(options.credentials), executionId: additionalData.executionId, httpRequest: req, httpResponse: res } as unknown as typeof additionalData;
		const webhookContext = new core.WebhookContext(workflow, node, data, 'webhook', webhookData, [], runExecutionData);
		const answer = (await nodeType.webhook!.call(webhookContext)) as IWebhookResponseData;
		if (answer.noWebhookResponse) return { status: captured.status, html: captured.body };
		return { status: 200, html: String(answer.webhookResponse ?? ''), resumedWith: answer.workflowData?.[0]?.map((item) => item.json) };
	};
	return { output, waitTill: runExecutionData.waitTill, follow };
}
