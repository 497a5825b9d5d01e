/**
 * What a running Node-RED's editor gets, without a browser: the node definitions its HTML registers
 * (`GET /nodes/<module>/<set>`, the editor's own request), a node built from them as the editor builds a
 * node dropped from the palette (a deploy is `RunningNodeRed.deploy`).
 */
import * as vm from 'node:vm';

import type { FlowNode } from './home';

export interface EditorDefinition {
	defaults: Record<string, { value: unknown; type?: string }>;
	credentials?: Record<string, { type: string }>;
	[key: string]: unknown;
}

/**
 * Runs the `<script type="text/javascript">` blocks of one node set's editor HTML, as the editor does,
 * against just enough of the editor's `RED` to capture each `RED.nodes.registerType(type, definition)`.
 */
export async function editorDefinitions(url: string, module: string, set: string): Promise<Map<string, EditorDefinition>> {
	const response = await fetch(`${url}/nodes/${module}/${set}`, { headers: { accept: 'text/html' } });
	if (response.status !== 200) throw new Error(`GET /nodes/${module}/${set}: HTTP ${response.status}`);
	const html = await response.text();
	const found = new Map<string, EditorDefinition>();
	const validator = (): (() => boolean) => () => true;
	const RED = {
		nodes: { registerType: (type: string, definition: EditorDefinition) => found.set(type, definition) },
		validators: { number: validator, regex: validator, typedInput: validator },
		_: (key: string) => key,
	};
	const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
	if (scripts.length === 0) throw new Error(`GET /nodes/${module}/${set}: no editor script in\n${html.slice(0, 500)}`);
	for (const script of scripts) vm.runInNewContext(script, { RED, $: () => undefined, console });
	return found;
}

/** A node as the editor makes it when dropped from the palette: each default's value (a copy), then `fields` on top. */
export function nodeFromPalette(type: string, definition: EditorDefinition, fields: Record<string, unknown> & { id: string }): FlowNode {
	const node: FlowNode = { id: fields.id, type };
	for (const [name, d] of Object.entries(definition.defaults)) node[name] = d.value === undefined ? undefined : (JSON.parse(JSON.stringify(d.value)) as unknown);
	return { ...node, ...fields };
}
