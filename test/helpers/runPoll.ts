/**
 * A polling trigger as an active n8n workflow runs it, on top of runNode's `runPoll` (n8n-core's real
 * PollContext, real HTTP):
 *
 * - `state` is the static data the n8n process holds in memory between polls;
 * - `saved` is what n8n has written to its database. n8n 2.8.4 saves a workflow's static data when the
 *   workflow is activated and each time a poll emits (ActiveWorkflowManager: `__emit` →
 *   `saveStaticData`), never after a poll that returned null or threw. `restart()` therefore continues
 *   from `saved`, as n8n does after a restart;
 * - `emitted` collects every item of every emitting poll, in order.
 */
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { triggerMemory } from '../../nodes/Pumble/core/poller';
import { PumbleTrigger } from '../../nodes/Pumble/PumbleTrigger.node';
import { runPoll, type HarnessCredentials, type RunPollResult } from './runNode';

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
	polls = 0;

	constructor(
		public parameters: INodeParameters,
		public credentials: HarnessCredentials,
		readonly node: INodeType = new PumbleTrigger(),
	) {
		// A new trigger is a new n8n process: nothing remembered from another test.
		triggerMemory.reset();
	}

	/** One scheduled poll (mode `trigger`); the first one is the activation. */
	async poll(): Promise<PollOutcome> {
		const activation = this.polls === 0;
		this.polls++;
		const result = await runPoll({ node: this.node, parameters: this.parameters, credentials: this.credentials, staticData: this.state, mode: 'trigger' });
		if (activation && result.error) {
			// A failed activation leaves nothing behind: n8n does not activate the workflow.
			this.polls = 0;
			return { items: [], error: result.error, result };
		}
		this.state = result.staticData;
		const items = (result.output?.[0] ?? []).map((item) => item.json);
		if (activation || items.length > 0) this.saved = structuredClone(this.state);
		this.emitted.push(...items);
		return { items, error: result.error, result };
	}

	/** n8n restarted: the in-memory static data is gone; the saved copy is loaded. */
	restart(): void {
		this.state = structuredClone(this.saved);
	}

	/** "Fetch Test Event" / a manual run from the editor. */
	async manual(): Promise<PollOutcome> {
		const result = await runPoll({ node: this.node, parameters: this.parameters, credentials: this.credentials, mode: 'manual' });
		return { items: (result.output?.[0] ?? []).map((item) => item.json), error: result.error, result };
	}
}

/** The texts of items (what most assertions compare). */
export const texts = (items: IDataObject[]): string[] => items.map((item) => String(item.text));
