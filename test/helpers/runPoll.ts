/**
 * A polling trigger as an active n8n workflow runs it, on top of runNode's `runPoll` (n8n-core's real
 * PollContext, real HTTP), under either of n8n's polling regimes:
 *
 * - `memory` (n8n 2.8.4, the default): `state` is the static data the n8n process holds in memory between
 *   polls, whatever the poll did; `saved` is what n8n has written to its database. n8n saves a workflow's
 *   static data when the workflow is activated and each time a poll emits (ActiveWorkflowManager:
 *   `__emit` → `saveStaticData`), never after a poll that returned null or threw. `restart()` therefore
 *   continues from `saved`, as n8n does after a restart;
 * - `durable` (n8n's durable poll scheduler, `poller_state`): each poll starts from the committed
 *   cursor; the static data a poll leaves is committed only when it emits or returns null (an empty
 *   poll), never when it throws, and not for the activation poll. `state` and `saved` are then the same.
 *
 * Newer hosts' features are added to the context when asked: `getPollBudgetMs()`, an `__emit` that takes a
 * deduplication key (recorded in `keys`), and `getExecutionCancelSignal()`.
 * `emitted` collects every item of every emitting poll, in order.
 */
import type { IDataObject, INodeExecutionData, INodeParameters, INodeType, IPollFunctions } from 'n8n-workflow';

import { triggerMemory } from '../../core/poller';
import { PumbleTrigger } from '../../nodes/Pumble/PumbleTrigger.node';
import { runPoll, type HarnessCredentials, type RunPollResult } from './runNode';

export interface HostFeatures {
	regime?: 'memory' | 'durable';
	/** What `getPollBudgetMs()` answers; undefined: the host has no such method (n8n 2.8.4). */
	pollBudgetMs?: number;
	/** The host's `__emit` takes a deduplication key (a fourth parameter). */
	emitTakesKey?: boolean;
	/** What `getExecutionCancelSignal()` answers; undefined: the host has no such method for polls. */
	cancelSignal?: AbortSignal;
}

export interface PollOutcome {
	/** The emitted items' JSON (empty when the poll returned null or threw). */
	items: IDataObject[];
	error?: Error;
	result: RunPollResult;
}

export class PolledTrigger {
	state: IDataObject = {};
	saved: IDataObject = {};
	readonly emitted: IDataObject[] = [];
	/** The deduplication keys the node passed to a host emit that takes one, in order. */
	readonly keys: string[] = [];
	polls = 0;
	private hostEmits: INodeExecutionData[][][] = [];

	constructor(
		public parameters: INodeParameters,
		public credentials: HarnessCredentials,
		readonly node: INodeType = new PumbleTrigger(),
		public features: HostFeatures = {},
	) {
		// A new trigger is a new n8n process: nothing remembered from another test.
		triggerMemory.reset();
	}

	/** One scheduled poll (mode `trigger`); the first one is the activation. */
	async poll(): Promise<PollOutcome> {
		const activation = this.polls === 0;
		this.polls++;
		this.hostEmits = [];
		const result = await runPoll({ node: this.host(), parameters: this.parameters, credentials: this.credentials, staticData: this.state, mode: 'trigger' });
		if (activation && result.error) {
			// A failed activation leaves nothing behind: n8n does not activate the workflow.
			this.polls = 0;
			return { items: [], error: result.error, result };
		}
		const emittedData = [...(result.output ? [result.output] : []), ...this.hostEmits];
		const items = emittedData.flatMap((data) => (data[0] ?? []).map((item) => item.json));
		if (this.features.regime === 'durable') {
			// Committed with an emit or an empty poll; a throwing poll and the activation poll commit nothing.
			if (result.error || activation) this.state = structuredClone(this.saved);
			else this.saved = structuredClone((this.state = result.staticData));
		} else {
			this.state = result.staticData;
			if (activation || items.length > 0) this.saved = structuredClone(this.state);
		}
		this.emitted.push(...items);
		return { items, error: result.error, result };
	}

	/** n8n restarted: the in-memory static data and whatever the process remembered are gone; the saved copy is loaded. */
	restart(): void {
		this.state = structuredClone(this.saved);
		triggerMemory.reset();
	}

	/** "Fetch Test Event" / a manual run from the editor. */
	async manual(): Promise<PollOutcome> {
		const result = await runPoll({ node: this.host(), parameters: this.parameters, credentials: this.credentials, mode: 'manual' });
		return { items: (result.output?.[0] ?? []).map((item) => item.json), error: result.error, result };
	}

	/** The node, with the host features added to its poll context. */
	private host(): INodeType {
		const { features, node } = this;
		if (features.pollBudgetMs === undefined && !features.emitTakesKey && !features.cancelSignal) return node;
		const record = (data: INodeExecutionData[][], key: string | undefined) => {
			this.hostEmits.push(data);
			if (key !== undefined) this.keys.push(key);
		};
		return {
			description: node.description,
			methods: node.methods,
			async poll(this: IPollFunctions) {
				const context = this as unknown as Record<string, unknown>;
				if (features.pollBudgetMs !== undefined) context.getPollBudgetMs = () => features.pollBudgetMs;
				if (features.cancelSignal) context.getExecutionCancelSignal = () => features.cancelSignal;
				if (features.emitTakesKey) {
					context.__emit = (data: INodeExecutionData[][], _response?: unknown, _done?: unknown, deduplicationKey?: string) =>
						record(data, deduplicationKey);
				}
				return await node.poll!.call(this);
			},
		};
	}
}

/** The texts of items (what most assertions compare). */
export const texts = (items: IDataObject[]): string[] => items.map((item) => String(item.text));
