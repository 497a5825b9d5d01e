/**
 * `pumble-trigger`: polls Pumble with the core's poller and sends one message per new Pumble message
 * (or per reaction added, per edit seen), oldest first. The poller's state (its place in each channel) is saved in the node's context right after
 * the messages are sent, so with a persistent context store nothing is missed or sent twice across a
 * restart. A channel that cannot be read is reported (Catch nodes see it) and keeps its place.
 */
import { dueReports, markReported, poll, pollSourceFor, TriggerState } from '../../core/poller';
import { loadState, saveState } from './lib/contextState';
import { describeError, errorText } from './lib/errors';
import type { PumbleConfigNode, RedApi, RedNode } from './lib/red';
import { pollConfigOf, TriggerNodeConfig } from './lib/triggerConfig';

export = function register(RED: RedApi): void {
	function PumbleTrigger(this: RedNode, config: TriggerNodeConfig): void {
		RED.nodes.createNode(this, config);
		start(this, config);
	}

	function start(node: RedNode, config: TriggerNodeConfig): void {
		const configNode = RED.nodes.getNode(config.pumble) as PumbleConfigNode | null;
		if (!configNode) {
			node.status({ fill: 'red', shape: 'ring', text: 'no Pumble config' });
			return;
		}
		const pollConfig = pollConfigOf(config);
		// Closing the node cancels a running poll: nothing more is read, and its state is not saved.
		const closing = new AbortController();
		const source = pollSourceFor(
			configNode.createApi({ rateLimited: () => node.status({ fill: 'yellow', shape: 'ring', text: 'waiting for rate limit' }) }, closing.signal, `poll:${node.id}`),
		);
		const intervalMs = Math.max(1, Number(config.interval) || 60) * 1000;
		let running: Promise<void> | undefined;
		let closed = false;

		const pollOnce = async (): Promise<void> => {
			const previous = await loadState<TriggerState>(node, config.store || undefined);
			const result = await poll(source, pollConfig, previous, { signal: closing.signal });
			for (const event of result.events) {
				node.send({ payload: event.json, topic: event.json.channelId, event: pollConfig.event });
			}
			const due = dueReports(result);
			if (due.length > 0) markReported(result.state, due);
			await saveState(node, result.state, config.store || undefined);
			// With a message, so Catch nodes see it (Node-RED passes errors without one to the log only).
			for (const problem of due) {
				const text = `Pumble Trigger cannot read channel ${problem.channel}: ${errorText(describeError(problem.error))}`;
				node.error(text, { topic: problem.channel, payload: { channel: problem.channel, failingSince: problem.failure.since } });
			}
			node.status(
				result.problems.length > 0
					? { fill: 'red', shape: 'ring', text: `${result.problems.length} channel(s) failing` }
					: { fill: 'green', shape: 'dot', text: result.firstRun ? 'watching from now' : `${result.events.length} new` },
			);
		};

		const tick = (): void => {
			if (running || closed) return; // never two polls of one node at once
			running = pollOnce()
				.catch((error: unknown) => {
					if (closing.signal.aborted) return; // stopped on purpose
					node.status({ fill: 'red', shape: 'ring', text: describeError(error).message.slice(0, 60) });
					node.error(`Pumble Trigger: ${errorText(describeError(error))}`, { payload: {} });
				})
				.finally(() => (running = undefined));
		};
		const timer = setInterval(tick, intervalMs);
		setImmediate(tick);

		node.on('close', (_removed, done) => {
			closed = true;
			clearInterval(timer);
			closing.abort();
			void (running ?? Promise.resolve()).finally(done);
		});
	}
	RED.nodes.registerType('pumble-trigger', PumbleTrigger as never);
};
