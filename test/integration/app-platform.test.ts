/**
 * The sandbox playing Pumble's App platform, over real HTTP, against a receiver built from the core
 * (core/app/receiver.ts) on a plain Node HTTP server: changes made through the key API and the App API are
 * delivered signed; slash commands, clicks and shortcuts are simulated; redeliveries start nothing; forged,
 * stale, unsigned and malformed requests get 401 and start nothing; the App API client proves the tokens.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { PumbleAppApi, RedeliveryMemory, receive } from '../../core/app';
import type { AppEvent } from '../../core/app';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';

let sandbox: Sandbox;
let server: Server;
let receiverUrl: string;
const started: AppEvent[] = [];
const memory = new RedeliveryMemory();

beforeAll(async () => {
	sandbox = await startSandbox();
	server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const verdict = receive(Buffer.concat(chunks), req.headers, {
				signingSecret: sandbox.app.app.signingSecret,
				events: [],
				slashCommandReply: 'Working on it',
				memory,
			});
			if (verdict.start) started.push(verdict.event);
			const { status, body } = verdict.answer;
			res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
			res.end(typeof body === 'string' ? body : JSON.stringify(body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
	sandbox.app.subscribe(receiverUrl);
});

afterAll(async () => {
	await sandbox.close();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	started.length = 0;
	sandbox.app.clearLog();
});

async function keyApi(path: string, body: unknown): Promise<{ id: string }> {
	const response = await fetch(`${sandbox.url}/${path}`, {
		method: 'POST',
		headers: { ApiKey: sandbox.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	expect(response.status).toBe(200);
	return (text ? JSON.parse(text) : {}) as { id: string };
}

const appApi = () => new PumbleAppApi({ appKey: sandbox.app.app.appKey, botToken: sandbox.app.app.botToken, userToken: sandbox.app.app.userToken, baseUrl: sandbox.url });

test('changes through the key API arrive signed, each once, with readable fields: message, reaction, edit, channel', async () => {
	const { general } = sandbox.ids;
	const sent = await keyApi('sendMessage', { channelId: general, text: 'deploy finished' });
	await keyApi('addReaction', { messageId: sent.id, reaction: ':tada:' });
	await keyApi('editMessage', { channelId: general, messageId: sent.id, text: 'deploy finished (edited)' });
	const channel = await keyApi('createChannel', { name: 'app-events', type: 'PUBLIC' });
	await sandbox.app.settle();

	expect(sandbox.app.deliveries.map((d) => [d.type, d.status])).toEqual([
		['NEW_MESSAGE', 200],
		['REACTION_ADDED', 200],
		['UPDATED_MESSAGE', 200],
		['CHANNEL_CREATED', 200],
	]);
	expect(started.map((e) => e.item)).toEqual([
		expect.objectContaining({ event: 'NEW_MESSAGE', messageId: sent.id, channelId: general, authorId: sandbox.ids.ada, text: 'deploy finished', edited: false }),
		expect.objectContaining({ event: 'REACTION_ADDED', messageId: sent.id, userId: sandbox.ids.ada, reaction: ':tada:', messageAuthorId: sandbox.ids.ada }),
		expect.objectContaining({ event: 'UPDATED_MESSAGE', messageId: sent.id, text: 'deploy finished (edited)', edited: true }),
		expect.objectContaining({ event: 'CHANNEL_CREATED', channelId: channel.id, channelName: 'app-events', channelType: 'PUBLIC' }),
	]);
	expect(started[0].item.raw).toMatchObject({ messageType: 'PUMBLE_EVENT', eventType: 'NEW_MESSAGE', body: { mId: sent.id, tx: 'deploy finished' } });
});

test('the App API proves its tokens and writes through the same workspace: a bot post is delivered too', async () => {
	await expect(appApi().me()).resolves.toMatchObject({ workspaceUserId: sandbox.app.app.botUserId });
	await expect(appApi().me('user')).resolves.toMatchObject({ workspaceUserId: sandbox.ids.ada });
	await expect(new PumbleAppApi({ appKey: 'wrong', botToken: sandbox.app.app.botToken, baseUrl: sandbox.url }).me()).rejects.toMatchObject({ status: 401 });
	await expect(new PumbleAppApi({ appKey: sandbox.app.app.appKey, botToken: 'wrong', baseUrl: sandbox.url }).me()).rejects.toMatchObject({ status: 401 });

	const posted = await appApi().postMessage(sandbox.ids.general, 'from the bot');
	await sandbox.app.settle();
	expect(started).toEqual([expect.objectContaining({ event: 'NEW_MESSAGE', item: expect.objectContaining({ messageId: posted.id, authorId: sandbox.app.app.botUserId }) })]);
});

test('a slash command gets its ephemeral answer in the response; a click carries the clicking user; a shortcut its name', async () => {
	const [slash] = await sandbox.app.slashCommand({ command: '/deploy', text: 'prod', userId: sandbox.ids.bob, channelId: sandbox.ids.general });
	expect(slash.status).toBe(200);
	expect(sandbox.app.ephemerals).toEqual([expect.objectContaining({ channelId: sandbox.ids.general, userIds: [sandbox.ids.bob], text: 'Working on it', via: 'response' })]);
	await sandbox.app.blockInteraction({ userId: sandbox.ids.carol, channelId: sandbox.ids.general, messageId: sandbox.ids.randomThreadRoot, onAction: 'approve', value: 'yes' });
	await sandbox.app.shortcut({ shortcut: 'summarize', userId: sandbox.ids.bob, channelId: sandbox.ids.general, messageId: sandbox.ids.randomThreadRoot });
	expect(started.map((e) => [e.event, e.userId])).toEqual([
		['SLASH_COMMAND', sandbox.ids.bob],
		['BUTTON_CLICK', sandbox.ids.carol],
		['MESSAGE_SHORTCUT', sandbox.ids.bob],
	]);
	expect(started[1].item).toMatchObject({ onAction: 'approve', value: 'yes', sourceId: sandbox.ids.randomThreadRoot });

	// The App API's ephemeral message (the other reading of how a reply reaches the user).
	await appApi().postEphemeral(sandbox.ids.general, 'only you', [sandbox.ids.bob]);
	expect(sandbox.app.ephemerals[1]).toMatchObject({ text: 'only you', userIds: [sandbox.ids.bob], via: 'api' });
});

test('a redelivery (freshly signed, same body) is answered 200 and starts nothing; in seconds as in milliseconds', async () => {
	for (const unit of ['ms', 's'] as const) {
		sandbox.app.configure({ timestampUnit: unit });
		started.length = 0;
		const [first] = await sandbox.app.event('CHANNEL_ARCHIVED', { cId: sandbox.ids.random, v: true, uId: sandbox.ids.ada, m: [], wId: sandbox.ids.workspace, ty: 'CHANNEL_ARCHIVED', rid: `archive-${unit}` });
		const again = await sandbox.app.redeliver(first.id);
		expect([first.status, again.status]).toEqual([200, 200]);
		expect(again.redeliveryOf).toBe(first.id);
		expect(started.map((e) => e.item)).toEqual([expect.objectContaining({ event: 'CHANNEL_ARCHIVED', channelId: sandbox.ids.random, archived: true })]);
	}
	sandbox.app.configure({ timestampUnit: 'ms' });
});

test.each(['forged', 'stale', 'unsigned', 'badTimestamp', 'malformed'] as const)('%s requests get 401 and start nothing', async (mode) => {
	const [delivery] = await sandbox.app.slashCommand({ command: '/deploy', userId: sandbox.ids.bob, channelId: sandbox.ids.general }, mode);
	expect(delivery.status).toBe(401);
	expect(started).toEqual([]);
	expect(sandbox.app.ephemerals).toEqual([]);
});

test('admin endpoints drive the same platform from outside the process', async () => {
	const info = await (await fetch(`${sandbox.url}/__sandbox/app`)).json();
	expect(info).toMatchObject({ appId: sandbox.app.app.appId, subscribers: [receiverUrl] });
	const slash = await fetch(`${sandbox.url}/__sandbox/app/slash`, {
		method: 'POST',
		body: JSON.stringify({ command: '/hello', userId: sandbox.ids.bob, channelId: sandbox.ids.general }),
	});
	expect(((await slash.json()) as unknown[])[0]).toMatchObject({ status: 200, type: 'SLASH_COMMAND' });
	const deliveries = (await (await fetch(`${sandbox.url}/__sandbox/app/deliveries`)).json()) as Array<{ id: string }>;
	const redelivered = await fetch(`${sandbox.url}/__sandbox/app/redeliver`, { method: 'POST', body: JSON.stringify({ id: deliveries[0].id }) });
	expect(await redelivered.json()).toMatchObject({ status: 200, redeliveryOf: deliveries[0].id });
	expect(started.map((e) => e.event)).toEqual(['SLASH_COMMAND']);
});
