/**
 * The Node-RED nodes in a real Node-RED 4 runtime, installed from the packed tarball as a user installs a
 * node package (`npm install <tgz>` in the user directory), against the sandbox over HTTP: the example
 * flows (send on inject, digest, echo in thread), a flow that reacts and lists, and the trigger across a
 * restart with Node-RED's persistent context store, and `pumble-app-events` on Node-RED's own HTTP server
 * receiving the sandbox App platform's signed deliveries. The API key never shows in Node-RED's output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { cleanupAll, packPackage } from '../../scripts/lib/n8n';
import { PACKAGE_NAME } from '../../scripts/lib/packageName';
import {
	createNodeRedHome,
	ensureNodeRed,
	exampleFlow,
	pointAt,
	startNodeRed,
	writeFlows,
	type FlowNode,
	type NodeRedHome,
	type NodeRedRuntime,
	type RunningNodeRed,
} from '../../scripts/lib/node-red';

jest.setTimeout(15 * 60_000);

const log = (line: string) => process.stderr.write(`${line}\n`);
let sandbox: Sandbox;
let runtime: NodeRedRuntime;
let home: NodeRedHome;
let nodeRed: RunningNodeRed | undefined;

/**
 * Reacts to a message (its ID from the inject's payload; one inject without it), and posts the three
 * newest messages of #general to #random.
 */
const reactAndList = (configId: string, messageId: string): FlowNode[] => [
	{ id: 'aa00000000000001', type: 'tab', label: 'react and list' },
	{ id: 'aa00000000000002', type: 'inject', z: 'aa00000000000001', props: [{ p: 'payload' }], payload: JSON.stringify({ messageId }), payloadType: 'json', wires: [['aa00000000000003']] },
	{ id: 'aa00000000000007', type: 'inject', z: 'aa00000000000001', props: [{ p: 'payload' }], payload: '{}', payloadType: 'json', wires: [['aa00000000000003']] },
	{ id: 'aa00000000000003', type: 'pumble', z: 'aa00000000000001', pumble: configId, resource: 'reaction', operation: 'add', channel: 'random', channelType: 'str', messageId: '', messageIdType: 'str', emoji: 'tada', emojiType: 'str', wires: [[]] },
	{ id: 'aa00000000000004', type: 'inject', z: 'aa00000000000001', props: [{ p: 'payload' }], payload: '{"limit":3}', payloadType: 'json', wires: [['aa00000000000005']] },
	{ id: 'aa00000000000005', type: 'pumble', z: 'aa00000000000001', pumble: configId, resource: 'message', operation: 'getAll', channel: 'general', channelType: 'str', wires: [['aa00000000000006']] },
	{ id: 'aa00000000000006', type: 'pumble', z: 'aa00000000000001', pumble: configId, resource: 'message', operation: 'send', channel: 'random', channelType: 'str', text: '"listed: " & payload.text', textType: 'jsonata', wires: [[]] },
];

/** pumble-app-events on Node-RED's HTTP server: each slash command is announced in #random by a pumble node. */
const APP_EVENTS_ID = 'ae00000000000002';
const APP_EVENTS_PATH = '/pumble/app-events';
const appEvents = (configId: string): FlowNode[] => [
	{ id: 'ae00000000000001', type: 'tab', label: 'app events' },
	{ id: APP_EVENTS_ID, type: 'pumble-app-events', z: 'ae00000000000001', path: APP_EVENTS_PATH, events: 'SLASH_COMMAND, BUTTON_CLICK', slashCommandReply: 'Node-RED is on it', replyVia: 'response', wires: [['ae00000000000003']] },
	{ id: 'ae00000000000003', type: 'pumble', z: 'ae00000000000001', pumble: configId, resource: 'message', operation: 'send', channel: 'random', channelType: 'str', text: '"app event: " & topic & " " & $string(payload.text)', textType: 'jsonata', wires: [[]] },
];

const waitFor = async (what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> => {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- Node-RED output ---\n${nodeRed?.output().slice(-3000)}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
};
const texts = (channelId: string) => sandbox.state.messages.filter((m) => m.channelId === channelId).map((m) => m.text);
const repliesTo = (rootId: string) => sandbox.state.messages.filter((m) => m.threadRootId === rootId).map((m) => m.text);

beforeAll(async () => {
	sandbox = await startSandbox();
	const tgz = await packPackage({ log });
	runtime = await ensureNodeRed(log);
	home = await createNodeRedHome(tgz, log, runtime);
	const flows = [...exampleFlow('send-on-inject'), ...exampleFlow('echo'), ...exampleFlow('digest')];
	const echoTrigger = flows.find((n) => n.type === 'pumble-trigger')!;
	echoTrigger.interval = 1; // poll every second instead of every 10
	const pointed = pointAt([...flows, ...reactAndList('f0a1b2c3d4e5f6c0', sandbox.ids.randomThreadRoot), ...appEvents('f0a1b2c3d4e5f6c0')], sandbox.url, sandbox.apiKey);
	writeFlows(home, pointed.flows, { ...pointed.credentials, [APP_EVENTS_ID]: { signingSecret: sandbox.app.app.signingSecret } });
	nodeRed = await startNodeRed(runtime, home);
});

afterAll(async () => {
	await nodeRed?.stop();
	await sandbox?.close();
	await cleanupAll();
});

describe('a real Node-RED with the package installed from its tarball', () => {
	it('the send example posts to #general when its inject is clicked', async () => {
		await nodeRed!.inject('f0a1b2c3d4e5f602');
		await waitFor('the hello message', () => texts(sandbox.ids.general).includes('Hello from Node-RED 👋'));
		expect(sandbox.log.filter((e) => e.path === '/sendMessage' && (e.body as { text?: string }).text === 'Hello from Node-RED 👋')).toHaveLength(1);
	});

	it('reacts to a message and lists messages (one message per result)', async () => {
		await nodeRed!.inject('aa00000000000007'); // no messageId: the node reports bad input, nothing is sent
		await waitFor('the bad-input report', () => /messageId/i.test(nodeRed!.output()));
		expect(sandbox.log.some((e) => e.path === '/addReaction')).toBe(false);

		await nodeRed!.inject('aa00000000000002');
		const root = () => sandbox.state.messages.find((m) => m.id === sandbox.ids.randomThreadRoot);
		await waitFor('the reaction', () => (root()?.reactions ?? []).some((r) => r.code === ':tada:'));
		expect(sandbox.log.filter((e) => e.path === '/addReaction')).toHaveLength(1);

		await nodeRed!.inject('aa00000000000004');
		await waitFor('three listed messages', () => texts(sandbox.ids.random).filter((t) => t.startsWith('listed: ')).length === 3);
	});

	it('the digest example sums up #general in #random', async () => {
		await nodeRed!.inject('d1a1b2c3d4e5f602');
		await waitFor('the digest', () => texts(sandbox.ids.random).some((t) => t.startsWith('Digest: 20 recent messages in #general')));
	});

	it('the echo example replies once to each new message, and catches up once after a restart', async () => {
		const { general, bob } = sandbox.ids;
		const listsOfGeneral = () => sandbox.log.filter((e) => e.path === '/listMessages' && e.query.channelId === general).length;
		await waitFor('the trigger watching #general', () => listsOfGeneral() >= 2);
		const first = sandbox.postAs(bob, general, 'ping 1');
		await waitFor('the echo of ping 1', () => repliesTo(first.id).length === 1);

		await nodeRed!.stop();
		const second = sandbox.postAs(bob, general, 'ping 2');
		const third = sandbox.postAs(bob, general, 'ping 3');
		nodeRed = await startNodeRed(runtime, home);
		await waitFor('the echoes after the restart', () => repliesTo(second.id).length === 1 && repliesTo(third.id).length === 1);
		const seen = listsOfGeneral();
		await waitFor('two more polls', () => listsOfGeneral() >= seen + 2);
		expect(repliesTo(first.id)).toEqual(['echo: ping 1']);
		expect(repliesTo(second.id)).toEqual(['echo: ping 2']);
		expect(repliesTo(third.id)).toEqual(['echo: ping 3']);
	});

	it('pumble-app-events answers signed slash commands at once and sends each once; forged, stale and unsigned get 401', async () => {
		sandbox.app.subscribe(`${nodeRed!.url}${APP_EVENTS_PATH}`);
		const [slash] = await sandbox.app.slashCommand({ command: '/deploy', text: 'prod', userId: sandbox.ids.bob, channelId: sandbox.ids.general });
		expect(slash.status).toBe(200);
		expect(JSON.parse(slash.answer ?? '{}')).toEqual({ message: 'Node-RED is on it' });
		await waitFor('the announcement', () => texts(sandbox.ids.random).includes('app event: SLASH_COMMAND prod'));
		expect((await sandbox.app.redeliver(slash.id)).status).toBe(200);
		const refused = [];
		for (const mode of ['forged', 'stale', 'unsigned'] as const) {
			const [bad] = await sandbox.app.slashCommand({ command: '/deploy', text: mode, userId: sandbox.ids.bob, channelId: sandbox.ids.general }, mode);
			refused.push(bad.status);
		}
		expect(refused).toEqual([401, 401, 401]);
		// A last genuine event: once it is announced, anything the others started would be too.
		await sandbox.app.blockInteraction({ userId: sandbox.ids.carol, channelId: sandbox.ids.general, messageId: sandbox.ids.randomThreadRoot, onAction: 'ok' });
		await waitFor('the click', () => texts(sandbox.ids.random).some((t) => t.startsWith('app event: BUTTON_CLICK')));
		expect(texts(sandbox.ids.random).filter((t) => t.startsWith('app event: '))).toEqual(['app event: SLASH_COMMAND prod', expect.stringMatching(/^app event: BUTTON_CLICK/)]);
		sandbox.app.unsubscribe();
	});

	it('installing into Node-RED pulls no n8n (n8n-workflow is an optional peer)', () => {
		expect(fs.existsSync(path.join(home.userDir, 'node_modules', PACKAGE_NAME, 'package.json'))).toBe(true);
		expect(fs.existsSync(path.join(home.userDir, 'node_modules', 'n8n-workflow'))).toBe(false);
		expect(fs.existsSync(path.join(home.userDir, 'node_modules', 'n8n-core'))).toBe(false);
	});

	it('never prints the API key', () => {
		expect(nodeRed!.output()).not.toContain(sandbox.apiKey);
	});
});
