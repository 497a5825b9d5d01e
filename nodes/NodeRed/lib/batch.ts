/**
 * Node-RED: a batch of messages marked `msg._pumbleBatch = "<key>"` resumes after a redeploy or a restart
 * without sending twice. Each write to a conversation (send, reply, DM, reaction, edit, delete) of the batch is recorded in the receipt store (core/receipts: Redis
 * when PUMBLE_RATE_LIMIT_REDIS_URL is set, otherwise files in Node-RED's user folder,
 * `<userDir>/pumble-receipts`); when the flow sends the batch again under the same key, a message already
 * sent is not sent: its `msg.payload` is `{ id, channelId, alreadySent: true }`. A message is known by its
 * operation and parameters and by its occurrence among the batch's identical messages (the 2nd identical
 * "item 7" stays the 2nd), so the flow must send the batch again in the same order. A batch's records
 * expire 7 days after its last write (PUMBLE_RECEIPTS_TTL_HOURS).
 */
import * as os from 'node:os';
import * as path from 'node:path';

import { hashOf, receiptSettingsFromEnv, RunLedger, withEarlierAttempt } from '../../../core';

export const BATCH_PROPERTY = '_pumbleBatch';

export class BatchReceipts {
	private readonly ledgers = new Map<string, Promise<RunLedger | undefined>>();
	private readonly occurrences = new Map<string, Map<string, number>>();

	constructor(
		private readonly identity: string,
		private readonly nodeId: string,
		private readonly userDir: string = path.join(os.homedir(), '.node-red'),
	) {}

	private ledger(batch: string): Promise<RunLedger | undefined> {
		let found = this.ledgers.get(batch);
		if (!found) {
			const settings = receiptSettingsFromEnv(this.userDir);
			found = settings
				? RunLedger.open(settings.store, { identity: this.identity, batch: ['node-red', this.nodeId, batch], carried: hashOf('node-red batch', this.nodeId, batch), isRetry: false }, settings.ttlMs)
				: Promise.resolve(undefined);
			this.ledgers.set(batch, found);
		}
		return found;
	}

	/**
	 * Runs one write of a batch: returns the earlier receipt (alreadySent) if the batch already sent this
	 * message, otherwise sends it and records it.
	 */
	async write<T>(batch: string, fingerprint: unknown, send: () => Promise<T>): Promise<T | Record<string, unknown>> {
		const ledger = await this.ledger(batch);
		if (!ledger) return await send();
		const print = hashOf(fingerprint);
		const seen = this.occurrences.get(batch) ?? new Map<string, number>();
		this.occurrences.set(batch, seen);
		const occurrence = seen.get(print) ?? 0;
		seen.set(print, occurrence + 1);
		const earlier = ledger.recall(occurrence, print);
		if (earlier?.state === 'sent') return { ...earlier.ids, alreadySent: true };
		await ledger.started(occurrence, print);
		const outcome = await (earlier?.state === 'pending' ? withEarlierAttempt(earlier.at, send) : send()).then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if ('value' in outcome) {
			await ledger.sent(occurrence, print, outcome.value);
			return outcome.value;
		}
		const unknown = (outcome.error as { outcome?: string } | undefined)?.outcome === 'unknown';
		if (!unknown) await ledger.notSent(occurrence, print);
		return await Promise.reject(outcome.error);
	}

	/** The node closes: the batches stay recorded for the next deploy. */
	async close(): Promise<void> {
		for (const ledger of this.ledgers.values()) await (await ledger)?.stopped();
		this.ledgers.clear();
		this.occurrences.clear();
	}
}
