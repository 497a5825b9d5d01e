/**
 * The README's Node-RED section says what the package ships: the examples as Node-RED's import menu lists
 * them (the package's `examples/` folder, by package name, then sub-folder) and the node's help says the same;
 * the statuses the node shows; the kinds on `msg.error.code` and the fields of `msg.error.cause`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ERROR_KINDS, PumbleApiError, PumbleInputError } from '../../core';
import { nodeRedError } from '../../nodes/NodeRed/lib/errors';
import { WAIT_TEXT } from '../../nodes/NodeRed/lib/status';
import { PACKAGE_NAME } from '../../scripts/lib/packageName';

const ROOT = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
// The section with each run of whitespace as one space (its lines wrap anywhere).
const section = readme.slice(readme.indexOf('\n## Node-RED\n'), readme.indexOf('\n## ', readme.indexOf('\n## Node-RED\n') + 5));
const flat = section.replace(/\s+/g, ' ');
const help = fs.readFileSync(path.join(ROOT, 'nodes', 'NodeRed', 'pumble.html'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
const codes = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe("the README's Node-RED section and the node's help", () => {
	it('name the example flows the tarball ships, where Import → Examples shows them', () => {
		const folder = path.join(ROOT, 'examples', 'node-red');
		const shipped = fs.readdirSync(folder).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
		expect(pkg.files).toContain('examples/node-red'); // in the tarball
		const menu = `Import → Examples → ${PACKAGE_NAME} → node-red`;
		const examples = flat.slice(flat.indexOf('**Examples**'), flat.indexOf('Open their'));
		expect(examples).toContain(menu);
		expect(codes(examples).filter((name) => !name.includes('/') && !name.includes('-config')).sort()).toEqual(shipped);
		const helpLine = help.slice(help.indexOf('Example flows:'), help.indexOf('</p>', help.indexOf('Example flows:')));
		expect(helpLine).toContain(menu);
		expect(helpLine.slice(helpLine.indexOf('(') + 1, helpLine.indexOf(')')).split(', ').sort()).toEqual(shipped);
	});

	it('name the statuses the node shows', () => {
		for (const text of Object.values(WAIT_TEXT)) {
			expect(flat).toContain(`*${text} (N held)*`);
			expect(help).toContain(`<i>${text} (N held)</i>`);
		}
		expect(flat).toContain('*sending (N)*');
	});

	it("list the kinds on msg.error.code and the fields of msg.error.cause as the node sets them", () => {
		const row = (name: string) => section.split('\n').find((line) => line.startsWith(`| \`${name}\` |`))!;
		expect(codes(row('code')).filter((c) => (ERROR_KINDS as readonly string[]).includes(c)).sort()).toEqual([...ERROR_KINDS].sort());
		const listed = /`\{ ([^}]+) \}`/.exec(row('cause'))![1].split(', ').sort();
		const causes = [
			nodeRedError(new PumbleInputError('text', 'No text', 'Write some', { code: 'textValue', field: 'text' }), {}).cause,
			nodeRedError(PumbleApiError.fromResponse('sendMessage', 403, { error: 'Message not found', code: 404100 }), {}).cause,
		];
		expect([...new Set(causes.flatMap((cause) => Object.keys(cause)))].sort()).toEqual(listed);
		// Node-RED keeps no `kind` on msg.error: the README says so, and never offers it to branch on.
		expect(flat).toContain('there is no `msg.error.kind`');
		expect(flat.split('there is no `msg.error.kind`').join('')).not.toContain('msg.error.kind');
	});
});
