import type { Conversation, PumbleApi } from '../../../core';
import type { Params } from '../lib/params';

/** One operation of the `pumble` node: plain parameters in, Pumble's answer (or a receipt) out. */
export interface NodeRedOperation {
	/** Whether the result is a list (one message per result, or one array with "single array"). */
	many?: boolean;
	/**
	 * The conversation the operation writes to: messages writing to one conversation run one after another
	 * in arrival order, however each names it (core/lanes/key.ts); the others run side by side.
	 */
	conversation?(params: Params): Conversation | undefined;
	run(api: PumbleApi, params: Params): Promise<unknown>;
}

export type ResourceOperations = Record<string, NodeRedOperation>;
