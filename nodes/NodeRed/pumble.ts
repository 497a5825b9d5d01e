/**
 * `pumble`: runs one Pumble operation per incoming message: its entry of the core's catalogue
 * (core/catalogue.ts), with the message's parameters mapped to the entry's input (operations/), read once and
 * checked by the entry before anything is sent, in the entry's lane (core/lanes/runner.ts). The result goes
 * to `msg.payload` (a list: one message per result, or one array with "single array"); failures go to
 * `done(err)` so Catch nodes see them: the message and hint, `msg.error.code` the kind, `msg.error.cause` the facts.
 */
import { checkedInput } from './operations';
import { BATCH_PROPERTY, BatchReceipts } from './lib/batch';
import { describeError, nodeRedError } from './lib/errors';
import { LaneRunner } from '../../core';
import { FieldConfig, paramsFor } from './lib/inputs';
import type { PumbleConfigNode, RedApi, RedNode } from './lib/red';
import { NodeStatusBoard } from './lib/status';

type PumbleNodeConfig = FieldConfig & {
	name?: string;
	pumble: string;
	/** A resource name, or `msg` to take `msg.resource` / `msg.operation`. */
	resource: string;
	operation: string;
	singleArray?: boolean;
};

export = function register(RED: RedApi): void {
	function Pumble(this: RedNode, config: PumbleNodeConfig): void {
		RED.nodes.createNode(this, config);
		start(this, config);
	}

	function start(node: RedNode, config: PumbleNodeConfig): void {
		const configNode = RED.nodes.getNode(config.pumble) as PumbleConfigNode | null;
		if (!configNode) {
			node.status({ fill: 'red', shape: 'ring', text: 'no Pumble config' });
			node.on('input', (_msg, _send, done) => done(new Error('Choose a Pumble config node (your API key) in this node.')));
			return;
		}
		const board = new NodeStatusBoard(node);
		// Closing the node (a redeploy, Node-RED stopping) cancels what is still queued: it is never sent.
		const closing = new AbortController();
		const api = configNode.createApi(board.events, closing.signal, `node:${node.id}`);
		// Writes of a batch marked msg._pumbleBatch are recorded, so the batch resumes after a restart (lib/batch.ts).
		const receipts = new BatchReceipts(api.client.identity, node.id, RED.settings?.userDir);
		node.on('close', (_removed, done) => {
			closing.abort();
			board.close();
			void receipts.close().then(() => done());
		});
		// One conversation's writes keep their arrival order (core/lanes/runner.ts); the rest run side by side.
		const lanes = new LaneRunner();

		node.on('input', (msg, send, done) => {
			board.received();
			const fromMessage = config.resource === 'msg';
			const resource = String(fromMessage ? msg.resource : config.resource);
			const operation = String(fromMessage ? msg.operation : config.operation);
			// The message's parameters are evaluated once, now (JSONata, flow. and global. fields read once),
			// and checked by the entry: its lane and its run both use these values.
			const checked = (async () => {
				const params = await paramsFor(RED, node, config, msg);
				return { params, ...checkedInput(resource, operation, params) };
			})();
			checked.catch(() => undefined); // bad input is reported by the run, when the message's turn comes
			const lane = checked.then(({ entry, valid }) => entry.lane?.(api, valid));
			const run = async (): Promise<void> => {
				const { entry, valid, params } = await checked;
				const batch = (msg as Record<string, unknown>)[BATCH_PROPERTY];
				const result =
					typeof batch === 'string' && batch !== '' && entry.ordered
						? await receipts.write(batch, [resource, operation, params], () => entry.run(api, valid))
						: await entry.run(api, valid);
				if (entry.many && !config.singleArray) {
					// One message per result with msg.parts as Node-RED's Split node sets them, so a Join node in
					// automatic mode puts the list back together (an earlier sequence is kept in parts.parts).
					const list = Array.isArray(result) ? result : [result];
					const id = RED.util.generateId();
					send([
						list.map((value, index) => {
							const out = RED.util.cloneMessage(msg);
							const parts: Record<string, unknown> = { id, type: 'array', count: list.length, len: 1, index };
							if (out.parts !== undefined) parts.parts = out.parts;
							return { ...out, parts, payload: value };
						}),
					]);
				} else {
					msg.payload = result;
					send(msg);
				}
			};
			void lanes.submit(lane, async () => {
				try {
					await run();
					board.finished();
					done();
				} catch (error) {
					board.finished(describeError(error).message);
					done(nodeRedError(error, msg));
				}
			});
		});
	}
	RED.nodes.registerType('pumble', Pumble as never);
};
