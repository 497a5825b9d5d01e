/**
 * Durable receipts: what a run already wrote, so a retry of it — after a failure or a crash — writes
 * only what did not arrive. `ledger.ts` keeps one run; the store is Redis when one is configured
 * (`limiter/redisSettings.ts`), otherwise files in a folder; `ranges.ts` tells a stopped run item by item.
 */
import * as path from 'node:path';

import { redisSettingsFromEnv } from '../limiter/redisSettings';
import { FileReceiptStore } from './fileStore';
import { DEFAULT_RECEIPT_TTL_MS } from './ledger';
import { RedisReceiptStore } from './redisStore';
import { MemoryReceiptStore, type ReceiptStore } from './store';

export * from './ledger';
export * from './ranges';
export * from './store';
export { FileReceiptStore } from './fileStore';
export { RedisReceiptStore } from './redisStore';

export interface ReceiptSettings {
	store: ReceiptStore;
	ttlMs: number;
}

/**
 * The receipt store this process uses, from the environment:
 * - `PUMBLE_RECEIPTS=off` keeps none (`memory`: this process only);
 * - Redis when the rate limiter shares one (`PUMBLE_RATE_LIMIT_REDIS_URL`, or n8n's queue mode);
 * - otherwise files in `PUMBLE_RECEIPTS_DIR`, by default `<defaultDir>/pumble-receipts`;
 * - `PUMBLE_RECEIPTS_TTL_HOURS` (default 168, 7 days): how long a stopped run's records are kept.
 * Undefined when off.
 */
export function receiptSettingsFromEnv(defaultDir: string, env: NodeJS.ProcessEnv = process.env): ReceiptSettings | undefined {
	const mode = env.PUMBLE_RECEIPTS?.trim().toLowerCase();
	if (mode === 'off' || mode === 'none' || mode === 'false' || mode === '0') return undefined;
	const hours = Number(env.PUMBLE_RECEIPTS_TTL_HOURS);
	const ttlMs = Number.isFinite(hours) && hours > 0 ? hours * 3_600_000 : DEFAULT_RECEIPT_TTL_MS;
	const key = JSON.stringify([mode, env.PUMBLE_RECEIPTS_DIR, defaultDir, ttlMs, redisSettingsFromEnv(env)]);
	if (current?.key !== key) {
		const redis = mode === 'memory' ? undefined : redisSettingsFromEnv(env);
		let store: ReceiptStore;
		if (mode === 'memory') store = new MemoryReceiptStore();
		else if (redis) store = new RedisReceiptStore(redis);
		else store = new FileReceiptStore(env.PUMBLE_RECEIPTS_DIR?.trim() || path.join(defaultDir, 'pumble-receipts'), ttlMs);
		void (current?.settings.store as { close?: () => Promise<void> } | undefined)?.close?.();
		current = { key, settings: { store, ttlMs } };
	}
	return current.settings;
}

let current: { key: string; settings: ReceiptSettings } | undefined;
