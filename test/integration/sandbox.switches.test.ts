/**
 * The Pumble sandbox over real HTTP: search, and the switches for what Pumble leaves open (the page order of
 * listMessages AFTER, how an asBot DM is posted).
 */
import type { Sandbox } from '../../sandbox';
import { q, sandboxHttpSuite } from '../helpers/sandboxHttp';

const http = sandboxHttpSuite();
const { call } = http;
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = http.sandbox;
});

describe('searchMessages', () => {
	const search = async (body: Record<string, unknown>) => (await call('POST', '/searchMessages', body)).json;

	it('pages NEWEST hits by beforeTs without losing same-second messages', async () => {
		const seen = new Set<string>();
		let beforeTs: number | undefined;
		for (let guard = 0; guard < 30; guard++) {
			const page = await search({ text: 'SEED', strategy: 'NEWEST', limit: 5, ...(beforeTs ? { beforeTs } : {}) });
			const stamps: number[] = page.content.map((m: { timestampMilli: number }) => m.timestampMilli);
			expect(stamps).toEqual([...stamps].sort((a, b) => b - a));
			const before = seen.size;
			for (const m of page.content) {
				expect(m.highlightedBlocks).toEqual([]);
				seen.add(m.id);
			}
			if (!page.hasMore || seen.size === before) break;
			// Re-ask from the end of the oldest second: its other messages may not have fit in this page.
			beforeTs = Math.min(...stamps) + 1000;
		}
		expect(seen.size).toBe(30);
	});

	it('orders OLDEST chronologically and MOST_RELEVANT not by time; validates its input', async () => {
		const oldest = await search({ text: 'seed', strategy: 'OLDEST', limit: 20 });
		const stamps = oldest.content.map((m: { timestampMilli: number }) => m.timestampMilli);
		expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
		expect(oldest).toMatchObject({ totalElements: 30, hasMore: true });

		const relevant = await search({ text: 'seed', limit: 20 });
		const relevantStamps = relevant.content.map((m: { timestampMilli: number }) => m.timestampMilli);
		expect(relevantStamps).not.toEqual([...relevantStamps].sort((a, b) => b - a));
		expect(await search({ text: 'seed', limit: 20 })).toEqual(relevant);

		expect((await call('POST', '/searchMessages', {})).status).toBe(403);
		expect((await call('POST', '/searchMessages', { text: 'x', limit: 21 })).status).toBe(403);
	});
});

describe('switch listAfterOrder: the page order of listMessages with strategy=AFTER', () => {
	const general = () => sandbox.ids.general;
	/** #general oldest first, as the sandbox stores it. */
	const chronological = () =>
		sandbox.state.messages
			.filter((m) => m.channelId === sandbox.ids.general)
			.sort((a, b) => a.timestampMilli - b.timestampMilli || a.seq - b.seq)
			.map((m) => m.id);
	const after = async (cursor: string, limit: number) =>
		(await call('GET', '/listMessages' + q({ channelId: general(), strategy: 'AFTER', cursor, limit }))).json;

	it('newestFirst (default): the cursor and the messages right after it, newest first, the cursor last', async () => {
		const ids = chronological();
		const page = await after(ids[3], 5);
		expect(page.messages.map((m: { id: string }) => m.id)).toEqual(ids.slice(3, 9).reverse());
		expect(page).toMatchObject({ hasMoreBefore: true, hasMoreAfter: true });
	});

	it('oldestFirst: the same messages oldest first, so the last item is the next cursor of a forward walk', async () => {
		sandbox.configure({ listAfterOrder: 'oldestFirst' });
		const ids = chronological();
		const first = await after(ids[3], 5);
		expect(first.messages.map((m: { id: string }) => m.id)).toEqual(ids.slice(3, 9));
		expect(first).toMatchObject({ hasMoreBefore: true, hasMoreAfter: true });

		const seen: string[] = [];
		let cursor = ids[3];
		for (let guard = 0; guard < 20; guard++) {
			const page = await after(cursor, 5);
			expect(page.messages[0].id).toBe(cursor); // inclusive cursor, at the start
			for (const m of page.messages) if (!seen.includes(m.id)) seen.push(m.id);
			if (!page.hasMoreAfter) break;
			cursor = page.messages[page.messages.length - 1].id;
		}
		expect(seen).toEqual(ids.slice(3));
	});

	it('orders only AFTER pages: BEFORE stays newest first', async () => {
		sandbox.configure({ listAfterOrder: 'oldestFirst' });
		const ids = chronological();
		const before = (await call('GET', '/listMessages' + q({ channelId: general(), cursor: ids[10], limit: 3 }))).json;
		expect(before.messages.map((m: { id: string }) => m.id)).toEqual(ids.slice(7, 11).reverse());
	});
});

describe('switch botDm: how an asBot DM is posted', () => {
	const dm = (body: Record<string, unknown>) => call('POST', '/dmUser', { text: 'ping', asBot: true, ...body });
	const dmGroup = (body: Record<string, unknown>) => call('POST', '/dmGroup', { text: 'ping all', asBot: true, ...body });
	const record = (id: string) => sandbox.state.messages.find((m) => m.id === id);
	const fetchMessage = (id: string) => call('GET', '/fetchMessage' + q({ messageId: id }));

	it('botInUserDm (default): the add-on bot posts in the user\'s DM with the recipients', async () => {
		const { bob, carol, adaBot, adaBobDm, groupDm } = sandbox.ids;
		const one = await dm({ userId: bob });
		expect(one.json).toEqual({ id: expect.any(String), channelId: adaBobDm });
		expect(record(one.json.id)?.author).toBe(adaBot);
		const group = await dmGroup({ userIds: [bob, carol] });
		expect(group.json.channelId).toBe(groupDm);
		expect(record(group.json.id)?.author).toBe(adaBot);
		expect((await fetchMessage(one.json.id)).json).toMatchObject({ author: adaBot, channelId: adaBobDm });
	});

	it('asUser: asBot is ignored, the user posts in their own DM', async () => {
		sandbox.configure({ botDm: 'asUser' });
		const { ada, bob, carol, adaBobDm, groupDm } = sandbox.ids;
		const one = await dm({ userId: bob });
		expect(one.json.channelId).toBe(adaBobDm);
		expect(record(one.json.id)?.author).toBe(ada);
		const group = await dmGroup({ userIds: [bob, carol] });
		expect(group.json.channelId).toBe(groupDm);
		expect(record(group.json.id)?.author).toBe(ada);
	});

	it('botOwnDm: the bot posts in a DM of its own with the recipients, which the key\'s user cannot see', async () => {
		sandbox.configure({ botDm: 'botOwnDm' });
		const { ada, bob, carol, adaBot, adaBobDm, groupDm } = sandbox.ids;
		const one = await dm({ userId: bob });
		expect(one.status).toBe(200);
		expect([adaBobDm, groupDm]).not.toContain(one.json.channelId);
		const channel = sandbox.state.channels.find((c) => c.id === one.json.channelId);
		expect(channel).toMatchObject({ channelType: 'DIRECT', creatorId: adaBot, members: [adaBot, bob] });
		expect(record(one.json.id)).toMatchObject({ author: adaBot, channelId: one.json.channelId });

		// Created on demand, then reused.
		expect((await dm({ userId: bob, text: 'again' })).json.channelId).toBe(one.json.channelId);
		const group = await dmGroup({ userIds: [bob, carol, ada] });
		expect(sandbox.state.channels.find((c) => c.id === group.json.channelId)?.members).toEqual([adaBot, bob, carol]);

		// Ada is not a member: the DM is not listed, and neither the message nor the channel can be read.
		const listed = (await call('GET', '/listChannels')).json.map((entry: { channel: { id: string } }) => entry.channel.id);
		expect(listed).not.toContain(one.json.channelId);
		expect(listed).not.toContain(group.json.channelId);
		expect((await fetchMessage(one.json.id)).json).toMatchObject({ code: 404100 });
		const list = await call('GET', '/listMessages' + q({ channelId: one.json.channelId }));
		expect(list).toMatchObject({ status: 403, json: { error: expect.stringContaining('channel') } });

		// Without asBot nothing changes: Ada in her own DM.
		const plain = await call('POST', '/dmUser', { userId: bob, text: 'me' });
		expect(plain.json.channelId).toBe(adaBobDm);
		expect(record(plain.json.id)?.author).toBe(ada);
	});
});
