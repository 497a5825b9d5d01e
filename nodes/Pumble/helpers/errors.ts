/** Turns core errors into n8n's: NodeApiError for Pumble's answers, NodeOperationError for bad input. */
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import { PumbleApiError, PumbleInputError } from '../../../core';

export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof PumbleInputError) {
		return new NodeOperationError(node, `${error.message} [item ${itemIndex}]`, {
			itemIndex,
			description: error.hint,
		});
	}
	if (error instanceof PumbleApiError) {
		// Only what Pumble said and what we know: never request options (they carry the ApiKey header).
		const response: JsonObject = {
			operation: error.operation,
			message: error.apiMessage,
			outcome: error.outcome,
			...(error.status !== undefined ? { httpCode: String(error.status) } : {}),
			...(error.code !== undefined ? { code: error.code } : {}),
		};
		return new NodeApiError(node, response, {
			itemIndex,
			message: `${error.message} [item ${itemIndex}]`,
			description: error.hint,
			...(error.status !== undefined ? { httpCode: String(error.status) } : {}),
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, `${message} [item ${itemIndex}]`, { itemIndex });
}
