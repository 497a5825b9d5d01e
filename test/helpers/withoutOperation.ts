/**
 * A copy of the built package (dist/) with one operation taken out of one host, as a build would ship it had
 * that host lost the operation: for n8n, its line in the resource's operations and its Operation option
 * (nodes/Pumble/actions/<resource>/index.js); for Node-RED, its field map (nodes/NodeRed/operations/*.js) and
 * its entry in the editor's generated operation list (nodes/NodeRed/pumble.html). The compiled JavaScript is
 * edited through its syntax tree (TypeScript's parser), and each removal must find what it removes.
 * The copies live under one temporary folder whose node_modules is this project's, so they load as dist/ does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as ts from 'typescript';

import { ROOT } from './built';

export type Host = 'n8n' | 'nodeRed';

/** A temporary folder for copies of dist/, resolving packages from this project's node_modules. */
export function copiesFolder(): { folder: string; remove: () => void } {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pumble-parity-'));
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
	return { folder, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

/** The source without the given nodes, each with the comma that follows it in its list. */
function cut(text: string, nodes: ts.Node[]): string {
	let out = text;
	for (const node of [...nodes].sort((a, b) => b.getStart() - a.getStart())) {
		let end = node.getEnd();
		const comma = /^\s*,/.exec(out.slice(end));
		if (comma) end += comma[0].length;
		out = out.slice(0, node.getFullStart()) + out.slice(end);
	}
	return out;
}

const nameOf = (property: ts.ObjectLiteralElementLike): string | undefined =>
	property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;

const stringProperty = (object: ts.ObjectLiteralExpression, name: string): string | undefined => {
	const property = object.properties.find((p) => nameOf(p) === name);
	return property && ts.isPropertyAssignment(property) && ts.isStringLiteral(property.initializer) ? property.initializer.text : undefined;
};

/** Every node of a compiled file's syntax tree. */
function nodesOf(file: ts.SourceFile): ts.Node[] {
	const all: ts.Node[] = [];
	const visit = (node: ts.Node) => {
		all.push(node);
		ts.forEachChild(node, visit);
	};
	visit(file);
	return all;
}

/** `exports.<name> = { … }`: the object literal assigned. */
const exportedObjects = (nodes: ts.Node[], name: string): ts.ObjectLiteralExpression[] =>
	nodes.flatMap((node) =>
		ts.isBinaryExpression(node) &&
		node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
		ts.isPropertyAccessExpression(node.left) &&
		ts.isIdentifier(node.left.expression) &&
		node.left.expression.text === 'exports' &&
		node.left.name.text === name &&
		ts.isObjectLiteralExpression(node.right)
			? [node.right]
			: [],
	);

function edit(file: string, change: (nodes: ts.Node[]) => ts.Node[]): void {
	const text = fs.readFileSync(file, 'utf8');
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
	const removed = change(nodesOf(source));
	if (removed.length === 0) throw new Error(`${file}: nothing to remove`);
	fs.writeFileSync(file, cut(text, removed));
}

/** n8n: the operation's line in `exports.operations` and its option in the Operation selector. */
function withoutInN8n(dist: string, resource: string, operation: string): void {
	const file = path.join(dist, 'nodes', 'Pumble', 'actions', resource, 'index.js');
	edit(file, (nodes) => {
		const inOperations = exportedObjects(nodes, 'operations').flatMap((object) => object.properties.filter((p) => nameOf(p) === operation));
		const selectors = nodes.filter((node): node is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(node) && stringProperty(node, 'name') === 'operation');
		const options = selectors.flatMap((selector) => {
			const list = selector.properties.find((p) => nameOf(p) === 'options');
			if (!list || !ts.isPropertyAssignment(list) || !ts.isArrayLiteralExpression(list.initializer)) return [];
			return list.initializer.elements.filter((option) => ts.isObjectLiteralExpression(option) && stringProperty(option, 'value') === operation);
		});
		if (inOperations.length !== 1 || options.length !== 1) throw new Error(`${file}: expected ${operation} once in operations and once in the Operation options`);
		return [...inOperations, ...options];
	});
}

/** Node-RED: the operation's field map (`exports.<resource>` of one file of operations/) and its editor entry. */
function withoutInNodeRed(dist: string, resource: string, operation: string): void {
	const folder = path.join(dist, 'nodes', 'NodeRed', 'operations');
	const files = fs.readdirSync(folder).filter((name) => name.endsWith('.js'));
	let found = 0;
	for (const name of files) {
		const file = path.join(folder, name);
		const text = fs.readFileSync(file, 'utf8');
		const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
		if (exportedObjects(nodesOf(source), resource).length === 0) continue;
		edit(file, (nodes) => exportedObjects(nodes, resource).flatMap((object) => object.properties.filter((p) => nameOf(p) === operation)));
		found++;
	}
	if (found !== 1) throw new Error(`${folder}: expected one file exporting ${resource}, found ${found}`);

	const html = path.join(dist, 'nodes', 'NodeRed', 'pumble.html');
	const text = fs.readFileSync(html, 'utf8');
	const declared = /var OPERATIONS = (\{.*\});/.exec(text);
	if (!declared) throw new Error(`${html}: no OPERATIONS`);
	const list = JSON.parse(declared[1]) as Record<string, Array<{ value: string }>>;
	const kept = (list[resource] ?? []).filter((op) => op.value !== operation);
	if (kept.length !== (list[resource] ?? []).length - 1) throw new Error(`${html}: ${resource}.${operation} is not in OPERATIONS`);
	list[resource] = kept;
	fs.writeFileSync(html, text.replace(declared[0], `var OPERATIONS = ${JSON.stringify(list)};`));
}

/** A copy of dist/ in `folder` (a folder of copiesFolder()) without `resource.operation` in `host`; its path. */
export function builtWithout(folder: string, host: Host, resource: string, operation: string): string {
	const dist = path.join(folder, `${host}-${resource}-${operation}`);
	fs.cpSync(path.join(ROOT, 'dist'), dist, { recursive: true });
	if (host === 'n8n') withoutInN8n(dist, resource, operation);
	else withoutInNodeRed(dist, resource, operation);
	return dist;
}
