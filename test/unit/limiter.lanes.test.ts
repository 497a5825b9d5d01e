/**
 * The whole budget is used — requests for different channels, and reads, run
 * concurrently (bounded) — while one channel's messages keep item order.
 */
import { ITEM_CONCURRENCY, LaneRunner, PumbleClient, runInLanes, Transport, TransportRequest, UserRateLimiter } from '../../core';
import { ENDPOINTS } from '../../core/http/endpoints';

/** Answers after a random 1–15 ms, so requests overtake each other unless something keeps them in order. */
function jitteryPumble() {
	const arrivals: Array<{ channel: string; item: number }> = [];
	let inFlight = 0;
	let mostInFlight = 0;
	const transport: Transport = {
		async send(request: TransportRequest) {
			const body = request.body as { channelId: string; text: string };
			arrivals.push({ channel: body.channelId, item: Number(body.text) });
			inFlight++;
			mostInFlight = Math.max(mostInFlight, inFlight);
			await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 14));
			inFlight--;
			return { status: 200, headers: {}, body: { id: 'm', channelId: body.channelId } };
		},
	};
	return { transport, arrivals, mostInFlight: () => mostInFlight };
}

/**
 * Holds every request until `batch` are in flight (or every request of the run has arrived), then answers
 * them together: how many the limiter lets out at once shows without any timing. Were fewer let out,
 * the batch would never fill: `stalled` says so after a while, instead of a hang.
 */
function gatedPumble(total: number, batch: number) {
	let waiting: Array<() => void> = [];
	let arrived = 0;
	let inFlight = 0;
	let mostInFlight = 0;
	let stalled = false;
	const release = () => {
		const now = waiting;
		waiting = [];
		for (const answer of now) answer();
	};
	const transport: Transport = {
		async send() {
			arrived++;
			inFlight++;
			mostInFlight = Math.max(mostInFlight, inFlight);
			await new Promise<void>((resolve) => {
				waiting.push(resolve);
				if (waiting.length >= batch || arrived === total) release();
				else
					setTimeout(() => {
						if (waiting.includes(resolve)) {
							stalled = true;
							release();
						}
					}, 5_000).unref();
			});
			inFlight--;
			return { status: 200, headers: {}, body: { id: 'm', channelId: 'r' } };
		},
	};
	return { transport, mostInFlight: () => mostInFlight, stalled: () => stalled };
}

describe('items in lanes', () => {
	it('keep item order within a channel while channels run side by side', async () => {
		const pumble = jitteryPumble();
		const limiter = new UserRateLimiter('lanes-user', { limit: 10_000, windowMs: 1_000, maxConcurrent: 200 });
		const client = new PumbleClient({ transport: pumble.transport, identity: 'k', limiter });
		const channels = ['a', 'b', 'c', 'd', 'e', 'f'];
		const results = await runInLanes({
			count: 300,
			concurrency: ITEM_CONCURRENCY,
			laneOf: (i) => `channel:${channels[i % channels.length]}`,
			work: (i) => client.call(ENDPOINTS.sendMessage, { body: { channelId: channels[i % channels.length], text: String(i) } }),
		});
		expect(results.every((r) => r?.ok)).toBe(true);
		for (const channel of channels) {
			const items = pumble.arrivals.filter((a) => a.channel === channel).map((a) => a.item);
			expect(items).toEqual([...items].sort((x, y) => x - y));
			expect(items).toHaveLength(50);
		}
		// One at a time per channel, all channels at once.
		expect(pumble.mostInFlight()).toBe(channels.length);
	});

	it('run reads concurrently, up to the bound', async () => {
		const pumble = gatedPumble(600, ITEM_CONCURRENCY);
		const limiter = new UserRateLimiter('reads-user', { limit: 10_000, windowMs: 1_000, maxConcurrent: 200 });
		const client = new PumbleClient({ transport: pumble.transport, identity: 'k', limiter });
		await runInLanes({
			count: 600,
			concurrency: ITEM_CONCURRENCY,
			laneOf: () => undefined,
			work: (i) => client.call(ENDPOINTS.searchMessages, { body: { channelId: 'r', text: String(i) } }),
		});
		expect(pumble.stalled()).toBe(false);
		expect(pumble.mostInFlight()).toBe(ITEM_CONCURRENCY);
	});

	it('never have more of one user\'s requests in flight than the limiter allows, across executions', async () => {
		const pumble = gatedPumble(600, 30);
		const limiter = new UserRateLimiter('inflight-user', { limit: 10_000, windowMs: 1_000, maxConcurrent: 30 });
		const executions = [0, 1, 2].map(() => new PumbleClient({ transport: pumble.transport, identity: 'k', limiter }));
		await Promise.all(
			executions.map((client) =>
				runInLanes({
					count: 200,
					concurrency: ITEM_CONCURRENCY,
					laneOf: () => undefined,
					work: (i) => client.call(ENDPOINTS.searchMessages, { body: { channelId: 'r', text: String(i) } }),
				}),
			),
		);
		expect(pumble.stalled()).toBe(false);
		expect(pumble.mostInFlight()).toBe(30);
	});
});

describe('the lane runner, fed one item at a time (Node-RED)', () => {
	it('keeps submission order in a lane even when an earlier lane key resolves last', async () => {
		const runner = new LaneRunner();
		const started: number[] = [];
		let resolveSlowKey!: (key: string) => void;
		const slowKey = new Promise<string>((resolve) => (resolveSlowKey = resolve));
		const work = (item: number) => async () => {
			started.push(item);
			await new Promise((resolve) => setTimeout(resolve, 2));
			return item;
		};
		// Item 0's key (a channel name being looked up) comes late; items 1 and 2 name the channel by ID.
		const runs = [runner.submit(slowKey, work(0)), runner.submit('channel:c1', work(1)), runner.submit(Promise.resolve('channel:c1'), work(2))];
		// Every later item is placed after item 0, whatever its lane: placing is in submission order.
		const other = runner.submit(undefined, work(3));
		await new Promise((resolve) => setTimeout(resolve, 5));
		expect(started).toEqual([]);
		resolveSlowKey('channel:c1');
		expect(await Promise.all([...runs, other])).toEqual([0, 1, 2, 3]);
		expect(started.indexOf(0)).toBeLessThan(started.indexOf(1));
		expect(started.indexOf(1)).toBeLessThan(started.indexOf(2));
	});

	it('a lane key that fails means no lane; the work still runs and reports for itself', async () => {
		const runner = new LaneRunner();
		await expect(runner.submit(Promise.reject(new Error('bad channel')), async () => 'ran')).resolves.toBe('ran');
		await expect(runner.submit('x', async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
		await expect(runner.submit('x', async () => 'after a failure')).resolves.toBe('after a failure');
	});
});
