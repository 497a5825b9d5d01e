/**
 * The Node-RED `pumble-app-events` node in Node-RED's own runtime, mounted on its HTTP server (RED.httpNode),
 * with the sandbox playing Pumble's App platform: each event comes out once with readable fields, a slash
 * command gets its ephemeral answer, redeliveries send nothing, forged / stale / unsigned / malformed requests
 * get 401 and send nothing, and a redeploy removes the route of the closed node.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import pumbleAppEvents from '../../../nodes/NodeRed/pumble-app-events';
import type { Sandbox } from '../../../sandbox';
import { collect, helper, nodeRedSuite, type FlowNode } from '../../helpers/nodeRed';

let sandbox: Sandbox;
nodeRedSuite((started) => (sandbox = started));

// The test helper gives nodes an Express app as RED.httpNode but does not serve it (a running Node-RED serves
// it on its HTTP server, under httpNodeRoot): this file serves the very app the node mounted its route on.
let httpNode: ((req: unknown, res: unknown) => void) | undefined;
const wrapped = (RED: Parameters<typeof pumbleAppEvents>[0]): void => {
	httpNode = RED.httpNode as unknown as (req: unknown, res: unknown) => void;
	pumbleAppEvents(RED);
};
let server: Server;
let baseUrl = '';
beforeAll(async () => {
	server = createServer((req, res) => (httpNode ? httpNode(req, res) : res.writeHead(503).end()));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const PATH = '/pumble/events';
const appEvents = (fields: Record<string, unknown> = {}): FlowNode => ({
	id: 'events',
	type: 'pumble-app-events',
	path: PATH,
	events: 'NEW_MESSAGE, REACTION_ADDED, UPDATED_MESSAGE, CHANNEL_CREATED, SLASH_COMMAND, BUTTON_CLICK',
	slashCommandReply: 'Working on it',
	wires: [['out']],
	...fields,
});

async function load(fields: Record<string, unknown> = {}, credentials: Record<string, string> = {}): Promise<void> {
	await helper.load([wrapped], [appEvents(fields), { id: 'out', type: 'helper' }], { events: { signingSecret: sandbox.app.app.signingSecret, ...credentials } });
	sandbox.app.unsubscribe();
	sandbox.app.subscribe(`${baseUrl}${PATH}`);
}

async function keyApi(op: string, body: unknown): Promise<{ id: string }> {
	const response = await fetch(`${sandbox.url}/${op}`, { method: 'POST', headers: { ApiKey: sandbox.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const text = await response.text();
	return (text ? JSON.parse(text) : {}) as { id: string };
}

describe('pumble-app-events', () => {
	it('sends each event once with readable fields; answers a slash command with its ephemeral text', async () => {
		await load();
		const out = collect('out');
		const { general, bob, carol } = sandbox.ids;
		const sent = await keyApi('sendMessage', { channelId: general, text: 'hello from the key API' });
		await keyApi('addReaction', { messageId: sent.id, reaction: ':wave:' });
		await keyApi('editMessage', { channelId: general, messageId: sent.id, text: 'hello, edited' });
		const channel = await keyApi('createChannel', { name: 'node-red-events', type: 'PUBLIC' });
		await sandbox.app.settle();
		const [slash] = await sandbox.app.slashCommand({ command: '/ask', text: 'why', userId: bob, channelId: general });
		await sandbox.app.blockInteraction({ userId: carol, channelId: general, messageId: sent.id, onAction: 'ok', value: 'v1' });
		const got = await out.next(6);
		expect(got.map((m) => m.topic)).toEqual(['NEW_MESSAGE', 'REACTION_ADDED', 'UPDATED_MESSAGE', 'CHANNEL_CREATED', 'SLASH_COMMAND', 'BUTTON_CLICK']);
		expect(got.map((m) => m.payload)).toEqual([
			expect.objectContaining({ messageId: sent.id, channelId: general, text: 'hello from the key API', authorId: sandbox.ids.ada }),
			expect.objectContaining({ messageId: sent.id, reaction: ':wave:', userId: sandbox.ids.ada }),
			expect.objectContaining({ messageId: sent.id, text: 'hello, edited', edited: true }),
			expect.objectContaining({ channelId: channel.id, channelName: 'node-red-events' }),
			expect.objectContaining({ slashCommand: '/ask', text: 'why', userId: bob }),
			expect.objectContaining({ userId: carol, onAction: 'ok', value: 'v1' }),
		]);
		expect(slash.status).toBe(200);
		expect(sandbox.app.ephemerals).toEqual([expect.objectContaining({ userIds: [bob], text: 'Working on it', via: 'response' })]);
	});

	it('with the reply through the App API, a slash command run in a thread gets its ephemeral reply in that thread', async () => {
		await load({ replyVia: 'api', baseUrl: sandbox.url }, { appKey: sandbox.app.app.appKey, botToken: sandbox.app.app.botToken });
		const out = collect('out');
		const { random, randomThreadRoot, bob } = sandbox.ids;
		const [slash] = await sandbox.app.slashCommand({ command: '/ask', text: 'status?', userId: bob, channelId: random, threadRootId: randomThreadRoot });
		const [got] = await out.next(1);
		expect(got.payload).toMatchObject({ slashCommand: '/ask', threadRootId: randomThreadRoot });
		// Answered without the text (it goes through the App API instead), then posted once the flow has its message.
		expect(slash.status).toBe(200);
		for (let tries = 0; sandbox.app.ephemerals.length === 0 && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
		expect(sandbox.app.ephemerals).toEqual([expect.objectContaining({ via: 'api', channelId: random, threadRootId: randomThreadRoot, userIds: [bob], text: 'Working on it' })]);
	});

	it('redeliveries send nothing; forged, stale, unsigned and malformed requests get 401 and send nothing', async () => {
		await load();
		const out = collect('out');
		const [first] = await sandbox.app.slashCommand({ command: '/ask', userId: sandbox.ids.bob, channelId: sandbox.ids.general });
		await out.next(1);
		expect((await sandbox.app.redeliver(first.id)).status).toBe(200);
		const statuses: number[] = [];
		for (const mode of ['forged', 'stale', 'unsigned', 'badTimestamp', 'malformed'] as const) {
			const [bad] = await sandbox.app.slashCommand({ command: '/ask', userId: sandbox.ids.bob, channelId: sandbox.ids.general }, mode);
			statuses.push(bad.status ?? 0);
		}
		expect(statuses).toEqual([401, 401, 401, 401, 401]);
		// A last genuine event: once it is out, anything the others sent would be out too.
		await sandbox.app.blockInteraction({ userId: sandbox.ids.carol, channelId: sandbox.ids.general, messageId: sandbox.ids.randomThreadRoot, onAction: 'last' });
		const got = await out.next(2);
		expect(got.map((m) => m.topic)).toEqual(['SLASH_COMMAND', 'BUTTON_CLICK']);
		expect(out.messages).toHaveLength(2);
	});

	it('the channel filter keeps other channels out; a redeploy leaves one route, the new node\'s', async () => {
		type App = { _router?: { stack: Array<{ route?: { path?: string } }> }; router?: { stack: Array<{ route?: { path?: string } }> } };
		const routesOf = (app: unknown) => ((app as App)._router ?? (app as App).router)?.stack.filter((layer) => layer.route?.path === PATH).length ?? 0;
		await load({ channelIds: sandbox.ids.general });
		const before = httpNode;
		expect(routesOf(before)).toBe(1);
		await helper.unload(); // a redeploy: the old node closes and takes its route away
		expect(routesOf(before)).toBe(0);
		await load({ channelIds: sandbox.ids.random });
		expect(routesOf(httpNode)).toBe(1);
		const out = collect('out');
		await keyApi('sendMessage', { channelId: sandbox.ids.general, text: 'not watched' });
		await keyApi('sendMessage', { channelId: sandbox.ids.random, text: 'watched' });
		await sandbox.app.settle();
		const [got] = await out.next(1);
		expect(got.payload).toMatchObject({ text: 'watched', channelId: sandbox.ids.random });
		expect(sandbox.app.deliveries.map((d) => d.status)).toEqual([200, 200]);
		expect(out.messages).toHaveLength(1);
	});
});
