/**
 * Receipts in Redis, shared by every n8n process (queue mode's workers and main): a hash per run
 * (`pumble:receipts:run:<run>`, a field per item) and a string per running batch
 * (`pumble:receipts:open:<batch>`), each expiring `ttlMs` after its last write. Keys are hashes.
 */
import Redis, { type RedisOptions } from 'ioredis';

import type { RedisSettings } from '../limiter/redisSettings';
import type { ItemRecord, OpenRun, ReceiptStore } from './store';

const PREFIX = 'pumble:receipts:';
const CLOSE_IF_MINE = `local v = redis.call('GET', KEYS[1]) if v and cjson.decode(v).runId == ARGV[1] then redis.call('DEL', KEYS[1]) end return 0`;

export class RedisReceiptStore implements ReceiptStore {
	readonly kind = 'redis';
	private readonly client: Redis;

	constructor(settings: RedisSettings) {
		const options: RedisOptions = {
			connectTimeout: 3_000,
			commandTimeout: 5_000,
			maxRetriesPerRequest: 1,
			retryStrategy: (times) => Math.min(250 * 2 ** Math.min(times, 6), 15_000),
			connectionName: 'pumble-receipts',
			lazyConnect: true,
			...(settings.url
				? {}
				: { host: settings.host, port: settings.port, username: settings.username, password: settings.password, db: settings.db, tls: settings.tls ? {} : undefined }),
		};
		this.client = settings.url ? new Redis(settings.url, options) : new Redis(options);
		this.client.on('error', () => undefined); // a failing command rejects; the ledger decides
	}

	async readRun(runId: string): Promise<Map<string, ItemRecord>> {
		const fields = await this.client.hgetall(`${PREFIX}run:${runId}`);
		return new Map(Object.entries(fields).map(([key, value]) => [key, JSON.parse(value) as ItemRecord]));
	}

	async write(runId: string, itemKey: string, record: ItemRecord | undefined, ttlMs: number): Promise<void> {
		const key = `${PREFIX}run:${runId}`;
		const multi = this.client.multi();
		if (record) multi.hset(key, itemKey, JSON.stringify(record));
		else multi.hdel(key, itemKey);
		await multi.pexpire(key, ttlMs).exec();
	}

	async dropRun(runId: string): Promise<void> {
		await this.client.del(`${PREFIX}run:${runId}`);
	}

	async getOpen(batchKey: string): Promise<OpenRun | undefined> {
		const value = await this.client.get(`${PREFIX}open:${batchKey}`);
		return value ? (JSON.parse(value) as OpenRun) : undefined;
	}

	async setOpen(batchKey: string, open: OpenRun, ttlMs: number): Promise<void> {
		await this.client.set(`${PREFIX}open:${batchKey}`, JSON.stringify(open), 'PX', ttlMs);
	}

	async closeOpen(batchKey: string, runId: string): Promise<void> {
		await this.client.eval(CLOSE_IF_MINE, 1, `${PREFIX}open:${batchKey}`, runId);
	}

	async close(): Promise<void> {
		this.client.disconnect();
	}
}
