/**
 * The trigger's place in each channel, kept in the node's context under one key. With a persistent
 * context store (Node-RED's `localfilesystem`), the place survives restarts; the callback forms work with
 * every store, synchronous or not.
 */
import type { RedNode } from './red';

const KEY = 'pumbleTriggerState';

export function loadState<T>(node: RedNode, store?: string): Promise<T | undefined> {
	return new Promise((resolve, reject) =>
		node.context().get(KEY, store, (error, value) => (error ? reject(error) : resolve(value as T | undefined))),
	);
}

export function saveState(node: RedNode, state: unknown, store?: string): Promise<void> {
	return new Promise((resolve, reject) => node.context().set(KEY, state, store, (error) => (error ? reject(error) : resolve())));
}
