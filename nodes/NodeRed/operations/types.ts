import type { PumbleApi } from '../../../core';
import type { Params } from '../lib/params';

/** One operation of the `pumble` node: plain parameters in, Pumble's answer (or a receipt) out. */
export interface NodeRedOperation {
	/** The parameters a flow can give, for the editor's help and the payload contract. */
	params: string[];
	/** Whether the result is a list (one message per result, or one array with "single array"). */
	many?: boolean;
	/** Whether the operation changes nothing in Pumble (reads may run side by side freely). */
	readOnly?: boolean;
	run(api: PumbleApi, params: Params): Promise<unknown>;
}

export type ResourceOperations = Record<string, NodeRedOperation>;
