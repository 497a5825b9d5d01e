/**
 * The nodes as a Node-RED user meets them, in a real Node-RED with the package installed from its tarball:
 * every node built from the editor's own definitions (the HTML Node-RED serves the editor, its `defaults`),
 * with only the config node and the fields an operation needs filled in, deployed as the Deploy button does
 * (`POST /flows`), and a Catch node → Switch node flow that branches on the kind of failure (`msg.error.code`),
 * for every operation, against the sandbox over HTTP.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { cleanupAll, packPackage } from '../../scripts/lib/n8n';
import { PACKAGE_NAME } from '../../scripts/lib/packageName';
import {
	createNodeRedHome,
	editorDefinitions,
	ensureNodeRed,
	nodeFromPalette,
	startNodeRed,
	writeFlows,
	type EditorDefinition,
	type FlowNode,
	type NodeRedHome,
	type RunningNodeRed,
} from '../../scripts/lib/node-red';
import { CATALOGUE, PAGE_SIZE } from '../../core';
import { n8nWordingIn, visibleHtmlText } from '../helpers/n8nWording';

jest.setTimeout(10 * 60_000);

const log = (line: string) => process.stderr.write(`${line}\n`);
const PACKAGE = PACKAGE_NAME;
let sandbox: Sandbox;
let home: NodeRedHome;
let nodeRed: RunningNodeRed;
const definitions = new Map<string, EditorDefinition>();

beforeAll(async () => {
	sandbox = await startSandbox();
	const runtime = await ensureNodeRed(log);
	home = await createNodeRedHome(await packPackage({ log }), log, runtime);
	writeFlows(home, [], {});
	nodeRed = await startNodeRed(runtime, home);
	for (const set of ['pumble-config', 'pumble', 'pumble-trigger']) {
		for (const [type, definition] of await editorDefinitions(nodeRed.url, PACKAGE, set)) definitions.set(type, definition);
	}
});

afterAll(async () => {
	await nodeRed?.stop();
	await sandbox?.close();
	await cleanupAll();
});

/** A field filled in as the editor's typed input stores it: the value and its type. */
const str = (value: string) => ({ value, type: 'str' });
const fromMsg = (property: string) => ({ value: property, type: 'msg' });
const json = (value: unknown) => ({ value: JSON.stringify(value), type: 'json' });
type Fields = Record<string, { value: string; type: string }>;

/**
 * What a user fills in for each operation, and the operation whose result the node takes its IDs from
 * (`after`: the node is wired behind that one, as a user chains them).
 */
interface Step {
	fields: Fields;
	after?: string;
}
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const steps = (ids: Sandbox['ids']): Record<string, Step> => ({
	'message.send': { fields: { channel: str('general'), text: str('fresh from the palette') } },
	'message.update': { after: 'message.send', fields: { channel: str('general'), messageId: fromMsg('payload.id'), text: str('edited') } },
	'message.delete': { after: 'message.update', fields: { channel: str('general'), messageId: fromMsg('payload.messageId') } },
	'message.reply': { fields: { channel: str('random'), messageId: str(ids.randomThreadRoot), text: str('a reply') } },
	'message.get': { fields: { channel: str('random'), messageId: str(ids.randomThreadRoot) } },
	'message.getAll': { fields: { channel: str('random') } },
	'message.getReplies': { fields: { channel: str('random'), messageId: str(ids.randomThreadRoot) } },
	'message.search': { fields: { query: str('offsite') } },
	'reaction.add': { fields: { channel: str('random'), messageId: str(ids.randomThreadRoot), emoji: str('tada') } },
	'reaction.remove': { after: 'reaction.add', fields: { channel: str('random'), messageId: str(ids.randomThreadRoot), emoji: str('tada') } },
	'channel.create': { fields: { params: json({ name: 'fresh-from-palette' }) } },
	'channel.get': { fields: { channel: str('general') } },
	'channel.getAll': { fields: {} },
	'channel.addUsers': { fields: { channel: str('leadership'), params: json({ userIds: ids.carol }) } },
	'channel.removeUser': { after: 'channel.addUsers', fields: { channel: str('leadership'), user: str(ids.carol) } },
	'scheduledMessage.create': { fields: { channel: str('general'), text: str('later'), sendAt: str(inAnHour()) } },
	'scheduledMessage.get': { after: 'scheduledMessage.create', fields: { scheduledMessageId: fromMsg('payload.id') } },
	'scheduledMessage.update': { after: 'scheduledMessage.get', fields: { scheduledMessageId: fromMsg('payload.id'), text: str('later, edited') } },
	'scheduledMessage.delete': { after: 'scheduledMessage.update', fields: { scheduledMessageId: fromMsg('payload.id') } },
	'scheduledMessage.getAll': { fields: {} },
	'user.get': { fields: { user: str(ids.bob) } },
	'user.getAll': { fields: {} },
	'user.getMe': { fields: {} },
	'user.setStatus': { fields: { emoji: str('palm_tree'), params: json({ statusText: 'away' }) } },
	'userGroup.getAll': { fields: {} },
});

/** Node IDs the editor would make up; here readable and stable. */
const idOf = (kind: string, op: string) => `${kind}-${op.replace('.', '-')}`;
const TAB = 'palette-tab';
const CONFIG = 'palette-config';
const ERRORS_TAB = 'errors-tab';

/** One line of JSON per message that reaches it, appended to `file` (a function node, then Node-RED's file node). */
function recorder(id: string, file: string, label: string, z = TAB): FlowNode[] {
	return [
		{
			id,
			type: 'function',
			z,
			name: label,
			func: `msg.payload = { label: ${JSON.stringify(label)}, payload: msg.payload, error: msg.error, parts: msg.parts };\nreturn msg;`,
			outputs: 1,
			timeout: 0,
			noerr: 0,
			initialize: '',
			finalize: '',
			libs: [],
			wires: [[`${id}-file`]],
		},
		{ id: `${id}-file`, type: 'file', z, name: '', filename: file, filenameType: 'str', appendNewline: true, createDir: true, overwriteFile: 'false', encoding: 'none', wires: [[]] },
	];
}

interface Recorded {
	label: string;
	payload?: unknown;
	error?: { message: string; source?: { id: string } };
}
const readRecords = (file: string): Recorded[] =>
	fs.existsSync(file)
		? fs
				.readFileSync(file, 'utf8')
				.split('\n')
				.filter(Boolean)
				.map((line) => JSON.parse(line) as Recorded)
		: [];

const waitFor = async (what: string | (() => string), check: () => boolean, timeoutMs = 60_000): Promise<void> => {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}\n--- Node-RED output ---\n${nodeRed.output().slice(-3000)}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
};

describe('nodes fresh from the palette', () => {
	it("the editor gets the package's three node types, each with defaults for every field", () => {
		expect([...definitions.keys()].sort()).toEqual(['pumble', 'pumble-config', 'pumble-trigger']);
		expect(definitions.get('pumble')!.defaults).toMatchObject({ resource: { value: 'message' }, operation: { value: 'send' }, params: { value: '' }, paramsType: { value: 'json' } });
	});

	it("the dialogs and help the editor gets from the tarball name none of n8n's syntax or labels", async () => {
		const pages = [];
		for (const set of ['pumble-config', 'pumble', 'pumble-trigger', 'pumble-app-events']) {
			const response = await fetch(`${nodeRed.url}/nodes/${PACKAGE}/${set}`, { headers: { accept: 'text/html' } });
			expect(response.status).toBe(200);
			pages.push({ source: `GET /nodes/${PACKAGE}/${set}`, text: visibleHtmlText(await response.text()) });
		}
		expect(pages.every((page) => page.text.length > 200)).toBe(true);
		expect(n8nWordingIn(pages)).toEqual([]);
	});

	it('every operation of a pumble node with only its config and the fields it needs filled in runs, and a trigger with its defaults fires', async () => {
		const file = path.join(home.userDir, 'palette-results.jsonl');
		const plan = steps(sandbox.ids);
		// Every operation of the core's catalogue: one missing from the Node-RED node fails here.
		const operations = Object.entries(CATALOGUE).flatMap(([resource, ops]) => Object.keys(ops).map((op) => `${resource}.${op}`));
		expect(Object.keys(plan).sort()).toEqual([...operations].sort()); // the plan covers every operation

		const flows: FlowNode[] = [
			{ id: TAB, type: 'tab', label: 'fresh from the palette' },
			nodeFromPalette('pumble-config', definitions.get('pumble-config')!, { id: CONFIG, baseUrl: sandbox.url, credentials: { apiKey: sandbox.apiKey } }),
			nodeFromPalette('catch', { defaults: { name: { value: '' }, scope: { value: null }, uncaught: { value: false } } }, { id: 'catch-all', z: TAB, wires: [['record-errors']] }),
			...recorder('record-errors', file, 'error'),
		];
		for (const [op, step] of Object.entries(plan)) {
			const [resource, operation] = op.split('.');
			const fields: { [name: string]: string } = {};
			for (const [name, { value, type }] of Object.entries(step.fields)) Object.assign(fields, { [name]: value, [`${name}Type`]: type });
			const next = Object.entries(plan).filter(([, s]) => s.after === op).map(([o]) => idOf('pumble', o));
			flows.push(
				nodeFromPalette('pumble', definitions.get('pumble')!, { id: idOf('pumble', op), z: TAB, pumble: CONFIG, resource, operation, ...fields, wires: [[idOf('record', op), ...next]] }),
				...recorder(idOf('record', op), file, op),
			);
			if (!step.after) {
				// Node-RED's inject as the palette gives it: msg.payload is a timestamp.
				flows.push({ id: idOf('inject', op), type: 'inject', z: TAB, name: '', props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: '', payloadType: 'date', wires: [[idOf('pumble', op)]] });
			}
		}
		flows.push(
			nodeFromPalette('pumble-trigger', definitions.get('pumble-trigger')!, { id: 'trigger', z: TAB, pumble: CONFIG, interval: 1, wires: [['record-trigger']] }),
			...recorder('record-trigger', file, 'trigger'),
		);
		await nodeRed.deploy(flows);

		// One scheduled message made earlier (through the API, as another tool would), for the list to find.
		const earlier = await fetch(`${sandbox.url}/createScheduledMessage`, {
			method: 'POST',
			headers: { ApiKey: sandbox.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ channelId: sandbox.ids.random, text: 'scheduled earlier', sendAt: Date.now() + 7_200_000 }),
		});
		expect(earlier.status).toBe(200);
		for (const [op, step] of Object.entries(plan)) if (!step.after) await nodeRed.inject(idOf('inject', op));
		const records = () => readRecords(file);
		const reached = (op: string) => records().some((r) => r.label === op);
		// Every operation answers (lists with at least one result here: the sandbox's seeded workspace).
		await waitFor(() => `a result of every operation; none yet of ${Object.keys(plan).filter((op) => !reached(op)).join(', ')}`, () => Object.keys(plan).every(reached) || records().some((r) => r.label === 'error'));
		expect(records().filter((r) => r.label === 'error')).toEqual([]);

		const result = (op: string) => records().find((r) => r.label === op)!.payload as { [key: string]: unknown };
		expect(result('message.send')).toEqual({ id: expect.any(String), channelId: sandbox.ids.general });
		expect(result('message.delete')).toMatchObject({ deleted: true });
		expect(result('channel.create')).toMatchObject({ name: 'fresh-from-palette' });
		expect(result('user.getMe')).toMatchObject({ id: sandbox.ids.ada });
		expect(sandbox.state.messages.find((m) => m.id === (result('message.send').id as string))).toBeUndefined(); // sent, edited, deleted

		// The trigger, with its defaults (every channel) and a one-second interval, sees a new message.
		await waitFor('the trigger watching', () => sandbox.log.filter((e) => e.path === '/listMessages').length >= 20);
		const posted = sandbox.postAs(sandbox.ids.bob, sandbox.ids.general, 'a new message for the trigger');
		await waitFor('the trigger message', () => records().some((r) => r.label === 'trigger' && (r.payload as { id?: string }).id === posted.id));
	});
});

describe('errors a flow can branch on', () => {
	it('a Catch node and a Switch node on msg.error.code route not-found, bad-input and unauthorized apart, with the facts in msg.error.cause', async () => {
		const file = path.join(home.userDir, 'error-kinds.jsonl');
		sandbox.reset();
		const pumbleNode = (id: string, config: string, fields: Record<string, unknown>) =>
			nodeFromPalette('pumble', definitions.get('pumble')!, { id, z: ERRORS_TAB, pumble: config, wires: [[]], ...fields });
		const inject = (id: string, target: string): FlowNode => ({ id, type: 'inject', z: ERRORS_TAB, name: '', props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: '', payloadType: 'date', wires: [[target]] });
		const kinds = ['not-found', 'bad-input', 'unauthorized'];
		const flows: FlowNode[] = [
			{ id: ERRORS_TAB, type: 'tab', label: 'errors' },
			nodeFromPalette('pumble-config', definitions.get('pumble-config')!, { id: CONFIG, baseUrl: sandbox.url, credentials: { apiKey: sandbox.apiKey } }),
			nodeFromPalette('pumble-config', definitions.get('pumble-config')!, { id: 'wrong-key', baseUrl: sandbox.url, credentials: { apiKey: 'not-a-pumble-key' } }),
			pumbleNode('get-missing', CONFIG, { operation: 'get', channel: 'general', messageId: 'ffffffffffffffffffffffff' }),
			pumbleNode('send-nothing', CONFIG, { channel: 'general' }),
			pumbleNode('send-wrong-key', 'wrong-key', { channel: 'general', text: 'hello' }),
			inject('i-missing', 'get-missing'),
			inject('i-nothing', 'send-nothing'),
			inject('i-wrong-key', 'send-wrong-key'),
			{ id: 'errors-catch', type: 'catch', z: ERRORS_TAB, name: '', scope: null, uncaught: false, wires: [['by-kind']] },
			{
				id: 'by-kind',
				type: 'switch',
				z: ERRORS_TAB,
				name: '',
				property: 'error.code',
				propertyType: 'msg',
				rules: kinds.map((kind) => ({ t: 'eq', v: kind, vt: 'str' })),
				checkall: 'true',
				repair: false,
				outputs: kinds.length,
				wires: kinds.map((kind) => [`record-${kind}`]),
			},
			...kinds.flatMap((kind) => recorder(`record-${kind}`, file, kind, ERRORS_TAB)),
		];
		await nodeRed.deploy(flows);
		for (const id of ['i-missing', 'i-nothing', 'i-wrong-key']) await nodeRed.inject(id);
		await waitFor('a message on each branch', () => kinds.every((kind) => readRecords(file).some((r) => r.label === kind)));
		const on = (kind: string) => readRecords(file).filter((r) => r.label === kind);
		type Caught = { message: string; source: { id: string }; code: string; cause: { [key: string]: unknown } };
		const [missing] = on('not-found').map((r) => r.error as unknown as Caught);
		const [nothing] = on('bad-input').map((r) => r.error as unknown as Caught);
		const [wrongKey] = on('unauthorized').map((r) => r.error as unknown as Caught);
		expect(missing).toMatchObject({ source: { id: 'get-missing' }, code: 'not-found', cause: { kind: 'not-found', httpStatus: 403, itemIndex: 0 } });
		expect(missing.message).toMatch(/could not find/i);
		expect(nothing).toMatchObject({ source: { id: 'send-nothing' }, code: 'bad-input', cause: { kind: 'bad-input', parameter: 'text', itemIndex: 0 } });
		expect(wrongKey).toMatchObject({ source: { id: 'send-wrong-key' }, code: 'unauthorized', cause: { kind: 'unauthorized', httpStatus: 403 } }); // the sandbox answers a wrong key as Pumble probably does: 403, "Invalid API key"
		expect(on('not-found')).toHaveLength(1);
		expect(on('bad-input')).toHaveLength(1);
		expect(on('unauthorized')).toHaveLength(1);
		expect(sandbox.log.filter((e) => e.path === '/sendMessage' && e.status === 200)).toHaveLength(0);
	});
});

describe('Split and Join', () => {
	const SEQ_TAB = 'sequences-tab';
	const join = (id: string, to: string): FlowNode => ({
		// Node-RED's Join node as the palette gives it, in automatic mode (its default).
		id,
		type: 'join',
		z: SEQ_TAB,
		name: '',
		mode: 'auto',
		build: 'object',
		property: 'payload',
		propertyType: 'msg',
		key: 'topic',
		joiner: '\\n',
		joinerType: 'str',
		useparts: false,
		accumulate: false,
		timeout: '',
		count: '',
		reduceRight: false,
		reduceExp: '',
		reduceInit: '',
		reduceInitType: '',
		reduceFixup: '',
		wires: [[to]],
	});
	const inject = (id: string, payload: string, payloadType: string, to: string): FlowNode => ({ id, type: 'inject', z: SEQ_TAB, name: '', props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload, payloadType, wires: [[to]] });

	it("a Get Many's messages through a Join node in automatic mode come out as one array: the channel's messages as the sandbox holds them, in order; Split → pumble → Join gives one result per part, in order", async () => {
		const file = path.join(home.userDir, 'split-join.jsonl');
		sandbox.reset();
		const texts = ['first part', 'second part', 'third part'];
		const flows: FlowNode[] = [
			{ id: SEQ_TAB, type: 'tab', label: 'split and join' },
			nodeFromPalette('pumble-config', definitions.get('pumble-config')!, { id: CONFIG, baseUrl: sandbox.url, credentials: { apiKey: sandbox.apiKey } }),
			// Get Many (every message of #general, over several pages) → Join
			inject('seq-list', '', 'date', 'seq-get-many'),
			nodeFromPalette('pumble', definitions.get('pumble')!, {
				id: 'seq-get-many',
				z: SEQ_TAB,
				pumble: CONFIG,
				resource: 'message',
				operation: 'getAll',
				channel: 'general',
				channelType: 'str',
				params: JSON.stringify({ returnAll: true }),
				paramsType: 'json',
				wires: [['seq-join-list']],
			}),
			join('seq-join-list', 'record-joined-list'),
			...recorder('record-joined-list', file, 'joined list', SEQ_TAB),
			// an array → Split → send (each part's text) → Join
			inject('seq-texts', JSON.stringify(texts), 'json', 'seq-split'),
			{ id: 'seq-split', type: 'split', z: SEQ_TAB, name: '', splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', wires: [['seq-send']] },
			nodeFromPalette('pumble', definitions.get('pumble')!, { id: 'seq-send', z: SEQ_TAB, pumble: CONFIG, channel: 'random', channelType: 'str', wires: [['seq-join-sent']] }),
			join('seq-join-sent', 'record-joined-sent'),
			...recorder('record-joined-sent', file, 'joined sends', SEQ_TAB),
			{ id: 'seq-catch', type: 'catch', z: SEQ_TAB, name: '', scope: null, uncaught: false, wires: [['record-seq-errors']] },
			...recorder('record-seq-errors', file, 'error', SEQ_TAB),
		];
		await nodeRed.deploy(flows);
		// Enough in #general for more than one page of listMessages (PAGE_SIZE, 100), as others posted them.
		for (let i = 1; i <= 120; i++) sandbox.postAs(sandbox.ids.bob, sandbox.ids.general, `backlog ${i}`);
		// What the sandbox holds in #general, newest first (as Pumble lists a channel): top-level messages and replies also sent to the channel.
		const held = sandbox.state.messages
			.filter((m) => m.channelId === sandbox.ids.general && (m.threadRootId === null || m.sentToChannel))
			.sort((a, b) => b.timestampMilli - a.timestampMilli || b.seq - a.seq)
			.map((m) => m.id);
		expect(held.length).toBeGreaterThan(PAGE_SIZE);

		await nodeRed.inject('seq-list');
		await nodeRed.inject('seq-texts');
		const records = () => readRecords(file);
		await waitFor('both joined arrays', () => ['joined list', 'joined sends'].every((label) => records().some((r) => r.label === label)) || records().some((r) => r.label === 'error'));
		expect(records().filter((r) => r.label === 'error')).toEqual([]);

		const [list] = records().filter((r) => r.label === 'joined list');
		expect(Array.isArray(list.payload)).toBe(true);
		expect((list.payload as Array<{ id: string }>).map((m) => m.id)).toEqual(held);
		expect((list as { parts?: unknown }).parts).toBeUndefined(); // the Join closed the sequence

		const [sent] = records().filter((r) => r.label === 'joined sends');
		const sentIds = (sent.payload as Array<{ id: string; channelId: string }>).map((m) => m.id);
		const byId = (id: string) => sandbox.state.messages.find((m) => m.id === id);
		expect(sentIds.map((id) => byId(id)?.text)).toEqual(texts);
		expect(sentIds.map((id) => byId(id)?.channelId)).toEqual(texts.map(() => sandbox.ids.random));
		expect(records().filter((r) => r.label === 'joined list' || r.label === 'joined sends')).toHaveLength(2);
	});
});
