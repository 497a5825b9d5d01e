/**
 * The Pumble Trigger's `poll` with n8n-core's real PollContext, over HTTP, against the sandbox: what an
 * active workflow would emit, poll after poll, and what Pumble was asked.
 */
import type { INodeType } from 'n8n-workflow';

import { PumbleTrigger } from '../../nodes/Pumble/PumbleTrigger.node';
import { getChannels } from '../../nodes/Pumble/methods/loadOptions';
import { runListSearch, runNode, runPoll } from '../helpers/runNode';
import type { Sandbox } from '../../sandbox';
import { PolledTrigger, texts } from '../helpers/runPoll';
import { triggerSuite } from '../helpers/triggerSuite';

const suite = triggerSuite();
const { tick, credentials, trigger, requests, lastSeq } = suite;
const post = (user: 'bob' | 'carol' | 'ada', channel: string, text: string, opts?: Parameters<Sandbox['postAs']>[3]) =>
	suite.sandbox.postAs(suite.sandbox.ids[user], channel, text, opts);

describe('activation and the manual sample', () => {
	it('activation starts from now: nothing old is emitted, one small read per channel', async () => {
		const { general, random } = suite.sandbox.ids;
		const t = trigger({ channels: [general, random] });
		const activation = await t.poll();
		expect(activation.error).toBeUndefined();
		expect(activation.result.output).toBeNull();
		// (the client learns the key's user from /myInfo once per key and process: not part of the poll)
		expect(requests().filter((e) => e.path !== '/myInfo').map((e) => [e.path, e.query.channelId, e.query.limit, e.query.cursor])).toEqual([
			['/listMessages', general, '20', undefined],
			['/listMessages', random, '20', undefined],
		]);
		expect(t.saved).toEqual(t.state);
		expect(Object.keys((t.state.state as { channels: object }).channels)).toEqual([general, random]);
	});

	it('a manual run returns the newest matching message as a sample and touches no state', async () => {
		const { general, random } = suite.sandbox.ids;
		tick(60_000);
		post('carol', random, 'the newest from Carol');
		post('ada', general, 'my own, not a sample');
		const t = trigger({ channels: [general, random] });
		const manual = await t.manual();
		expect(manual.error).toBeUndefined();
		expect(texts(manual.items)).toEqual(['the newest from Carol']);
		expect(manual.items[0]).toMatchObject({ channelId: random, author: suite.sandbox.ids.carol, timestampMilli: expect.any(Number) });
		expect(manual.result.staticData).toEqual({});
	});

	it('a manual run with nothing matching says so', async () => {
		const t = trigger({ event: 'mention', channels: [suite.sandbox.ids.general] });
		const manual = await t.manual();
		expect(manual.error?.message).toBe('No message in the watched channels matches yet');
	});

	it('activation fails clearly when a chosen channel cannot be read, and saves nothing', async () => {
		const { general, hiring } = suite.sandbox.ids;
		const t = trigger({ channels: [general, hiring] });
		const activation = await t.poll();
		expect(activation.error?.name).toBe('NodeOperationError');
		expect(activation.error?.message).toMatch(new RegExp(`cannot read 1 of 2 channels — ${hiring}: .*HTTP 403.*Could not find channel`));
		expect((activation.error as { description?: string }).description).toMatch(/private channels and DMs need membership/);
		expect(t.saved).toEqual({});
	});
});

describe('new messages', () => {
	it('emits what arrived between polls once, oldest first; a quiet poll is one listMessages AFTER per channel', async () => {
		const { general, random, adaBobDm } = suite.sandbox.ids;
		const t = trigger({ channels: [general, random, adaBobDm] });
		await t.poll();
		tick(60_000);
		post('bob', general, 'g1');
		tick();
		post('carol', random, 'r1');
		post('bob', adaBobDm, 'dm1');
		post('bob', general, 'g2');
		const first = await t.poll();
		expect(texts(first.items)).toEqual(['g1', 'r1', 'dm1', 'g2']);
		const since = lastSeq();
		const quiet = await t.poll();
		expect(quiet.result.output).toBeNull();
		expect(requests(since).map((e) => [e.path, e.query.strategy])).toEqual([
			['/listMessages', 'AFTER'],
			['/listMessages', 'AFTER'],
			['/listMessages', 'AFTER'],
		]);
	});

	it('several messages in the same second, before and after a poll in that second, each once', async () => {
		const { general } = suite.sandbox.ids;
		const t = trigger({ channels: [general] });
		await t.poll();
		tick(60_000);
		post('bob', general, 'a');
		post('carol', general, 'b');
		expect(texts((await t.poll()).items)).toEqual(['a', 'b']);
		post('bob', general, 'c'); // the same second as a and b, after the poll
		post('carol', general, 'd');
		expect(texts((await t.poll()).items)).toEqual(['c', 'd']);
		expect(texts((await t.poll()).items)).toEqual([]);
	});

	it('more than a page between two polls: every message, in order, in pages of 100', async () => {
		const { general } = suite.sandbox.ids;
		const t = trigger({ channels: [general] });
		await t.poll();
		const posted: string[] = [];
		for (let i = 0; i < 260; i++) {
			if (i % 9 === 0) tick();
			posted.push(`m${i}`);
			post(i % 2 ? 'bob' : 'carol', general, `m${i}`);
		}
		const since = lastSeq();
		expect(texts((await t.poll()).items)).toEqual(posted);
		const reads = requests(since).filter((e) => e.path === '/listMessages');
		expect(reads.map((e) => e.query.strategy)).toEqual(['AFTER', 'AFTER', 'AFTER']);
	});

	it('a restart continues from the state n8n saved: nothing lost, nothing twice', async () => {
		const { general } = suite.sandbox.ids;
		const t = trigger({ channels: [general] });
		await t.poll();
		post('bob', general, 'before restart');
		expect(texts((await t.poll()).items)).toEqual(['before restart']);
		// a poll whose only news is filtered out: n8n does not save it
		post('ada', general, 'own, filtered');
		expect((await t.poll()).items).toEqual([]);
		tick(60_000);
		post('bob', general, 'while n8n was down 1');
		post('carol', general, 'while n8n was down 2');
		t.restart();
		expect(texts((await t.poll()).items)).toEqual(['while n8n was down 1', 'while n8n was down 2']);
		t.restart();
		expect(texts((await t.poll()).items)).toEqual([]);
		expect(texts(t.emitted)).toEqual(['before restart', 'while n8n was down 1', 'while n8n was down 2']);
	});
});

describe('own and bot messages', () => {
	it('a workflow posting into the watched channel — as the user or as the bot — does not trigger itself', async () => {
		const { general } = suite.sandbox.ids;
		const t = trigger({ channels: [general] });
		await t.poll();
		for (const asBot of [false, true]) {
			const sent = await runNode({
				parameters: { resource: 'message', operation: 'send', channel: { __rl: true, mode: 'id', value: general }, text: `posted by a workflow (asBot ${asBot})`, options: { asBot } },
				credentials: credentials(),
			});
			expect(sent.error).toBeUndefined();
		}
		post('bob', general, 'from Bob');
		expect(texts((await t.poll()).items)).toEqual(['from Bob']);
	});

	it('includes own and bot messages when asked', async () => {
		const { general } = suite.sandbox.ids;
		const t = trigger({ channels: [general], options: { includeOwnMessages: true, includeBotMessages: true } });
		await t.poll();
		post('ada', general, 'mine');
		post('ada', general, 'my bot', { asBot: true });
		post('bob', general, 'bob');
		expect(texts((await t.poll()).items)).toEqual(['mine', 'my bot', 'bob']);
	});

	it('text filter', async () => {
		const { general } = suite.sandbox.ids;
		const t = trigger({ channels: [general], options: { textFilter: 'invoice' } });
		await t.poll();
		post('bob', general, 'New INVOICE #7');
		post('bob', general, 'lunch?');
		expect(texts((await t.poll()).items)).toEqual(['New INVOICE #7']);
	});
});

describe('thread replies', () => {
	it('new replies in old and new threads, once; only changed threads are fetched', async () => {
		const { random, general, randomThreadRoot } = suite.sandbox.ids;
		const t = trigger({ event: 'newReply', channels: [random, general] });
		await t.poll();
		tick(60_000);
		post('carol', random, 'reply to the old thread', { threadRootId: randomThreadRoot });
		const root = post('bob', general, 'a new root');
		post('carol', general, 'reply to the new root', { threadRootId: root.id });
		post('bob', general, 'broadcast reply', { threadRootId: root.id, alsoSendToChannel: true });
		post('bob', general, 'not a reply');
		const since = lastSeq();
		expect(texts((await t.poll()).items)).toEqual(['reply to the old thread', 'reply to the new root', 'broadcast reply']);
		expect(requests(since).filter((e) => e.path === '/fetchThreadReplies').map((e) => e.query.rootMessageId)).toEqual([randomThreadRoot, root.id]);
		const quietSince = lastSeq();
		expect(texts((await t.poll()).items)).toEqual([]);
		expect(requests(quietSince).map((e) => e.path)).toEqual(['/listMessages', '/listMessages']);
		post('bob', general, 'one more', { threadRootId: root.id });
		expect(texts((await t.poll()).items)).toEqual(['one more']);
	});

	it('new messages with thread replies: a reply sent to the channel too comes once', async () => {
		const { general } = suite.sandbox.ids;
		const t = trigger({ channels: [general], options: { includeReplies: true } });
		const root = post('bob', general, 'root');
		await t.poll();
		tick();
		post('carol', general, 'reply', { threadRootId: root.id });
		post('carol', general, 'reply to channel too', { threadRootId: root.id, alsoSendToChannel: true });
		post('bob', general, 'top');
		expect(texts((await t.poll()).items)).toEqual(['reply', 'reply to channel too', 'top']);
		expect(texts((await t.poll()).items)).toEqual([]);
	});
});

describe('mentions', () => {
	it("mentions of the key's user and of their groups, in messages and thread replies", async () => {
		const { general, random, randomThreadRoot, ada, bob, userGroup } = suite.sandbox.ids;
		const t = trigger({ event: 'mention', channels: [general, random] });
		await t.poll();
		tick(60_000);
		post('bob', general, `<<@${ada}>> can you look?`);
		post('carol', general, `<<@${bob}>> only Bob`);
		post('carol', random, `<<&${userGroup}>> team meeting`, { threadRootId: randomThreadRoot });
		post('bob', general, 'no mention');
		post('ada', general, `<<@${ada}>> note to self`);
		expect(texts((await t.poll()).items)).toEqual([`<<@${ada}>> can you look?`, `<<&${userGroup}>> team meeting`]);
		expect(texts((await t.poll()).items)).toEqual([]);
	});
});

describe('a channel that fails', () => {
	it('is reported without blocking the others, keeps its place, and catches up when it is back', async () => {
		const { general, leadership, ada } = suite.sandbox.ids;
		const t = trigger({ channels: [general, leadership] });
		await t.poll();
		const members = suite.sandbox.state.channels.find((c) => c.id === leadership)!.members;
		members.splice(members.indexOf(ada), 1); // Ada loses access
		post('bob', leadership, 'missed while Ada was out');
		post('bob', general, 'general keeps flowing');
		// reported at once, even though #general has news: that message is withheld, not lost
		const report = await t.poll();
		expect(report.error?.message).toMatch(new RegExp(`Pumble Trigger cannot read 1 of 2 channels — ${leadership}: .*HTTP 403`));
		expect((report.error as { description?: string }).description).toMatch(
			/The other channels are still watched \(their new messages come with the next poll\)/,
		);
		expect(texts((await t.poll()).items)).toEqual(['general keeps flowing']);
		// reported once (then hourly while it lasts): #general flows on
		post('bob', general, 'still flowing');
		const next = await t.poll();
		expect(next.error).toBeUndefined();
		expect(texts(next.items)).toEqual(['still flowing']);
		expect((await t.poll()).error).toBeUndefined();
		members.push(ada); // access is back
		expect(texts((await t.poll()).items)).toEqual(['missed while Ada was out']);
		expect(texts((await t.poll()).items)).toEqual([]);
	});

	it('a channel that disappears is reported the same way', async () => {
		const { general, random } = suite.sandbox.ids;
		const t = trigger({ channels: [general, random] });
		await t.poll();
		suite.sandbox.state.channels = suite.sandbox.state.channels.filter((c) => c.id !== random);
		const report = await t.poll();
		expect(report.error?.message).toMatch(new RegExp(`cannot read 1 of 2 channels — ${random}`));
		post('bob', general, 'general');
		expect(texts((await t.poll()).items)).toEqual(['general']);
	});

	it('a bad key fails the poll as a whole with the credential hint', async () => {
		const t = new PolledTrigger({ event: 'newMessage', watch: 'all' }, { apiKey: 'not-a-key', baseUrl: suite.sandbox.url });
		const outcome = await t.poll();
		expect(outcome.error?.name).toBe('NodeApiError');
		expect((outcome.error as { description?: string }).description).toMatch(/API key was not accepted/);
	});
});

describe('all my channels and DMs', () => {
	it("watches every channel the user is in; a DM opened later arrives with its first message", async () => {
		const { general, ada, hiring } = suite.sandbox.ids;
		const t = new PolledTrigger({ event: 'newMessage', watch: 'all' }, credentials());
		await t.poll();
		const watched = Object.keys((t.state.state as { channels: object }).channels);
		expect(watched).toContain(general);
		expect(watched).not.toContain(hiring);
		tick(60_000);
		// Carol writes to Ada for the first time: the DM is created by this message
		const dm = await fetch(`${suite.sandbox.url}/dmUser`, {
			method: 'POST',
			headers: { ApiKey: suite.sandbox.keys.carol, 'content-type': 'application/json' },
			body: JSON.stringify({ userId: ada, text: 'Hi Ada, a first DM' }),
		});
		expect(dm.status).toBe(200);
		post('bob', general, 'general');
		expect(texts((await t.poll()).items)).toEqual(['Hi Ada, a first DM', 'general']);
		expect(texts((await t.poll()).items)).toEqual([]);
	});
});

describe('the node around the poll', () => {
	it('the channel list offers channels, private channels and DMs by readable names', async () => {
		// runListSearch drives a method through n8n-core's LoadOptionsContext; wrap the load-options method.
		const node: INodeType = {
			description: new PumbleTrigger().description,
			methods: { listSearch: { channels: async function (this) { return { results: await getChannels.call(this) }; } } },
		};
		const { results } = await runListSearch({ node, method: 'channels', credentials: credentials(), path: 'parameters.channels' });
		const names = results.map((r) => r.name);
		expect(names).toEqual(expect.arrayContaining(['#general', '#random', '🔒 leadership', 'DM: Bob Martin', 'DM: Bob Martin, Carol Shaw', 'Notes to self']));
		expect(results.find((r) => r.name === '#general')?.value).toBe(suite.sandbox.ids.general);
		expect(names).not.toContain('🔒 hiring');
	});

	it('never runs two polls of the same workflow at once: the second is skipped, the state untouched', async () => {
		const { general } = suite.sandbox.ids;
		const t = trigger({ channels: [general] });
		await t.poll();
		post('bob', general, 'once');
		suite.sandbox.configure({ latencyMs: 400 });
		const run = () => runPoll({ node: t.node, parameters: t.parameters, credentials: credentials(), staticData: t.state, mode: 'trigger' });
		const [a, b] = await Promise.all([run(), run()]);
		suite.sandbox.configure({ latencyMs: 0 });
		const outputs = [a, b].map((r) => texts((r.output?.[0] ?? []).map((i) => i.json)));
		expect(outputs).toEqual(expect.arrayContaining([['once'], []]));
		const skipped = a.output ? b : a;
		expect(skipped.error).toBeUndefined();
		expect(skipped.staticData).toEqual(t.state);
	});

	it('channels given by name in an expression', async () => {
		const t = trigger({ channels: '={{ ["#general", "random"] }}' });
		await t.poll();
		post('bob', suite.sandbox.ids.random, 'by name');
		expect(texts((await t.poll()).items)).toEqual(['by name']);
	});
});
