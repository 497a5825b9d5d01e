/**
 * The parity check: what a built package (dist/, or a copy of it) offers in each host, set against its own
 * catalogue (core/catalogue.js of that package). Read as the hosts load it: the n8n node's description (Resource
 * and Operation options, Return All fields) and its router's operations; the Node-RED node's field maps and its
 * editor's Resource and Operation options (the HTML Node-RED serves). The report names every operation by
 * `resource.operation`: missing from or extra in each host's surface, or declared differently there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

export type Facts = { readOnly: boolean; many: boolean };
export type Catalogue = Record<string, Record<string, Facts>>;

/** What one surface of a host lacks and has beyond the catalogue. */
export interface Drift {
	missing: string[];
	extra: string[];
}

export interface ParityReport {
	resources: { n8nEditor: Drift; nodeRedEditor: Drift };
	operations: { n8nEditor: Drift; n8nRouter: Drift; nodeRed: Drift; nodeRedEditor: Drift };
	/** Operations a host has but declares otherwise than the catalogue (reads? many? maps its input?). */
	disagreements: string[];
}

const none = (): Drift => ({ missing: [], extra: [] });

/** The report of a package in parity: nothing missing, nothing extra, no disagreement. */
export const inParity = (): ParityReport => ({
	resources: { n8nEditor: none(), nodeRedEditor: none() },
	operations: { n8nEditor: none(), n8nRouter: none(), nodeRed: none(), nodeRedEditor: none() },
	disagreements: [],
});

/** Send and Wait is n8n's own human-in-the-loop operation (Pumble.node.ts, not the router): n8n only. */
export const N8N_ONLY = ['message.sendAndWait'];

/** `resource.operation` → its value, for every operation of a listing. */
export const flat = <T>(listing: Record<string, Record<string, T>>): Record<string, T> =>
	Object.fromEntries(Object.entries(listing).flatMap(([resource, ops]) => Object.entries(ops).map(([op, value]) => [`${resource}.${op}`, value])));

const drift = (offered: Iterable<string>, expected: Iterable<string>): Drift => {
	const has = new Set(offered);
	const wanted = new Set(expected);
	return { missing: [...wanted].filter((name) => !has.has(name)).sort(), extra: [...has].filter((name) => !wanted.has(name)).sort() };
};

/** A built package's modules and editor HTML, loaded from its folder (each folder its own module instances). */
export interface BuiltHosts {
	catalogue: Catalogue;
	n8nDescription: INodeTypeDescription;
	n8nRouter: Record<string, { operations: Record<string, { input?: unknown }> }>;
	nodeRedOperations: Record<string, Record<string, { input?: unknown }>>;
	editorHtml: string;
}

export function loadBuilt(distRoot: string): BuiltHosts {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const load = <T>(file: string): T => require(path.join(distRoot, file)) as T;
	const { Pumble } = load<{ Pumble: new () => { description: INodeTypeDescription } }>('nodes/Pumble/Pumble.node.js');
	return {
		catalogue: load<{ CATALOGUE: Catalogue }>('core/catalogue.js').CATALOGUE,
		n8nDescription: new Pumble().description,
		n8nRouter: load<{ resources: BuiltHosts['n8nRouter'] }>('nodes/Pumble/actions/router.js').resources,
		nodeRedOperations: load<{ OPERATIONS: BuiltHosts['nodeRedOperations'] }>('nodes/NodeRed/operations/index.js').OPERATIONS,
		editorHtml: fs.readFileSync(path.join(distRoot, 'nodes', 'NodeRed', 'pumble.html'), 'utf8'),
	};
}

/** The n8n editor's options: its resources, each resource's Operation options, and which of them show a Return All field. */
export function n8nEditorOf(description: INodeTypeDescription): { resources: string[]; operations: Record<string, { many: boolean }> } {
	const properties = description.properties as INodeProperties[];
	const resources = (properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[]).map((o) => String(o.value));
	const operations: Record<string, { many: boolean }> = {};
	for (const selector of properties.filter((p) => p.name === 'operation')) {
		const resource = String(selector.displayOptions!.show!.resource![0]);
		for (const option of selector.options as INodePropertyOptions[]) {
			const operation = String(option.value);
			if (N8N_ONLY.includes(`${resource}.${operation}`)) continue;
			const many = properties.some((p) => p.name === 'returnAll' && p.displayOptions?.show?.resource?.includes(resource) && p.displayOptions.show.operation?.includes(operation));
			operations[`${resource}.${operation}`] = { many };
		}
	}
	return { resources, operations };
}

/** The Node-RED editor's options, as the built HTML declares them. */
export function nodeRedEditorOf(editorHtml: string): { resources: string[]; operations: Record<string, Facts> } {
	const list = /var OPERATIONS = (\{.*\});/.exec(editorHtml)?.[1];
	if (!list) throw new Error(`the built pumble.html declares no OPERATIONS:\n${editorHtml.slice(0, 800)}`);
	const parsed = JSON.parse(list) as Record<string, Array<{ value: string } & Facts>>;
	const operations = Object.fromEntries(Object.entries(parsed).flatMap(([resource, ops]) => ops.map(({ value, readOnly, many }) => [`${resource}.${value}`, { readOnly, many }])));
	const select = /<select id="node-input-resource">([\s\S]*?)<\/select>/.exec(editorHtml)![1];
	const resources = [...select.matchAll(/<option value="(\w+)">/g)].map((m) => m[1]).filter((value) => value !== 'msg');
	return { resources, operations };
}

/** Each host of a built package against its catalogue. */
export function parityOf(built: BuiltHosts): ParityReport {
	const catalogue = flat(built.catalogue);
	const operations = Object.keys(catalogue);
	const n8nEditor = n8nEditorOf(built.n8nDescription);
	const n8nRouter = flat(Object.fromEntries(Object.entries(built.n8nRouter).map(([resource, { operations: ops }]) => [resource, ops])));
	const nodeRed = flat(built.nodeRedOperations);
	const nodeRedEditor = nodeRedEditorOf(built.editorHtml);

	const disagreements: string[] = [];
	const differs = (host: string, op: string, fact: string, theirs: unknown, ours: unknown) => {
		if (theirs !== ours) disagreements.push(`${host}: ${op} ${fact} ${String(theirs)} (catalogue: ${String(ours)})`);
	};
	for (const [op, { readOnly, many }] of Object.entries(catalogue)) {
		if (n8nEditor.operations[op]) differs('n8n editor', op, 'returns many', n8nEditor.operations[op].many, many);
		if (n8nRouter[op]) differs('n8n router', op, 'maps its input', typeof n8nRouter[op].input === 'function', true);
		if (nodeRed[op]) differs('Node-RED', op, 'maps its input', typeof nodeRed[op].input === 'function', true);
		if (nodeRedEditor.operations[op]) {
			differs('Node-RED editor', op, 'reads only', nodeRedEditor.operations[op].readOnly, readOnly);
			differs('Node-RED editor', op, 'returns many', nodeRedEditor.operations[op].many, many);
		}
	}
	const resources = Object.keys(built.catalogue);
	return {
		resources: { n8nEditor: drift(n8nEditor.resources, resources), nodeRedEditor: drift(nodeRedEditor.resources, resources) },
		operations: {
			n8nEditor: drift(Object.keys(n8nEditor.operations), operations),
			n8nRouter: drift(Object.keys(n8nRouter), operations),
			nodeRed: drift(Object.keys(nodeRed), operations),
			nodeRedEditor: drift(Object.keys(nodeRedEditor.operations), operations),
		},
		disagreements,
	};
}
