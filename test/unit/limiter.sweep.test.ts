/**
 * No leak — limiters of users not seen for a while are dropped, with their
 * operation classes and what the registry remembered of their keys.
 */
import { identityOf, PumbleClient, RateLimiterRegistry, Transport } from '../../core';
import { ENDPOINTS } from '../../core/http/endpoints';

const pumble: Transport = {
	async send(request) {
		if (request.path === '/myInfo') return { status: 200, headers: {}, body: { id: `user-of-${request.query?.k ?? 'x'}` } };
		if (request.path === '/sendMessage') return { status: 429, headers: { 'retry-after': '0.01' }, body: {} };
		return { status: 200, headers: {}, body: [] };
	},
};

describe('the registry', () => {
	it('drops users, their operation classes and remembered keys once idle, never while units are held', async () => {
		const registry = new RateLimiterRegistry({ idleMs: 1_000, redis: null });
		const client = new PumbleClient({ transport: pumble, identity: identityOf('key-1'), registry, rateLimit: { limit: 100, windowMs: 200 }, operationLimits: { sendMessage: 5 }, retry: { maxRateLimitRetries: 1 } });
		await client.call(ENDPOINTS.listUsers);
		await client.call(ENDPOINTS.sendMessage, { body: {} }).catch(() => undefined); // a send class with its own window
		const limiter = await client.userLimiter();
		expect(limiter.operationLimit('sendMessage')).toBeDefined();
		expect(registry.size).toBe(1); // the user's only: the key's own limiter went once its user was known
		expect(registry.rememberedKeys).toBe(1);

		registry.sweep(Date.now() + 5_000);
		expect(registry.size).toBe(1); // the user's units are still out: kept

		await new Promise((resolve) => setTimeout(resolve, 400)); // every unit back
		registry.sweep(Date.now() + 5_000);
		expect(registry.size).toBe(0);
		registry.sweep(Date.now() + 60_000);
		expect(registry.rememberedKeys).toBe(0);
		await registry.close();
	});

	it('drops an idle operation class of a user that is still active', async () => {
		const registry = new RateLimiterRegistry({ idleMs: 1_000, redis: null });
		const limiter = registry.get('user:busy', { limit: 100, windowMs: 100 });
		for (let i = 0; i < 6; i++) await limiter.schedule('sendMessage', async () => ({ status: 200 }), { refused: () => false });
		await limiter.onRateLimited('sendMessage', Date.now(), 1); // 6 accepted, then a 429: a learned limit
		expect(limiter.operationCount).toBe(1);
		await new Promise((resolve) => setTimeout(resolve, 200));
		limiter.lastUsed = Date.now() + 10_000; // the user keeps working
		registry.sweep(Date.now() + 5_000);
		expect(registry.size).toBe(1);
		expect(limiter.operationCount).toBe(0);
		await registry.close();
	});
});
