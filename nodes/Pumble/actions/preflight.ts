/**
 * Checks every item's input before the first request, with each operation's own code: the operation runs
 * against a PumbleApi whose client refuses to send. The core validates an item's input before its first
 * request, so an item whose run reaches a request has input that needs no request to check; an item that
 * throws before it has bad input. Nothing is sent and nothing is written twice.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { PumbleApi, PumbleClient } from '../../../core';
import { toNodeError } from '../helpers/errors';
import type { PumbleOperation } from './types';

/** The dry run reached a request: the item's input passed every check that needs no answer from Pumble. */
class RequestReached extends Error {
	constructor() {
		super('The input check reached a request');
		this.name = 'RequestReached';
	}
}

/** A client that ends the dry run at the first request instead of sending it. */
class RefusingClient extends PumbleClient {
	constructor(identity: string) {
		super({ identity, transport: { send: () => Promise.reject(new RequestReached()) } });
	}

	override async call<T>(): Promise<T> {
		throw new RequestReached();
	}
}

/**
 * Runs each item's operation up to its first request; throws the n8n error of the lowest-index item whose
 * input is bad. `identity` is the real client's, so lists already cached for this key (channels, users)
 * let name and email lookups go on without a request.
 */
export async function checkInputs(
	context: IExecuteFunctions,
	count: number,
	operationOf: (itemIndex: number) => PumbleOperation,
	identity: string,
): Promise<void> {
	const api = new PumbleApi(new RefusingClient(identity));
	for (let i = 0; i < count; i++) {
		try {
			await operationOf(i).execute.call(context, api, i);
		} catch (error) {
			if (error instanceof RequestReached) continue;
			throw toNodeError(context.getNode(), error, i);
		}
	}
}
