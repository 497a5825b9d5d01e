import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../core';

/** One operation = one file exporting its fields and how to run it for one item. */
export interface PumbleOperation {
	description: INodeProperties[];
	/** Returns the item's output: one object, or several (one output item each). */
	execute(this: IExecuteFunctions, api: PumbleApi, itemIndex: number): Promise<IDataObject | IDataObject[]>;
	/** Reads change nothing in Pumble, so they may always run concurrently. */
	readOnly?: boolean;
	/**
	 * Items sharing a lane run one after another in item order (messages to one channel arrive in order);
	 * items without a lane run concurrently.
	 */
	lane?(this: IExecuteFunctions, itemIndex: number): string | undefined;
}
