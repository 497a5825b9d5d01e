/**
 * n8n evaluates a parameter (its expressions) on every getNodeParameter call, so the node reads each parameter
 * once per item, and the node-level ones (Resource, Operation: no expressions, n8n reads them at item 0) once
 * per execution. Counted at the node's boundary: the Pumble node's own execute(), run by n8n-core's
 * WorkflowExecute, gets a context whose getNodeParameter counts every call before n8n answers it. Every
 * operation of the catalogue (test/helpers/allOperations.ts), with two items whose parameters are expressions,
 * in a normal run and in n8n's Retry (where "On Retry: Skip Messages Already in the Channel" is read as well).
 */
import type { IDataObject, IExecuteFunctions, INodeParameters, INodeType, WorkflowExecuteMode } from 'n8n-workflow';

import { Pumble } from '../../nodes/Pumble/Pumble.node';
import { allOperations, prepare } from '../helpers/allOperations';
import { sandboxSuite } from '../helpers/sandboxSuite';

const suite = sandboxSuite('parameter-reads');

const NODE_LEVEL = ['resource', 'operation'];

/** The Pumble node, its execute() handed a context that counts getNodeParameter calls by `name@item`. */
function countingNode(): { node: INodeType; reads: Map<string, number> } {
	const reads = new Map<string, number>();
	const node = new Pumble();
	node.execute = async function (this: IExecuteFunctions) {
		const context = Object.create(this) as IExecuteFunctions;
		const evaluate = this.getNodeParameter.bind(this) as (...args: unknown[]) => unknown;
		context.getNodeParameter = ((name: string, itemIndex: number, ...rest: unknown[]) => {
			const key = `${name}@${itemIndex}`;
			reads.set(key, (reads.get(key) ?? 0) + 1);
			return evaluate(name, itemIndex, ...rest);
		}) as IExecuteFunctions['getNodeParameter'];
		return await Pumble.prototype.execute.call(context);
	};
	return { node, reads };
}

/** The node's free-text fields (`type: 'string'`): the ones written as expressions here (an Options field picks what shows). */
const TEXT_FIELDS = new Set(new Pumble().description.properties.filter((p) => p.type === 'string').map((p) => p.name));

/** Each text parameter as an expression of the item (`$json.<name>`), and the two items carrying the values. */
function asExpressions(parameters: INodeParameters): { parameters: INodeParameters; items: IDataObject[] } {
	const item: IDataObject = {};
	const expressed: INodeParameters = {};
	for (const [name, value] of Object.entries(parameters)) {
		if (!TEXT_FIELDS.has(name) || typeof value !== 'string') expressed[name] = value;
		else {
			item[name] = value;
			expressed[name] = `={{ $json.${name} }}`;
		}
	}
	return { parameters: expressed, items: [item, { ...item }] };
}

async function readsOf(parameters: INodeParameters, mode: WorkflowExecuteMode = 'manual') {
	const { node, reads } = countingNode();
	const { parameters: expressed, items } = asExpressions(parameters);
	const result = await suite.run(expressed, { node, items, mode });
	return { reads: Object.fromEntries([...reads].sort(([a], [b]) => a.localeCompare(b))), error: result.error, issues: result.issues };
}

/** What a correct node reads: Resource and Operation once at item 0, every given parameter once per item, nothing twice. */
function expectedReads(parameters: INodeParameters, reads: Record<string, number>): Record<string, number> {
	const expected: Record<string, number> = { 'resource@0': 1, 'operation@0': 1 };
	for (const name of Object.keys(parameters).filter((n) => !NODE_LEVEL.includes(n))) for (const item of [0, 1]) expected[`${name}@${item}`] = 1;
	// the parameters the node reads beyond those given (their defaults: Simplify, Options…): once per item as well
	for (const key of Object.keys(reads)) if (!NODE_LEVEL.includes(key.split('@')[0])) expected[key] ??= 1;
	return expected;
}

describe("the node reads each parameter once per item, Resource and Operation once per execution, through the node's execute()", () => {
	it('every operation, two items with expressions', async () => {
		const cases = allOperations(suite.sandbox, prepare(suite.sandbox));
		const seen = [];
		const wanted = [];
		for (const { name, ok } of cases) {
			const { reads, issues } = await readsOf(ok);
			expect({ name, issues }).toEqual({ name, issues: undefined });
			seen.push({ name, reads });
			wanted.push({ name, reads: expectedReads(ok, reads) });
		}
		expect(seen).toEqual(wanted);
	}, 120_000);

	it("n8n's Retry of a send with On Retry: Skip Messages Already in the Channel", async () => {
		const send: INodeParameters = { resource: 'message', operation: 'send', channel: { __rl: true, mode: 'id', value: suite.sandbox.ids.general }, text: 'retried', options: { skipExistingOnRetry: true } };
		const { reads, error } = await readsOf(send, 'retry');
		expect(error).toBeUndefined();
		expect(reads).toEqual(expectedReads(send, reads));
		expect(reads['options@1']).toBe(1);
	});
});
