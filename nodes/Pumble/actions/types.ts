import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Conversation, PumbleApi } from '../../../core';

/** One operation = one file exporting its fields and how to run it for one item. */
export interface PumbleOperation {
	description: INodeProperties[];
	/** Returns the item's output: one object, or several (one output item each). */
	execute(this: IExecuteFunctions, api: PumbleApi, itemIndex: number): Promise<IDataObject | IDataObject[]>;
	/** Reads change nothing in Pumble, so they may always run concurrently. */
	readOnly?: boolean;
	/**
	 * The conversation the item writes to: items writing to one conversation run one after another in item
	 * order, however each names it (core/lanes/key.ts); items without one run concurrently.
	 */
	conversation?(this: IExecuteFunctions, itemIndex: number): Conversation | undefined;
}
