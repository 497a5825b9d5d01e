/**
 * Both hosts offer exactly the catalogue's operations (core/catalogue.ts) and agree with it: n8n's actions
 * and their Operation options, Node-RED's operation table and the editor's operation list (the built HTML).
 * Removing an operation from one host, or declaring it differently, fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodePropertyOptions } from 'n8n-workflow';

import { CATALOGUE } from '../../core';
import { resources as n8nResources } from '../../nodes/Pumble/actions/router';
import { OPERATIONS as nodeRedOperations } from '../../nodes/NodeRed/operations';
import * as channel from '../../nodes/Pumble/actions/channel';
import * as message from '../../nodes/Pumble/actions/message';
import * as reaction from '../../nodes/Pumble/actions/reaction';
import * as scheduledMessage from '../../nodes/Pumble/actions/scheduledMessage';
import * as user from '../../nodes/Pumble/actions/user';
import * as userGroup from '../../nodes/Pumble/actions/userGroup';

const n8nDescriptions: Record<string, { description: Array<{ name: string; options?: unknown }> }> = { message, reaction, channel, scheduledMessage, user, userGroup };
const sorted = (names: Iterable<string>) => [...names].sort();
const catalogue = CATALOGUE as Record<string, Record<string, { readOnly: boolean; many: boolean; ordered: boolean }>>;

/** The editor's operation list, as the HTML Node-RED loads declares it: `resource: ['op', …],`. */
function editorOperations(): Record<string, string[]> {
	const html = readFileSync(join(__dirname, '../../nodes/NodeRed/pumble.html'), 'utf8');
	return Object.fromEntries([...html.matchAll(/^\s*(\w+): \[((?:'\w+',? ?)+)\],?$/gm)].map((m) => [m[1], [...m[2].matchAll(/'(\w+)'/g)].map((o) => o[1])]));
}

describe('the operation catalogue and its two hosts', () => {
	it('n8n has every resource and operation of the catalogue, and no other', () => {
		expect(sorted(Object.keys(n8nResources))).toEqual(sorted(Object.keys(catalogue)));
		for (const [resource, entries] of Object.entries(catalogue)) {
			expect([resource, sorted(Object.keys(n8nResources[resource].operations))]).toEqual([resource, sorted(Object.keys(entries))]);
			const selector = n8nDescriptions[resource].description.find((property) => property.name === 'operation');
			// Send and Wait is n8n's own human-in-the-loop operation (Pumble.node.ts, not the router): n8n only.
			const offered = (selector?.options as INodePropertyOptions[]).map((option) => String(option.value)).filter((value) => `${resource}.${value}` !== 'message.sendAndWait');
			expect([resource, sorted(offered)]).toEqual([resource, sorted(Object.keys(entries))]);
		}
	});

	it('Node-RED has every resource and operation of the catalogue, in its table and in the editor, and no other', () => {
		expect(sorted(Object.keys(nodeRedOperations))).toEqual(sorted(Object.keys(catalogue)));
		const editor = editorOperations();
		expect(sorted(Object.keys(editor))).toEqual(sorted(Object.keys(catalogue)));
		for (const [resource, entries] of Object.entries(catalogue)) {
			expect([resource, sorted(Object.keys(nodeRedOperations[resource]))]).toEqual([resource, sorted(Object.keys(entries))]);
			expect([resource, sorted(editor[resource])]).toEqual([resource, sorted(Object.keys(entries))]);
		}
	});

	it('both hosts agree with the catalogue on what reads and what keeps its order', () => {
		for (const [resource, entries] of Object.entries(catalogue)) {
			for (const [operation, entry] of Object.entries(entries)) {
				const n8n = n8nResources[resource].operations[operation];
				const nodeRed = nodeRedOperations[resource][operation];
				// n8n's router takes reads, order and the run from the entry; its action only maps its fields to the entry's input.
				const facts = { n8nMapsInput: typeof n8n.input === 'function', nodeRedOrdered: nodeRed.conversation !== undefined };
				expect([`${resource}.${operation}`, facts]).toEqual([`${resource}.${operation}`, { n8nMapsInput: true, nodeRedOrdered: entry.ordered }]);
			}
		}
	});
});
