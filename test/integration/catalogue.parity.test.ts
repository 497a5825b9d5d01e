/**
 * What ships offers exactly the catalogue's operations, and agrees with it: read from the BUILT package
 * (dist/, as `npm run build` leaves it and `npm pack` ships it; built first when missing or stale):
 * - the n8n node's Resource and Operation options (its description, as n8n loads it), which of them return
 *   many (a Return All field), and its router's operations, each mapping n8n's fields to the entry's input;
 * - the Node-RED node's operations (its field maps: msg → the entry's input) and its editor's Resource and
 *   Operation options (the HTML Node-RED serves; the build writes them from core/catalogue.ts), with what each is.
 * - the Node-RED editor's typed-input fields, and their labels as Node-RED's hints name them (lib/errors.ts).
 * An operation removed from one host, or declared differently there, fails here naming the operation.
 */
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

import { ensureBuilt, readBuilt, requireBuilt } from '../helpers/built';

type Facts = { readOnly: boolean; many: boolean };
type Catalogue = Record<string, Record<string, Facts>>;

let catalogue: Catalogue;
let n8nDescription: INodeTypeDescription;
let n8nRouter: Record<string, { operations: Record<string, { input?: unknown }> }>;
let nodeRedOperations: Record<string, Record<string, { input?: unknown }>>;
let editorHtml: string;
let nodeRedFields: readonly string[];
let hintLabels: Readonly<Record<string, string>>;

beforeAll(async () => {
	await ensureBuilt();
	catalogue = requireBuilt<{ CATALOGUE: Catalogue }>('core/catalogue.js').CATALOGUE;
	const { Pumble } = requireBuilt<{ Pumble: new () => { description: INodeTypeDescription } }>('nodes/Pumble/Pumble.node.js');
	n8nDescription = new Pumble().description;
	n8nRouter = requireBuilt<{ resources: typeof n8nRouter }>('nodes/Pumble/actions/router.js').resources;
	nodeRedOperations = requireBuilt<{ OPERATIONS: typeof nodeRedOperations }>('nodes/NodeRed/operations/index.js').OPERATIONS;
	editorHtml = readBuilt('nodes/NodeRed/pumble.html');
	nodeRedFields = requireBuilt<{ FIELDS: readonly string[] }>('nodes/NodeRed/lib/inputs.js').FIELDS;
	hintLabels = requireBuilt<{ EDITOR_LABELS: Record<string, string> }>('nodes/NodeRed/lib/errors.js').EDITOR_LABELS;
}, 6 * 60_000);

/** `resource.operation` → its facts, for every operation of a listing. */
const flat = <T>(listing: Record<string, Record<string, T>>): Record<string, T> =>
	Object.fromEntries(Object.entries(listing).flatMap(([resource, ops]) => Object.entries(ops).map(([op, value]) => [`${resource}.${op}`, value])));
const names = (listing: Record<string, Record<string, unknown>>) => Object.keys(flat(listing)).sort();
const catalogueFacts = () => Object.fromEntries(Object.entries(flat(catalogue)).map(([op, { readOnly, many }]) => [op, { readOnly, many }]));

/** Send and Wait is n8n's own human-in-the-loop operation (Pumble.node.ts, not the router): n8n only. */
const N8N_ONLY = ['message.sendAndWait'];

/** The operations n8n's router runs, by resource. */
const routerOperations = () => Object.fromEntries(Object.entries(n8nRouter).map(([resource, { operations }]) => [resource, operations]));

/** The n8n editor's options: each resource's Operation options, and which of them show a Return All field. */
function n8nEditor(): { operations: Record<string, Record<string, { many: boolean }>>; resources: string[] } {
	const properties = n8nDescription.properties as INodeProperties[];
	const resources = (properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[]).map((o) => String(o.value));
	const operations: Record<string, Record<string, { many: boolean }>> = {};
	for (const selector of properties.filter((p) => p.name === 'operation')) {
		const resource = String(selector.displayOptions!.show!.resource![0]);
		for (const option of selector.options as INodePropertyOptions[]) {
			const operation = String(option.value);
			if (N8N_ONLY.includes(`${resource}.${operation}`)) continue;
			const many = properties.some((p) => p.name === 'returnAll' && p.displayOptions?.show?.resource?.includes(resource) && p.displayOptions.show.operation?.includes(operation));
			(operations[resource] ??= {})[operation] = { many };
		}
	}
	return { operations, resources: resources.sort() };
}

/** The Node-RED editor's options, as the built HTML declares them. */
function nodeRedEditor(): { operations: Record<string, Record<string, Facts>>; resources: string[] } {
	const list = /var OPERATIONS = (\{.*\});/.exec(editorHtml)?.[1];
	if (!list) throw new Error(`the built pumble.html declares no OPERATIONS:\n${editorHtml.slice(0, 800)}`);
	const parsed = JSON.parse(list) as Record<string, Array<{ value: string } & Facts>>;
	const operations = Object.fromEntries(Object.entries(parsed).map(([resource, ops]) => [resource, Object.fromEntries(ops.map(({ value, readOnly, many }) => [value, { readOnly, many }]))]));
	const select = /<select id="node-input-resource">([\s\S]*?)<\/select>/.exec(editorHtml)![1];
	const resources = [...select.matchAll(/<option value="(\w+)">/g)].map((m) => m[1]).filter((value) => value !== 'msg');
	return { operations, resources: resources.sort() };
}

describe('the operation catalogue and the built package', () => {
	it('n8n offers every operation of the catalogue and no other, in its editor and its router', () => {
		const editor = n8nEditor();
		expect({ n8nResources: editor.resources }).toEqual({ n8nResources: Object.keys(catalogue).sort() });
		expect({ n8nEditor: names(editor.operations) }).toEqual({ n8nEditor: names(catalogue) });
		expect({ n8nRouter: names(routerOperations()) }).toEqual({ n8nRouter: names(catalogue) });
	});

	it('n8n agrees with the catalogue on what returns many, and maps every operation to its entry', () => {
		const editor = flat(n8nEditor().operations);
		const router = flat(routerOperations());
		const n8n = Object.fromEntries(Object.keys(flat(catalogue)).map((op) => [op, { many: editor[op]?.many === true, mapsInput: typeof router[op]?.input === 'function' }]));
		const expected = Object.fromEntries(Object.entries(catalogueFacts()).map(([op, { many }]) => [op, { many, mapsInput: true }]));
		expect(n8n).toEqual(expected);
	});

	it('Node-RED runs every operation of the catalogue and no other, each mapping a message to its entry', () => {
		expect({ nodeRed: names(nodeRedOperations) }).toEqual({ nodeRed: names(catalogue) });
		const maps = Object.fromEntries(Object.entries(flat(nodeRedOperations)).map(([op, map]) => [op, typeof map.input]));
		expect(maps).toEqual(Object.fromEntries(names(catalogue).map((op) => [op, 'function'])));
	});

	it("Node-RED's editor offers every resource and operation of the catalogue and no other, each as the catalogue declares it", () => {
		const editor = nodeRedEditor();
		expect({ nodeRedEditorResources: editor.resources }).toEqual({ nodeRedEditorResources: Object.keys(catalogue).sort() });
		expect(flat(editor.operations)).toEqual(catalogueFacts());
	});

	it("Node-RED's editor has the node's typed-input fields, labelled as Node-RED's hints name them", () => {
		const declared = /var FIELDS = \[([^\]]*)\];/.exec(editorHtml)![1].match(/'(\w+)'/g)!.map((quoted) => quoted.slice(1, -1));
		expect({ editorFields: declared }).toEqual({ editorFields: [...nodeRedFields] });
		const labels = Object.fromEntries(
			[...editorHtml.matchAll(/<label for="node-input-(\w+)">([^<]+)<\/label>/g)].filter(([, field]) => Object.hasOwn(hintLabels, field)).map(([, field, label]) => [field, label.trim()]),
		);
		expect(labels).toEqual(hintLabels);
		expect(Object.keys(hintLabels).every((field) => nodeRedFields.includes(field))).toBe(true);
	});
});
