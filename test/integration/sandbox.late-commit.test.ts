/**
 * The Pumble sandbox over real HTTP: the late-commit fault (no answer, the request applied later), and every
 * switch through every door (options, the admin endpoint, the CLI).
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import { sandboxHttpSuite } from '../helpers/sandboxHttp';

const http = sandboxHttpSuite();
const { clock, call } = http;
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = http.sandbox;
});

describe('fault late-commit: no answer, and the request is applied later', () => {
	/** The request as fetch sends it: 'dropped' when the connection ended with no answer. */
	const dropped = (path: string, body: unknown) =>
		fetch(sandbox.url + path, {
			method: 'POST',
			headers: { ApiKey: sandbox.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		}).then(
			() => 'answered',
			() => 'dropped',
		);
	const withText = (text: string) => sandbox.state.messages.filter((m) => m.text === text);

	it.each([
		['sendMessage', () => ({ channelId: sandbox.ids.general, text: 'late send' })],
		['sendReply', () => ({ channelId: sandbox.ids.random, messageId: sandbox.ids.randomThreadRoot, text: 'late send' })],
		['dmUser', () => ({ userId: sandbox.ids.bob, text: 'late send' })],
		['dmGroup', () => ({ userIds: [sandbox.ids.bob, sandbox.ids.carol], text: 'late send' })],
	])('%s: dropped unanswered, nothing written; committed once, at the later time', async (operation, body) => {
		sandbox.queueFault('late-commit', { path: operation, lateCommitMs: 3_600_000 });
		expect(await dropped('/' + operation, body())).toBe('dropped');
		expect(withText('late send')).toHaveLength(0);
		const entry = sandbox.log[sandbox.log.length - 1];
		expect(entry).toMatchObject({ path: '/' + operation, fault: 'late-commit', status: 0, lateCommit: { ts: null, status: null } });

		clock.now += 5_000;
		expect(sandbox.commitLate()).toBe(1);
		expect(withText('late send')).toHaveLength(1);
		expect(withText('late send')[0].timestampMilli).toBe(Math.floor(clock.now / 1000) * 1000);
		expect(entry.lateCommit).toEqual({ ts: clock.now, status: 200 });
		expect(sandbox.commitLate()).toBe(0);
		expect(withText('late send')).toHaveLength(1);
	});

	it('commits on its own after lateCommitMs (option), and counts nothing toward the rate limit', async () => {
		sandbox.configure({ lateCommitMs: 20, rateLimit: { limit: 1, windowMs: 60_000 } });
		sandbox.queueFault('late-commit');
		expect(await dropped('/sendMessage', { channelId: sandbox.ids.general, text: 'on its own' })).toBe('dropped');
		while (withText('on its own').length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		expect(withText('on its own')).toHaveLength(1);
		expect((await call('GET', '/myInfo')).status).toBe(200); // the one allowed request is still free
	});

	it('a late request that fails validation writes nothing and records its status', async () => {
		sandbox.queueFault('late-commit', { path: 'sendMessage' });
		await dropped('/sendMessage', { channelId: 'f'.repeat(24), text: 'nowhere' });
		sandbox.commitLate();
		expect(withText('nowhere')).toHaveLength(0);
		expect(sandbox.log[sandbox.log.length - 1].lateCommit).toEqual({ ts: clock.now, status: 403 });
	});

	it('reset() drops pending commits', async () => {
		sandbox.queueFault('late-commit');
		await dropped('/sendMessage', { channelId: sandbox.ids.general, text: 'forgotten' });
		sandbox.reset();
		expect(sandbox.commitLate()).toBe(0);
		expect(withText('forgotten')).toHaveLength(0);
	});

	it('can be queued and committed over the admin endpoints, and drawn as a random fault', async () => {
		expect((await call('POST', '/__sandbox/fault', { fault: 'late-commit', path: '/sendMessage', lateCommitMs: 3_600_000 }, {})).status).toBe(200);
		expect(await dropped('/sendMessage', { channelId: sandbox.ids.general, text: 'via admin' })).toBe('dropped');
		expect(withText('via admin')).toHaveLength(0);
		expect((await call('POST', '/__sandbox/commit', {}, {})).json).toEqual({ committed: 1 });
		expect(withText('via admin')).toHaveLength(1);

		sandbox.configure({ lateCommitMs: 3_600_000, faults: { rate: 1, kinds: ['late-commit'] } });
		expect(await dropped('/sendMessage', { channelId: sandbox.ids.general, text: 'random' })).toBe('dropped');
		sandbox.configure({ faults: undefined });
		expect(sandbox.commitLate()).toBe(1);
		expect(withText('random')).toHaveLength(1);
	});

	it('a delay beyond what a timer holds stays pending instead of firing at once (bounded, no overflow warning)', async () => {
		const warnings: string[] = [];
		const onWarning = (warning: Error) => warnings.push(warning.name);
		process.on('warning', onWarning);
		try {
			// 194 days: a Node timer would clamp it to 1 ms.
			sandbox.queueFault('late-commit', { lateCommitMs: 16_744_174_031 });
			expect(await dropped('/sendMessage', { channelId: sandbox.ids.general, text: 'far future' })).toBe('dropped');
			// A timer created after the commit's and due later: an unbounded commit timer (1 ms) would fire first.
			await new Promise((resolve) => setTimeout(resolve, 10));
			expect(withText('far future')).toHaveLength(0);
			expect(warnings).not.toContain('TimeoutOverflowWarning');
		} finally {
			process.off('warning', onWarning);
		}
		expect(sandbox.commitLate()).toBe(1);
	});
});

describe('the switches through every door', () => {
	it('startSandbox options, GET/POST /__sandbox/config (validated), and configure()', async () => {
		const other = await startSandbox({ listAfterOrder: 'oldestFirst', botDm: 'botOwnDm', lateCommitMs: 5 });
		try {
			const config = await fetch(other.url + '/__sandbox/config').then((r) => r.json());
			expect(config).toMatchObject({ listAfterOrder: 'oldestFirst', botDm: 'botOwnDm', lateCommitMs: 5 });
		} finally {
			await other.close();
		}

		const defaults = (await call('GET', '/__sandbox/config', undefined, {})).json;
		expect(defaults).toMatchObject({ listAfterOrder: 'newestFirst', botDm: 'botInUserDm', lateCommitMs: 2000 });
		const patched = await call('POST', '/__sandbox/config', { listAfterOrder: 'oldestFirst', botDm: 'asUser', lateCommitMs: 50 }, {});
		expect(patched.json).toMatchObject({ listAfterOrder: 'oldestFirst', botDm: 'asUser', lateCommitMs: 50 });
		const sent = await call('POST', '/dmUser', { userId: sandbox.ids.bob, text: 'as user', asBot: true });
		expect(sandbox.state.messages.find((m) => m.id === sent.json.id)?.author).toBe(sandbox.ids.ada);

		for (const bad of [{ listAfterOrder: 'sideways' }, { botDm: 'nobody' }, { lateCommitMs: -1 }]) {
			expect((await call('POST', '/__sandbox/config', bad, {})).status).toBe(400);
		}
		expect((await call('POST', '/__sandbox/fault', { fault: 'late-commit', lateCommitMs: 'soon' }, {})).status).toBe(400);
	});
});
