/**
 * What ships offers exactly the catalogue's operations, and agrees with it: read from the BUILT package
 * (dist/, as `npm run build` leaves it and `npm pack` ships it; built first when missing or stale) by the
 * parity check (test/helpers/parity.ts):
 * - the n8n node's Resource and Operation options (its description, as n8n loads it), which of them return
 *   many (a Return All field), and its router's operations, each mapping n8n's fields to the entry's input;
 * - the Node-RED node's operations (its field maps: msg → the entry's input) and its editor's Resource and
 *   Operation options (the HTML Node-RED serves; the build writes them from core/catalogue.ts), with what each is.
 * - the Node-RED editor's typed-input fields, and their labels as Node-RED's hints name them (lib/errors.ts).
 * And the check sees drift: in a copy of the built package with one operation of the catalogue taken out of
 * one host (test/helpers/withoutOperation.ts), it reports exactly that operation missing from that host.
 */
import { CATALOGUE } from '../../core/catalogue';
import { ensureBuilt, readBuilt, requireBuilt, ROOT } from '../helpers/built';
import { inParity, loadBuilt, parityOf, type BuiltHosts, type ParityReport } from '../helpers/parity';
import { builtWithout, copiesFolder } from '../helpers/withoutOperation';

let built: BuiltHosts;
let editorHtml: string;
let nodeRedFields: readonly string[];
let hintLabels: Readonly<Record<string, string>>;

beforeAll(async () => {
	await ensureBuilt();
	built = loadBuilt(`${ROOT}/dist`);
	editorHtml = readBuilt('nodes/NodeRed/pumble.html');
	nodeRedFields = requireBuilt<{ FIELDS: readonly string[] }>('nodes/NodeRed/lib/inputs.js').FIELDS;
	hintLabels = requireBuilt<{ EDITOR_LABELS: Record<string, string> }>('nodes/NodeRed/lib/errors.js').EDITOR_LABELS;
}, 6 * 60_000);

/** Every operation of the catalogue (core/catalogue.ts), as `[resource, operation]`. */
const OPERATIONS = Object.entries(CATALOGUE).flatMap(([resource, entries]) => Object.keys(entries).map((operation) => [resource, operation] as const));

describe('the operation catalogue and the built package', () => {
	it('the built catalogue is core/catalogue.ts', () => {
		const operations = (catalogue: Record<string, Record<string, unknown>>) => Object.entries(catalogue).flatMap(([r, ops]) => Object.keys(ops).map((op) => `${r}.${op}`));
		expect(operations(built.catalogue)).toEqual(OPERATIONS.map(([r, op]) => `${r}.${op}`));
	});

	it('n8n and Node-RED offer every resource and operation of the catalogue and no other, each as the catalogue declares it', () => {
		expect(parityOf(built)).toEqual(inParity());
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

describe('the parity check on a built package with one operation taken out of one host', () => {
	let copies: ReturnType<typeof copiesFolder>;
	beforeAll(() => {
		copies = copiesFolder();
	});
	afterAll(() => copies?.remove());

	const expected = (change: (report: ParityReport) => void): ParityReport => {
		const report = inParity();
		change(report);
		return report;
	};

	it.each(OPERATIONS)('n8n without %s.%s: reported missing from its editor and its router, nothing else', (resource, operation) => {
		const report = parityOf(loadBuilt(builtWithout(copies.folder, 'n8n', resource, operation)));
		expect(report).toEqual(
			expected((r) => {
				r.operations.n8nEditor.missing = [`${resource}.${operation}`];
				r.operations.n8nRouter.missing = [`${resource}.${operation}`];
			}),
		);
	});

	it.each(OPERATIONS)("Node-RED without %s.%s: reported missing from its field maps and its editor's list, nothing else", (resource, operation) => {
		const report = parityOf(loadBuilt(builtWithout(copies.folder, 'nodeRed', resource, operation)));
		expect(report).toEqual(
			expected((r) => {
				r.operations.nodeRed.missing = [`${resource}.${operation}`];
				r.operations.nodeRedEditor.missing = [`${resource}.${operation}`];
			}),
		);
	});
});
