import type { Conversation, PumbleApi } from '../../../core';
import type { Params } from '../lib/params';

/** One operation of the `pumble` node: plain parameters in, Pumble's answer (or a receipt) out; what it is (reads, many) is the core's catalogue. */
export interface NodeRedOperation {
	/**
	 * The conversation the operation writes to: messages writing to one conversation run one after another
	 * in arrival order, however each names it (core/lanes/key.ts); the others run side by side.
	 */
	conversation?(params: Params): Conversation | undefined;
	run(api: PumbleApi, params: Params): Promise<unknown>;
}

export type ResourceOperations = Record<string, NodeRedOperation>;
