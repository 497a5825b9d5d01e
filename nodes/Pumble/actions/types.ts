import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * One operation = one file exporting its n8n fields and how an item's parameters become the neutral input
 * of its catalogue entry (core/operations/): the entry checks that input, names its lane and runs it.
 */
export interface PumbleOperation {
	description: INodeProperties[];
	/**
	 * The item's parameters as the entry's neutral input, each read once (n8n evaluates a parameter on every
	 * read); `options` is the item's Options collection, read once by the router (empty for an operation without one).
	 */
	input(this: IExecuteFunctions, itemIndex: number, options: IDataObject): unknown;
	/** n8n's names of the input's fields where they differ (e.g. `after` → `filters.after`), for error messages. */
	fields?: Readonly<Record<string, string>>;
	/** n8n's own shaping of the entry's result (Simplify); without it the result is the output as it is. */
	output?(this: IExecuteFunctions, result: unknown, itemIndex: number): IDataObject | IDataObject[];
}
