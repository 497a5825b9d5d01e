/**
 * Durable receipts (core/receipts): the ledger of one run in each store, which run a retry finds (carried
 * over, or adopted from a crashed process), and the ranges a stopped run is told in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, appendFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import { FileReceiptStore, hashOf, MemoryReceiptStore, RunLedger, toRanges, describeFates, type ReceiptStore } from '../../core';

const scope = (over: Partial<Parameters<typeof RunLedger.open>[1]> = {}) => ({
	identity: 'key-hash',
	batch: ['wf1', 'Pumble', 0, { text: '={{ $json.text }}' }, [{ text: 'secret words' }, { text: 'more' }]],
	isRetry: false,
	...over,
});

/** A pid that no process has any more. */
function deadPid(): number {
	return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

const stores: Array<[string, () => ReceiptStore]> = [
	['memory', () => new MemoryReceiptStore()],
	['file', () => new FileReceiptStore(mkdtempSync(join(tmpdir(), 'pumble-receipts-')), 60_000)],
];

describe.each(stores)('a run in the %s store', (_, makeStore) => {
	test('a carried run ID gives back what was sent; a new run sees nothing; a finished run forgets', async () => {
		const store = makeStore();
		const first = await RunLedger.open(store, scope());
		expect(first.origin).toBe('new');
		await first.started(0, 'fp0');
		await first.sent(0, 'fp0', { id: 'm0', channelId: 'c1', text: 'secret words' });
		await first.started(1, 'fp1');
		await first.stopped();

		const retry = await RunLedger.open(store, scope({ carried: first.runId, isRetry: true }));
		expect(retry.origin).toBe('carried');
		expect(retry.recall(0, 'fp0')).toMatchObject({ state: 'sent', ids: { id: 'm0', channelId: 'c1' } });
		expect(retry.recall(0, 'fp0')?.ids).not.toHaveProperty('text');
		expect(retry.recall(1, 'fp1')).toMatchObject({ state: 'pending' });
		expect(retry.recall(0, 'changed input')).toBeUndefined();
		await retry.finished();

		expect((await RunLedger.open(store, scope())).recall(0, 'fp0')).toBeUndefined();
		const again = await RunLedger.open(store, scope({ carried: first.runId }));
		expect(again.recall(0, 'fp0')).toBeUndefined();
		await again.finished();
	});

	test("a retry adopts the open run of a crashed process with the same batch, and only that", async () => {
		const store = makeStore();
		const batchKey = hashOf(scope().identity, ...scope().batch);
		const crashedRun = 'crashed-run';
		const runKey = hashOf(scope().identity, crashedRun);
		await store.write(runKey, hashOf(0, 'fp0'), { state: 'sent', ids: { id: 'm0' }, at: Date.now() }, 60_000);
		await store.setOpen(batchKey, { runId: crashedRun, boot: 'an earlier process', pid: deadPid(), host: hostname(), beat: Date.now() }, 60_000);

		// not a retry: a new run (two identical sends in two runs are both sent)
		const fresh = await RunLedger.open(store, scope());
		expect(fresh.origin).toBe('new');
		expect(fresh.recall(0, 'fp0')).toBeUndefined();
		await fresh.stopped(); // closes only its own open run… which replaced the crashed one's: put it back
		await store.setOpen(batchKey, { runId: crashedRun, boot: 'an earlier process', pid: deadPid(), host: hostname(), beat: Date.now() }, 60_000);

		// another key, or another batch: nothing adopted
		expect((await RunLedger.open(store, scope({ identity: 'other key', isRetry: true }))).origin).toBe('new');
		const otherBatch = await RunLedger.open(store, scope({ batch: ['wf1', 'Pumble', 0, {}, [{ text: 'different' }]], isRetry: true }));
		expect(otherBatch.origin).toBe('new');
		await otherBatch.finished();

		const retry = await RunLedger.open(store, scope({ isRetry: true }));
		expect(retry.origin).toBe('adopted');
		expect(retry.runId).toBe(crashedRun);
		expect(retry.recall(0, 'fp0')).toMatchObject({ state: 'sent', ids: { id: 'm0' } });
		await retry.finished();
	});

	test('a run still going in a live process (this one) is not adopted', async () => {
		const store = makeStore();
		const running = await RunLedger.open(store, scope());
		await running.sent(0, 'fp0', { id: 'm0' });
		const retry = await RunLedger.open(store, scope({ isRetry: true }));
		expect(retry.origin).toBe('new');
		expect(retry.recall(0, 'fp0')).toBeUndefined();
		await retry.finished();
		await running.finished();
	});
});

test('the file store keeps no text and no key, reads past a line torn by a kill, and expires runs', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'pumble-receipts-'));
	let now = 1_000_000;
	const store = new FileReceiptStore(dir, 60_000, 100, () => now);
	const ledger = await RunLedger.open(store, scope({ identity: 'the-api-key-hash' }), 60_000, () => now);
	await ledger.sent(0, 'fp0', { id: 'm0', channelId: 'c1', text: 'secret words' });
	await ledger.stopped();
	const files = readdirSync(join(dir, 'runs'));
	expect(files).toHaveLength(1);
	const text = readFileSync(join(dir, 'runs', files[0]), 'utf8');
	expect(text).not.toMatch(/secret|the-api-key-hash/);
	appendFileSync(join(dir, 'runs', files[0]), '{"k":"torn');
	expect((await RunLedger.open(store, scope({ identity: 'the-api-key-hash', carried: ledger.runId }), 60_000, () => now)).recall(0, 'fp0')).toMatchObject({
		state: 'sent',
	});
	now = Date.now() + 120_000; // files' times are real: past the TTL
	expect((await store.readRun(hashOf('the-api-key-hash', ledger.runId))).size).toBe(0);
});

test('ranges and the account of a stopped run', () => {
	expect(toRanges([5, 0, 1, 2, 3, 7, 9, 8])).toBe('0–3, 5, 7–9');
	expect(toRanges([])).toBe('');
	const account = describeFates(
		[{ kind: 'sent', id: 'a', alreadySent: true }, { kind: 'sent', id: 'b' }, { kind: 'notSent' }, { kind: 'unknown' }, { kind: 'notStarted' }, { kind: 'notStarted' }],
		'HINT',
	);
	expect(account).toBe(
		[
			'What happened to the 6 items:',
			'Sent (2) (1 of them by an earlier run): items 0–1; message IDs: 0 → a, 1 → b.',
			'Failed, not sent (1): items 2.',
			'Never started (2): items 4–5.',
			'Outcome unknown (1): items 3 — look in Pumble before sending them again.',
			'HINT',
		].join('\n'),
	);
	expect(describeFates([{ kind: 'sent', id: 'a' }], 'HINT')).toBeUndefined();
});

test('a failing store is asked once per run, then left alone: the run goes on, and says its receipts are incomplete', async () => {
	let calls = 0;
	const failing = new MemoryReceiptStore();
	failing.write = async () => {
		calls++;
		throw new Error('connection refused');
	};
	const ledger = await RunLedger.open(failing, scope());
	for (let i = 0; i < 50; i++) {
		await ledger.started(i, `fp${i}`);
		await ledger.sent(i, `fp${i}`, { id: `m${i}` });
	}
	await ledger.stopped();
	expect(calls).toBe(1);
	expect(ledger.degraded).toBe('connection refused');
	expect(ledger.recall(7, 'fp7')).toMatchObject({ state: 'sent' }); // this run still knows (Retry On Fail)
});
