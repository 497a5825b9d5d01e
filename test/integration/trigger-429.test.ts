/**
 * A poll interrupted by 429s, over HTTP against the sandbox, through the real core client (the same
 * limiter, Retry-After handling and retries the trigger node uses inside n8n — its transport is n8n's
 * request helper instead of axios).
 *
 * The limiter window is shortened to 1.5 s: a 429 while the user's budget has room makes the shared
 * limiter learn a per-operation limit and hold that operation for a window, which with Pumble's real
 * one-minute window would make this test take minutes. Own file: the limiter registry is per process.
 */
import { PumbleApi, PumbleClient, createAxiosTransport } from '../../core/withAxios';
import { poll, pollSourceFor, type PollSource, type TriggerState } from '../../core/poller';
import { startSandbox, type Sandbox } from '../../sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	// The real clock: a Retry-After given as an HTTP date is computed from it.
	sandbox = await startSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

function sourceFor(apiKey: string): PollSource {
	const client = new PumbleClient({
		transport: createAxiosTransport({ apiKey, baseUrl: sandbox.url }),
		identity: `trigger-429-${apiKey}`,
		rateLimit: { limit: 1000, windowMs: 1500 },
	});
	return pollSourceFor(new PumbleApi(client));
}

it('a poll interrupted by 429s waits Retry-After, resumes, and loses or doubles nothing', async () => {
	const { general, random, carol } = sandbox.ids;
	const source = sourceFor(sandbox.keys.bob);
	const config = { event: 'newMessage' as const, channels: [general, random] };
	let state: TriggerState | undefined = (await poll(source, config, undefined)).state;
	const expected: string[] = [];
	for (let i = 0; i < 230; i++) {
		expected.push(`g${i}`);
		sandbox.postAs(carol, general, `g${i}`);
	}
	sandbox.postAs(carol, random, 'r');
	expected.push('r');
	// The first page and a later page of #general are refused; #random's read is refused too.
	sandbox.queueFault('429', { path: '/listMessages' });
	sandbox.queueFault('429-date', { path: '/listMessages' });
	const since = sandbox.log[sandbox.log.length - 1].seq;
	const started = Date.now();
	const result = await poll(source, config, state);
	state = result.state;
	expect(result.problems).toEqual([]);
	expect(Date.now() - started).toBeGreaterThanOrEqual(900); // Retry-After: 1 second, twice
	const refused = sandbox.log.filter((e) => e.seq > since && e.status === 429);
	expect(refused).toHaveLength(2);
	// every refused request was sent again and answered
	for (const r of refused) {
		expect(sandbox.log.some((e) => e.seq > r.seq && e.status === 200 && JSON.stringify(e.query) === JSON.stringify(r.query))).toBe(true);
	}
	expect(result.messages.map((m) => m.text).sort()).toEqual([...expected].sort());
	expect(result.messages.filter((m) => m.channelId === general).map((m) => m.text)).toEqual(expected.slice(0, -1));
	expect((await poll(source, config, state)).messages).toEqual([]);
}, 120_000);
