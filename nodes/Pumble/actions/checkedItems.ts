/**
 * Each item's input, read once and checked by the operation's catalogue entry (core/operations/) before any
 * request: n8n's parameters → the entry's neutral input (the action's `input`) → `entry.validate`. The operation
 * is the execution's (Resource and Operation read once, at item 0), or each item's when either is an expression
 * (then read once per item); each item's Options
 * collection is read once here and handed to the action and, through the checked item, to the router. Without
 * "Continue On Fail" the lowest-index bad item stops the node here, so bad input anywhere sends nothing; with
 * it, a bad item fails alone when its turn comes.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { catalogueEntry, type CatalogueEntry, type InputContext } from '../../../core';
import { toNodeError } from '../helpers/errors';
import { getOptions } from '../helpers/params';
import type { PumbleOperation } from './types';

export type CheckedItem =
	/** `options`: the item's Options collection as read for its input (e.g. On Retry: Skip Messages Already in the Channel). */
	| { ok: true; operation: PumbleOperation; entry: CatalogueEntry; valid: unknown; options: IDataObject }
	/** `entry` is missing when the operation itself is unknown. */
	| { ok: false; error: unknown; entry?: CatalogueEntry };

/** The execution's Resource and Operation, as the node read them. */
export interface Chosen {
	resource: string;
	operation: string;
}

export function checkItems(
	context: IExecuteFunctions,
	count: number,
	chosen: Chosen,
	resources: Record<string, { operations: Record<string, PumbleOperation> }>,
	continueOnFail: boolean,
): CheckedItem[] {
	const parameters = context.getNode().parameters;
	// Resource or Operation given as an expression may differ per item: read per item then (once each).
	const perItem = [parameters.resource, parameters.operation].some((value) => typeof value === 'string' && value.startsWith('='));
	const chosenFor = (i: number): Chosen =>
		perItem && i > 0 ? { resource: context.getNodeParameter('resource', i) as string, operation: context.getNodeParameter('operation', i) as string } : chosen;
	const timezone = context.getTimezone();
	const checked: CheckedItem[] = [];
	for (let i = 0; i < count; i++) {
		const { resource, operation: name } = chosenFor(i);
		const operation = Object.hasOwn(resources, resource) && Object.hasOwn(resources[resource].operations, name) ? resources[resource].operations[name] : undefined;
		const entry = catalogueEntry(resource, name);
		try {
			if (!operation || !entry) throw new Error(`The operation "${name}" of "${resource}" is not supported`);
			const hasOptions = operation.description.some((field) => field.name === 'options');
			const inputContext: InputContext = { timezone, fields: operation.fields };
			const options = hasOptions ? getOptions(context, i) : {};
			checked.push({ ok: true, operation, entry, options, valid: entry.validate(operation.input.call(context, i, options), inputContext) });
		} catch (error) {
			if (!continueOnFail) throw toNodeError(context.getNode(), error, i);
			checked.push({ ok: false, error, entry });
		}
	}
	return checked;
}
