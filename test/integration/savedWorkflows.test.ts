/**
 * Workflows saved before 1.0.0 keep working: test/fixtures/saved-workflows/ holds every example workflow as it
 * was saved on 2026-12-07 (a copy, never updated). Each Pumble node in them must still name a node type of
 * this package (`<package name>.<node name>`, how n8n names community node types), a `typeVersion` the node
 * still has, and parameters n8n finds no issue with; and the demo's first two steps run against the sandbox
 * as saved.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHelpers, type INode, type INodeType, type IDataObject } from 'n8n-workflow';

import { Pumble } from '../../nodes/Pumble/Pumble.node';
import { PumbleAppTrigger } from '../../nodes/Pumble/PumbleAppTrigger.node';
import { PumbleTrigger } from '../../nodes/Pumble/PumbleTrigger.node';
import { expectOk, sandboxSuite } from '../helpers/sandboxSuite';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'saved-workflows');
const { name: packageName } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string };

// A node with `usableAsTool` is also saved as `<type>Tool` when an AI agent uses it (n8n derives that type).
const nodeTypes = new Map<string, INodeType>(
	[new Pumble(), new PumbleTrigger(), new PumbleAppTrigger()].flatMap((t) => [
		[`${packageName}.${t.description.name}`, t] as const,
		...(t.description.usableAsTool ? [[`${packageName}.${t.description.name}Tool`, t] as const] : []),
	]),
);

interface SavedWorkflow {
	name: string;
	nodes: INode[];
}
const saved = fs
	.readdirSync(FIXTURES)
	.filter((f) => f.endsWith('.workflow.json'))
	.sort()
	.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as SavedWorkflow }));
const pumbleNodes = saved.flatMap(({ file, workflow }) =>
	workflow.nodes.filter((n) => n.type.startsWith(`${packageName}.`)).map((node) => ({ where: `${file}: ${node.name}`, node })),
);

describe('workflows saved before 1.0.0', () => {
	it('the fixtures hold the action node, its AI-tool form and the app trigger', () => {
		expect(saved.length).toBeGreaterThanOrEqual(7);
		const types = new Set(pumbleNodes.map(({ node }) => node.type));
		for (const t of ['pumble', 'pumbleTool', 'pumbleAppTrigger']) expect(types).toContain(`${packageName}.${t}`);
	});

	it.each(pumbleNodes.map((p) => [p.where, p.node] as const))('%s: same node type and version, parameters without issues', (where, node) => {
		const type = nodeTypes.get(node.type);
		expect({ where, type: node.type, known: type !== undefined }).toEqual({ where, type: node.type, known: true });
		const versions = ([] as number[]).concat(type!.description.version);
		expect({ where, typeVersion: node.typeVersion, known: versions.includes(node.typeVersion) }).toEqual({ where, typeVersion: node.typeVersion, known: true });
		const parameters = NodeHelpers.getNodeParameters(type!.description.properties, node.parameters, true, false, node, type!.description);
		expect(parameters).not.toBeNull();
		const issues = NodeHelpers.getNodeParametersIssues(type!.description.properties, { ...node, parameters: parameters! }, type!.description);
		expect({ where, issues }).toEqual({ where, issues: null });
	});
});

describe('the demo workflow as saved runs', () => {
	const suite = sandboxSuite('saved-workflows');
	const demo = saved.find(({ file }) => file === 'demo.workflow.json')!.workflow;
	const step = (name: string) => demo.nodes.find((n) => n.name === name)!;

	it('Create Channel, then Send Message to it ($json.id of the channel)', async () => {
		const created = await suite.run(step('Create Channel').parameters);
		expectOk(created);
		const channel = created.output[0].json as IDataObject;
		expect(suite.sandbox.state.channels.some((c) => c.id === channel.id)).toBe(true);

		const sent = await suite.run(step('Send Message').parameters, { items: [channel] });
		expectOk(sent);
		const message = sent.output[0].json as IDataObject;
		expect(suite.sandbox.state.messages.find((m) => m.id === message.id)?.channelId).toBe(channel.id);
	});
});
