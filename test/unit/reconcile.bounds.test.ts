/**
 * Reconciliation's bounds: cancellation, what is not reconciled, and the record of answered sends.
 */
import { PumbleApiError } from '../../core/errors';
import { answeredSends, AnsweredSends, SendReconciler } from '../../core/reconcile';
import { world, toChannel } from './reconcile.world';

describe('cancellation', () => {
	it('a send cancelled in flight is reported as it is: no look, no resend', async () => {
		const w = world({ outcomes: ['cancelled-in-flight'] });
		const error = (await w.reconciler.send(w.sendTo(toChannel, 'stop')).catch((e: unknown) => e)) as PumbleApiError;
		expect(error).toMatchObject({ outcome: 'unknown', cancelled: true });
		expect(w.reads).toEqual([]);
		expect(w.sends).toBe(1);
	});

	it('cancelled during the settle wait: no look, no resend, outcome unknown and cancelled', async () => {
		const controller = new AbortController();
		const w = world({ outcomes: ['not-processed'], signal: controller.signal });
		const send = w.sendTo(toChannel, 'stopped while settling');
		const error = (await w.reconciler
			.send({
				...send,
				send: async (hooks) => {
					try {
						return await send.send(hooks);
					} finally {
						controller.abort();
					}
				},
			})
			.catch((e: unknown) => e)) as PumbleApiError;
		expect(error).toBeInstanceOf(PumbleApiError);
		expect(error).toMatchObject({ outcome: 'unknown', cancelled: true });
		expect(error.message).toMatch(/cancelled before it could be checked/);
		expect(w.reads).toEqual([]);
		expect(w.sends).toBe(1);
	});

	it('a real cancellable wait: the settle delay ends when the signal fires', async () => {
		const controller = new AbortController();
		const w = world({ outcomes: ['not-processed'] });
		const reconciler = new SendReconciler(w.api, { settleMs: 60_000, landingMs: 60_000 }, controller.signal);
		const pending = reconciler.send(w.sendTo(toChannel, 'long settle')).catch((e: unknown) => e);
		setImmediate(() => controller.abort());
		const error = (await pending) as PumbleApiError;
		expect(error).toMatchObject({ outcome: 'unknown', cancelled: true });
		expect(w.reads).toEqual([]);
	});
});

describe('what is not reconciled', () => {
	it('a refusal (403): thrown as is, no look', async () => {
		const w = world({ outcomes: ['rejected'] });
		await expect(w.reconciler.send(w.sendTo(toChannel, 'x'))).rejects.toMatchObject({ outcome: 'rejected', status: 403 });
		expect(w.reads).toEqual([]);
		expect(w.sends).toBe(1);
	});

	it('certainly not processed (refused connection, 429 after all retries): thrown as is, no look', async () => {
		const w = world({ outcomes: ['refused'] });
		await expect(w.reconciler.send(w.sendTo(toChannel, 'x'))).rejects.toMatchObject({ outcome: 'notProcessed' });
		expect(w.reads).toEqual([]);
	});

	it('a look that keeps failing: outcome unknown, said clearly, nothing sent again', async () => {
		const w = world({ outcomes: ['lost-after-posting'], failLooks: 100 });
		const error = (await w.reconciler.send(w.sendTo(toChannel, 'unsure')).catch((e: unknown) => e)) as PumbleApiError;
		expect(error).toBeInstanceOf(PumbleApiError);
		expect(error.outcome).toBe('unknown');
		expect(error.message).toMatch(/checking whether the message arrived failed too/);
		expect(error.hint).toMatch(/may or may not have been posted\. Look in channel cccccccccccccccccccccc01 before running this item again/);
		expect(w.sends).toBe(1);
		expect(w.reads.length).toBe(3); // three looks, each failing at its first read
	});

	it('a look that fails once is repeated', async () => {
		const w = world({ outcomes: ['lost-after-posting'], failLooks: 1 });
		const receipt = await w.reconciler.send(w.sendTo(toChannel, 'second look'));
		expect(receipt.reconciled).toBe(true);
		expect(w.sends).toBe(1);
	});
});

describe('the record of answered sends', () => {
	it('is bounded per key', async () => {
		const identity = `bounded-${Math.random()}`;
		for (let i = 0; i < 25_000; i++) answeredSends.add(identity, `id-${i}`);
		expect(answeredSends.size(identity)).toBe(20_000);
		expect(answeredSends.has(identity, 'id-0')).toBe(false);
		expect(answeredSends.has(identity, 'id-24999')).toBe(true);
	});

	it('forgets after ten minutes', () => {
		const identity = `aging-${Math.random()}`;
		const t0 = Date.now();
		answeredSends.add(identity, 'old', t0);
		answeredSends.add(identity, 'new', t0 + 11 * 60_000);
		expect(answeredSends.has(identity, 'old')).toBe(false);
		expect(answeredSends.has(identity, 'new')).toBe(true);
	});

	it('forgets keys: 1,000 credentials\' records are gone once they age out', () => {
		const record = new AnsweredSends(60_000, 100);
		const t0 = Date.now();
		for (let k = 0; k < 1_000; k++) for (let i = 0; i < 10; i++) record.add(`key-${k}`, `id-${k}-${i}`, t0);
		expect(record.identities).toBe(1_000);
		record.sweep(t0 + 61_000);
		expect(record.identities).toBe(0);
		expect(record.has('key-1', 'id-1-1', t0 + 61_000)).toBe(false);
	});

	it('holds at most maxIdentities keys (least recently used dropped first)', () => {
		const record = new AnsweredSends(60_000, 10, 50);
		for (let k = 0; k < 200; k++) record.add(`key-${k}`, 'id');
		expect(record.identities).toBe(50);
		expect(record.has('key-199', 'id')).toBe(true);
		expect(record.has('key-0', 'id')).toBe(false);
	});

	it('is per key: another key\'s answered send may be claimed', () => {
		answeredSends.add('key-a', 'shared-id');
		expect(answeredSends.has('key-b', 'shared-id')).toBe(false);
	});
});
