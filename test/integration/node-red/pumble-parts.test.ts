/**
 * Get Many sends one message per result with msg.parts as Node-RED's Split node sets them, so Node-RED's own
 * Join node in automatic mode puts the list back together (Node-RED's core Split/Join nodes, against the sandbox).
 */
import type { Sandbox } from '../../../sandbox';
import { collect, getNode, loadFlow, nodeRedSuite } from '../../helpers/nodeRed';

let sandbox: Sandbox;
nodeRedSuite((started) => (sandbox = started));

describe('Get Many and Join', () => {
	it('a Join node in automatic mode restores the list of a Get Many', async () => {
		await loadFlow(sandbox, [
			{ id: 'p1', type: 'pumble', pumble: 'cfg', resource: 'message', operation: 'getAll', channel: sandbox.ids.general, params: '{"limit":4}', paramsType: 'json', wires: [['each', 'j1']] },
			{ id: 'j1', type: 'join', mode: 'auto', build: 'object', property: 'payload', propertyType: 'msg', key: 'topic', joiner: '\\n', joinerType: 'str', accumulate: false, timeout: '', count: '', reduceRight: false, wires: [['joined']] },
			{ id: 'each', type: 'helper' },
			{ id: 'joined', type: 'helper' },
		]);
		const each = collect('each');
		const joined = collect('joined');
		getNode('p1').receive({ payload: {} });
		const [whole] = await joined.next(1);
		const parts = await each.next(4);
		expect(parts.map((m) => (m.parts as { index: number }).index)).toEqual([0, 1, 2, 3]);
		expect(parts.every((m) => (m.parts as { count: number }).count === 4)).toBe(true);
		expect(whole.payload).toEqual(parts.map((m) => m.payload));
		expect(whole.parts).toBeUndefined();
	});
});
