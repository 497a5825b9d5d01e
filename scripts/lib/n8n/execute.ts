/** `n8n execute --id` and its run data: the types of what n8n prints, how to cut it from stdout, and node outputs. */
import { describeFailure, type CommandResult } from './command';
import { runN8n } from './cli';
import type { N8nHome } from './home';

export interface RunItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }> | number;
	binary?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface NodeRun {
	startTime?: number;
	executionTime?: number;
	executionStatus?: string;
	data?: { main?: Array<RunItem[] | null> };
	error?: { message?: string; description?: string; [key: string]: unknown };
	source?: unknown;
	[key: string]: unknown;
}

export interface N8nRun {
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
			error?: { message?: string; [key: string]: unknown };
		};
		[key: string]: unknown;
	};
	status?: string;
	finished?: boolean;
	[key: string]: unknown;
}

export interface ExecuteResult extends CommandResult {
	/** The run data (lines from the first line exactly `{` to the last line exactly `}`). */
	run: N8nRun;
	/** The same lines, unparsed. */
	runText: string;
	runData: Record<string, NodeRun[]>;
}

/** Lines from the first line exactly `{` to the last line exactly `}`; undefined when there is none. */
export function extractRunJson(stdout: string): string | undefined {
	const lines = stdout.split(/\r?\n/);
	const first = lines.findIndex((l) => l === '{');
	let last = -1;
	for (let i = lines.length - 1; i >= 0; i--) {
		if (lines[i] === '}') {
			last = i;
			break;
		}
	}
	if (first < 0 || last < first) return undefined;
	return lines.slice(first, last + 1).join('\n');
}

export interface ExecuteOptions {
	/** Return (do not throw) when n8n exits non-zero, e.g. to assert on a workflow error. */
	allowFailure?: boolean;
	timeoutMs?: number;
}

/** `n8n execute --id=<id> --rawOutput` → parsed run data; throws on a non-zero exit or missing run data. */
export async function executeWorkflow(home: N8nHome, id: string, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
	const r = await runN8n(home, ['execute', `--id=${id}`, '--rawOutput'], opts.timeoutMs ?? 180_000);
	if (r.code !== 0 && !opts.allowFailure) throw new Error(describeFailure(`executing workflow ${id}`, r));
	const runText = extractRunJson(r.stdout);
	if (runText === undefined) {
		throw new Error(describeFailure(`executing workflow ${id} (no run data on stdout: no line "{" … "}")`, r));
	}
	let run: N8nRun;
	try {
		run = JSON.parse(runText) as N8nRun;
	} catch (err) {
		throw new Error(`${describeFailure(`parsing the run data of workflow ${id}`, r)}\n${String(err)}`);
	}
	const runData = run?.data?.resultData?.runData;
	if (!runData || typeof runData !== 'object') throw new Error(describeFailure(`executing workflow ${id} (run data has no data.resultData.runData)`, r));
	return { ...r, run, runText, runData };
}

/** Items a node produced (first run, first output by default). */
export function nodeItems(result: ExecuteResult, nodeName: string, output = 0, runIndex = 0): RunItem[] {
	const runs = result.runData[nodeName];
	if (!runs || !runs[runIndex]) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(result.runData).join(', ')})`);
	return runs[runIndex].data?.main?.[output] ?? [];
}
