/**
 * The `pumble` node's parameters for one message: `msg.payload` (an object of parameters, or a string
 * taken as the text) with the node's own fields on top where they are set. Fields are Node-RED typed
 * inputs (`str`, `num`, `json`, `msg.`, `flow.`, `global.`, `env`, `jsonata`), evaluated per message.
 */
import { PumbleInputError } from '../../../core';
import type { Params } from './params';
import type { NodeMessage, RedApi, RedNode } from './red';

/** The node's typed-input fields: each has `<name>` (the value) and `<name>Type` (its type) in the config. */
export const FIELDS = ['channel', 'user', 'users', 'messageId', 'text', 'emoji', 'scheduledMessageId', 'sendAt', 'query', 'params'] as const;
export type FieldName = (typeof FIELDS)[number];

export type FieldConfig = Partial<Record<FieldName | `${FieldName}Type`, string>>;

/** A field's value for this message; a value that cannot be read (bad JSON, a failing JSONata) is bad input naming the field. */
function evaluate(RED: RedApi, node: RedNode, field: string, value: string, type: string, msg: NodeMessage): Promise<unknown> {
	return new Promise((resolve, reject) =>
		RED.util.evaluateNodeProperty(value, type, node, msg, (error, result) =>
			error
				? reject(
						new PumbleInputError(
							field,
							`The "${field}" field (${type}) could not be read: ${error instanceof Error ? error.message : String(error)}`,
							`Fix the "${field}" field in the node, or leave it empty to take "${field}" from msg.payload.`,
						),
					)
				: resolve(result),
		),
	);
}

export async function paramsFor(RED: RedApi, node: RedNode, config: FieldConfig, msg: NodeMessage): Promise<Params> {
	const payload = msg.payload;
	const params: Params =
		payload && typeof payload === 'object' && !Array.isArray(payload) ? { ...(payload as Params) } : typeof payload === 'string' ? { text: payload } : {};
	for (const field of FIELDS) {
		const value = config[field];
		const type = config[`${field}Type`] ?? 'str';
		// A field left empty is not set, whatever its type: the editor gives a new node `params: ""` of type json.
		if (value === undefined || value.trim() === '') continue;
		const resolved = await evaluate(RED, node, field, value, type, msg);
		if (resolved === undefined) continue;
		// "params": an object of further parameters (JSON or from the message), merged in.
		if (field === 'params') Object.assign(params, typeof resolved === 'object' && resolved !== null ? resolved : {});
		else params[field] = resolved;
	}
	return params;
}
