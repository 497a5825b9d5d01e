/**
 * The Pumble App Trigger inside a real n8n (2.8.4 and 2.41.1 through scripts/e2e.ts), installed from the packed
 * tarball, with the sandbox playing Pumble's App platform and delivering to the workflow's Production URL. One
 * n8n start for every check: each event type starts the workflow once with readable fields (a message, a
 * reaction, an edit, a new channel — made through the key API — a slash command with its ephemeral answer, a
 * button click, a global shortcut, a user who joined); redeliveries start nothing; forged, stale, unsigned
 * and malformed requests get 401 and start nothing. The workflow is examples/app-events.workflow.json, imported
 * unchanged (npm start imports it too): its trigger is as the editor creates it except for the events picked and
 * the slash command's reply, and it announces each slash command in the channel with the Pumble node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox, type Delivery, type Sandbox } from '../../sandbox';
import {
	cleanupAll,
	currentTarget,
	PROJECT_ROOT,
	startN8nSession,
	type N8nRest,
	type N8nSession,
	type RunningN8n,
	type WorkflowInput,
} from '../../scripts/lib/n8n';
import { sandboxAppCredential, sandboxCredential } from '../../scripts/lib/workflows';

const SETUP_TIMEOUT = 20 * 60_000;
const EXAMPLE = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'app-events.workflow.json'), 'utf8')) as WorkflowInput;
const EXAMPLE_NODES = EXAMPLE.nodes as Array<{ name: string; webhookId?: string; parameters: Record<string, unknown> }>;
const WORKFLOW_ID = EXAMPLE.id;
const TRIGGER = 'Pumble App Trigger';
const WEBHOOK_ID = EXAMPLE_NODES.find((n) => n.name === TRIGGER)!.webhookId!;
const RECEIVED = TRIGGER;
const OWNER = { email: 'owner@example.com', password: 'E2e-apptrigger-Passw0rd', firstName: 'E2E', lastName: 'Owner' };
const REPLY = EXAMPLE_NODES.find((n) => n.name === TRIGGER)!.parameters.slashCommandReply as string;

let sandbox: Sandbox;
let session: N8nSession | undefined;
let n8n: RunningN8n;
let rest: N8nRest;

interface Run {
	id: string;
	status: string;
	startedAt: string;
	item: Record<string, unknown>;
}

async function runs(): Promise<Run[]> {
	const ids = (await rest.executions(WORKFLOW_ID)).filter((e) => e.mode === 'webhook').map((e) => e.id);
	const out: Run[] = [];
	for (const id of ids) {
		for (;;) {
			const found = await rest.execution(id);
			if (!['running', 'new', 'waiting'].includes(found.status)) {
				out.push({ id, status: found.status, startedAt: found.startedAt, item: found.data?.resultData?.runData?.[RECEIVED]?.[0]?.data?.main?.[0]?.[0]?.json ?? {} });
				break;
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
	return out;
}

async function waitForRuns(count: number, timeoutMs = 60_000): Promise<Run[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = await runs();
		if (found.length >= count) return found;
		if (Date.now() > deadline) throw new Error(`expected ${count} webhook execution(s), found ${found.length}`);
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}

async function keyApi(op: string, body: unknown): Promise<{ id: string }> {
	const response = await fetch(`${sandbox.url}/${op}`, { method: 'POST', headers: { ApiKey: sandbox.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const text = await response.text();
	if (!response.ok) throw new Error(`${op} → ${response.status} ${text}`);
	return (text ? JSON.parse(text) : {}) as { id: string };
}

beforeAll(async () => {
	sandbox = await startSandbox();
	session = await startN8nSession([sandboxCredential(sandbox.apiKey, sandbox.url), sandboxAppCredential(sandbox.app.app, sandbox.url)], [EXAMPLE], { owner: OWNER });
	({ n8n, rest } = session);
	const wf = await rest.call<{ versionId: string }>('GET', `/workflows/${WORKFLOW_ID}`);
	await rest.call('POST', `/workflows/${WORKFLOW_ID}/activate`, { versionId: wf.versionId });
	sandbox.app.subscribe(`http://127.0.0.1:${n8n.port}/webhook/${WEBHOOK_ID}/pumble`);
	// n8n 2.41.1 registers an activated workflow's webhooks shortly after the call returns: probe with an
	// event the trigger acknowledges and never starts for (a view action) until the URL answers 200.
	for (const until = Date.now() + 120_000; ; ) {
		const [probe] = await sandbox.app.event('NOT_AN_EVENT_TYPE', {});
		if (probe.status === 200) break;
		if (Date.now() > until) throw new Error(`the webhook never answered 200 (last ${probe.status})`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}, SETUP_TIMEOUT);

afterAll(async () => {
	await session?.stop();
	await sandbox?.close();
	await cleanupAll();
}, 60_000);

describe(`Pumble App Trigger inside a real n8n ${currentTarget().n8n}`, () => {
	let genuine: Delivery[] = [];

	it('each event type starts the workflow once, with readable fields and the raw event kept', async () => {
		sandbox.app.clearLog();
		const { general, bob, carol } = sandbox.ids;
		const sent = await keyApi('sendMessage', { channelId: general, text: 'release 1.4 is out' });
		await sandbox.app.settle();
		// One at a time, so the executions' order is the events' order.
		const [first] = await waitForRuns(1);
		expect(first.item).toMatchObject({ event: 'NEW_MESSAGE', messageId: sent.id, channelId: general, authorId: sandbox.ids.ada, text: 'release 1.4 is out' });
		await keyApi('addReaction', { messageId: sent.id, reaction: ':rocket:' });
		await sandbox.app.settle();
		await waitForRuns(2);
		await keyApi('editMessage', { channelId: general, messageId: sent.id, text: 'release 1.4.1 is out' });
		await sandbox.app.settle();
		await waitForRuns(3);
		const channel = await keyApi('createChannel', { name: 'releases', type: 'PUBLIC' });
		await sandbox.app.settle();
		await waitForRuns(4);
		const [slash] = await sandbox.app.slashCommand({ command: '/release', text: 'notes', userId: bob, channelId: general });
		await waitForRuns(5);
		// The workflow announces the command in the channel with the Pumble node: that post is an event too.
		await waitForRuns(6);
		await sandbox.app.settle();
		await sandbox.app.blockInteraction({ userId: carol, channelId: general, messageId: sent.id, onAction: 'approve_release', value: '1.4.1' });
		await waitForRuns(7);
		await sandbox.app.shortcut({ shortcut: 'release_notes', userId: bob, channelId: general });
		await waitForRuns(8);
		await sandbox.app.event('WORKSPACE_USER_JOINED', { uId: '665000000000000000000099', uN: 'Erin', uE: 'erin@example.com', wId: sandbox.ids.workspace, ro: 'USER', st: 'ACTIVATED', ty: 'WORKSPACE_USER_JOINED', rid: 'join-1' });
		const all = await waitForRuns(9);
		genuine = [...sandbox.app.deliveries];

		expect(all.map((r) => r.status)).toEqual(Array(9).fill('success'));
		expect(all.map((r) => r.item)).toEqual([
			expect.objectContaining({ event: 'NEW_MESSAGE', messageId: sent.id }),
			expect.objectContaining({ event: 'REACTION_ADDED', messageId: sent.id, reaction: ':rocket:', userId: sandbox.ids.ada, messageAuthorId: sandbox.ids.ada, channelId: general }),
			expect.objectContaining({ event: 'UPDATED_MESSAGE', messageId: sent.id, text: 'release 1.4.1 is out', edited: true }),
			expect.objectContaining({ event: 'CHANNEL_CREATED', channelId: channel.id, channelName: 'releases', channelType: 'PUBLIC' }),
			expect.objectContaining({ event: 'SLASH_COMMAND', slashCommand: '/release', text: 'notes', userId: bob, channelId: general }),
			expect.objectContaining({ event: 'NEW_MESSAGE', channelId: general, authorId: sandbox.ids.ada, text: `/release notes: started for <<@${bob}>> by n8n` }),
			expect.objectContaining({ event: 'BUTTON_CLICK', userId: carol, onAction: 'approve_release', value: '1.4.1', sourceId: sent.id }),
			expect.objectContaining({ event: 'GLOBAL_SHORTCUT', shortcut: 'release_notes', userId: bob }),
			expect.objectContaining({ event: 'WORKSPACE_USER_JOINED', userId: '665000000000000000000099', name: 'Erin', role: 'USER' }),
		]);
		expect(all[0].item.raw).toMatchObject({ messageType: 'PUMBLE_EVENT', eventType: 'NEW_MESSAGE', body: { mId: sent.id, tx: 'release 1.4 is out' } });
		// Answered at once, before the workflow ran: the slash command's ephemeral text came back in the answer.
		expect(slash).toMatchObject({ status: 200 });
		expect(JSON.parse(slash.answer ?? '{}')).toEqual({ message: REPLY });
		expect(sandbox.app.ephemerals).toEqual([expect.objectContaining({ userIds: [bob], channelId: general, text: REPLY, via: 'response' })]);
		expect(genuine.every((d) => d.status === 200)).toBe(true);
		// The signing secret and tokens never reach the output.
		const out = JSON.stringify(all);
		for (const secret of [sandbox.app.app.signingSecret, sandbox.app.app.botToken, sandbox.app.app.appKey]) expect(out).not.toContain(secret);
	}, 300_000);

	it('redeliveries of every one of them start nothing (and are answered 200, so Pumble stops retrying)', async () => {
		expect(genuine).toHaveLength(9);
		const again = await Promise.all(genuine.map((d) => sandbox.app.redeliver(d.id)));
		expect(again.map((d) => d.status)).toEqual(Array(9).fill(200));
		// A marker event after them: once it has run, anything the redeliveries started would have too.
		await sandbox.app.event('WORKSPACE_USER_JOINED', { uId: '665000000000000000000098', uN: 'Marker', ty: 'WORKSPACE_USER_JOINED', rid: 'marker-1' });
		const all = await waitForRuns(10);
		expect(all).toHaveLength(10);
		expect(all[9].item).toMatchObject({ name: 'Marker' });
	}, 120_000);

	it('forged, stale, unsigned and malformed requests get 401 and start nothing', async () => {
		const modes = ['forged', 'stale', 'unsigned', 'badTimestamp', 'malformed'] as const;
		const answers: number[] = [];
		for (const mode of modes) {
			const [slash] = await sandbox.app.slashCommand({ command: '/release', userId: sandbox.ids.bob, channelId: sandbox.ids.general }, mode);
			const [event] = await sandbox.app.event('WORKSPACE_USER_JOINED', { uId: '665000000000000000000097', uN: `Mallory ${mode}`, ty: 'WORKSPACE_USER_JOINED', rid: `bad-${mode}` }, mode);
			answers.push(slash.status ?? 0, event.status ?? 0);
		}
		// A body that is not JSON never reaches the node: n8n's own JSON parser answers 422 first. Either way nothing starts.
		expect(answers).toEqual([...Array((modes.length - 1) * 2).fill(401), 422, 422]);
		await sandbox.app.event('WORKSPACE_USER_JOINED', { uId: '665000000000000000000096', uN: 'Marker 2', ty: 'WORKSPACE_USER_JOINED', rid: 'marker-2' });
		const all = await waitForRuns(11);
		expect(all).toHaveLength(11);
		expect(all[10].item).toMatchObject({ name: 'Marker 2' });
	}, 120_000);
});
