/**
 * The limiter patches private members of Bottleneck (pinned to exactly 2.19.5 in
 * package.json). Each test here fails if its patch no longer takes effect — a Bottleneck upgrade that
 * renames the member, or a change that stops applying the patch.
 */
import Bottleneck from 'bottleneck';

import { RollingWindow } from '../../core/limiter';
import { fastLocalDatastore, quietEvents, startWithoutClock, understandRedis7Errors, withoutRedis7Prefix } from '../../core/limiter/bottleneckAdapter';
import packageJson from '../../package.json';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Events = require('bottleneck/lib/Events') as { prototype: { trigger(...args: unknown[]): Promise<unknown> } };

/** Runs `count` jobs that hold nothing through `window`. */
const burst = (window: RollingWindow, count: number) =>
	Promise.all(Array.from({ length: count }, () => window.run(async () => undefined, { holdMs: () => 0 })));

describe('the Bottleneck the limiter is written for', () => {
	it('is pinned to the exact version the patches were written against', () => {
		expect(packageJson.dependencies.bottleneck).toBe('2.19.5');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		expect((require('bottleneck/package.json') as { version: string }).version).toBe('2.19.5');
	});
});

describe('the local datastore without the 1 ms clamp (_store.yieldLoop)', () => {
	afterEach(() => jest.restoreAllMocks());

	it('finds its member on the pinned version', () => {
		expect(fastLocalDatastore(new Bottleneck())).toBe(true);
	});

	it('leaves a local window one zero-delay timer per job (Bottleneck\'s start), where Bottleneck alone adds one per datastore step', async () => {
		const spy = jest.spyOn(global, 'setTimeout');
		const zeroDelayTimers = () => spy.mock.calls.filter(([, ms]) => !ms).length;
		const plain = new Bottleneck({ maxConcurrent: 10 });
		await Promise.all(Array.from({ length: 20 }, () => plain.schedule(async () => undefined)));
		expect(zeroDelayTimers()).toBeGreaterThanOrEqual(3 * 20);

		spy.mockClear();
		const window = new RollingWindow({ id: 'patched-store', limit: 10, windowMs: 1_000 });
		await burst(window, 20);
		expect(zeroDelayTimers()).toBe(20);
		await window.stop();
	});
});

describe('jobs that start without consulting the clock (_store._nextRequest)', () => {
	it('finds its member on the pinned version (its effect: test/unit/limiter.timers.test.ts)', () => {
		expect(startWithoutClock(new Bottleneck())).toBe(true);
	});
});

describe('events nobody listens to are skipped (Events.trigger)', () => {
	afterEach(() => jest.restoreAllMocks());

	it('finds its member on the pinned version', () => {
		expect(quietEvents(new Bottleneck())).toBe(true);
	});

	it('announces nothing for a job when nobody listens, where Bottleneck alone announces every step', async () => {
		const trigger = jest.spyOn(Events.prototype, 'trigger');
		/** Announcements of the limiter itself (its queues have an emitter of their own, with Bottleneck's own listeners). */
		const announcements = (bottleneck: Bottleneck) => trigger.mock.contexts.filter((context) => context === (bottleneck as unknown as { Events: unknown }).Events).length;
		const plain = new Bottleneck({ maxConcurrent: 10 });
		await plain.schedule(async () => undefined);
		expect(announcements(plain)).toBeGreaterThanOrEqual(5);

		const window = new RollingWindow({ id: 'quiet-events', limit: 10, windowMs: 1_000 });
		await burst(window, 20);
		expect(announcements(window.bottleneck)).toBe(0);
		await window.stop();
	});

	it('still announces to a listener, debug included', async () => {
		const window = new RollingWindow({ id: 'heard-events', limit: 10, windowMs: 1_000 });
		const heard: string[] = [];
		window.bottleneck.on('debug', (message: string) => heard.push(message));
		await burst(window, 1);
		expect(heard.some((message) => message.includes('executing'))).toBe(true);
		await window.stop();
	});
});

describe('Redis 7 script errors Bottleneck must recognise (IORedisConnection.__scriptFn__)', () => {
	it('strips the "ERR " prefix from exactly Bottleneck\'s own errors', () => {
		expect(withoutRedis7Prefix('ERR SETTINGS_KEY_NOT_FOUND')).toBe('SETTINGS_KEY_NOT_FOUND');
		expect(withoutRedis7Prefix('ERR UNKNOWN_CLIENT')).toBe('UNKNOWN_CLIENT');
		expect(withoutRedis7Prefix('ERR OVERWEIGHT:3:2')).toBe('OVERWEIGHT:3:2');
		expect(withoutRedis7Prefix('ERR wrong number of arguments')).toBe('ERR wrong number of arguments');
	});

	it('wraps the script functions of the pinned version, passing the stripped error to Bottleneck', () => {
		const replies: unknown[] = [];
		const connection = {
			__scriptFn__: (name: string) => (...args: unknown[]) => {
				const callback = args[args.length - 1] as (error: unknown, replies: unknown) => void;
				callback(new Error(`ERR SETTINGS_KEY_NOT_FOUND`), name);
			},
		};
		expect(understandRedis7Errors(connection as unknown as Bottleneck.IORedisConnection)).toBe(true);
		connection.__scriptFn__('submit')('key', (error: Error, reply: unknown) => replies.push(error.message, reply));
		expect(replies).toEqual(['SETTINGS_KEY_NOT_FOUND', 'submit']);
		// The real connection class of the pinned version has the member the patch wraps.
		expect(typeof (Bottleneck.IORedisConnection.prototype as unknown as { __scriptFn__?: unknown }).__scriptFn__).toBe('function');
	});
});
