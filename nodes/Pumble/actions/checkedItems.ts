/**
 * Each item's operation and its input, read once and checked by the operation's catalogue entry
 * (core/operations/) before any request: n8n's parameters → the entry's neutral input (the action's `input`)
 * → `entry.validate`. Without "Continue On Fail" the lowest-index bad item stops the node here, so bad input
 * anywhere sends nothing; with it, a bad item fails alone when its turn comes.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { catalogueEntry, type CatalogueEntry, type InputContext } from '../../../core';
import { toNodeError } from '../helpers/errors';
import type { PumbleOperation } from './types';

export type CheckedItem =
	| { ok: true; operation: PumbleOperation; entry: CatalogueEntry; valid: unknown }
	/** `entry` is missing when the operation itself is unknown. */
	| { ok: false; error: unknown; entry?: CatalogueEntry };

export function checkItems(
	context: IExecuteFunctions,
	count: number,
	resources: Record<string, { operations: Record<string, PumbleOperation> }>,
	continueOnFail: boolean,
): CheckedItem[] {
	const timezone = context.getTimezone();
	const checked: CheckedItem[] = [];
	for (let i = 0; i < count; i++) {
		let entry: CatalogueEntry | undefined;
		try {
			const resource = context.getNodeParameter('resource', i) as string;
			const name = context.getNodeParameter('operation', i) as string;
			const operation = resources[resource]?.operations[name];
			entry = catalogueEntry(resource, name);
			if (!operation || !entry) throw new Error(`The operation "${name}" of "${resource}" is not supported`);
			const inputContext: InputContext = { timezone, fields: operation.fields };
			checked.push({ ok: true, operation, entry, valid: entry.validate(operation.input.call(context, i), inputContext) });
		} catch (error) {
			if (!continueOnFail) throw toNodeError(context.getNode(), error, i);
			checked.push({ ok: false, error, entry });
		}
	}
	return checked;
}
