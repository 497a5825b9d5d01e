const fs = require('fs');
const path = require('path');
const { finished } = require('stream/promises');
const { task, src, dest, series } = require('gulp');

// Icons, codex files and Node-RED editor HTML are not TypeScript, so tsc does not copy them into dist/.
function copyAssets() {
	const nodes = src(path.resolve('nodes', '**', '*.{png,svg,json,html}'), { encoding: false }).pipe(dest(path.resolve('dist', 'nodes')));
	const credentials = src(path.resolve('credentials', '**', '*.{png,svg}'), { encoding: false }).pipe(dest(path.resolve('dist', 'credentials')));
	return Promise.all([finished(nodes), finished(credentials)]);
}

const EDITOR_HTML = path.resolve('dist', 'nodes', 'NodeRed', 'pumble.html');
const OPERATIONS_MARK = '/* OPERATIONS: written from core/catalogue.ts by the build */';
const RESOURCES_MARK = '<!-- RESOURCES: written from core/catalogue.ts by the build -->';

/** `scheduledMessage` → `Scheduled Message`. */
const labelOf = (name) => name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (first) => first.toUpperCase());

/**
 * The `pumble` node's editor offers the catalogue's resources and operations (compiled by tsc into
 * dist/core/catalogue.js just before), each with what it is (readOnly, many): never a hand-written list.
 */
function nodeRedOperationList() {
	const { CATALOGUE } = require(path.resolve('dist', 'core', 'catalogue.js'));
	const operations = Object.fromEntries(
		Object.entries(CATALOGUE).map(([resource, entries]) => [
			resource,
			Object.entries(entries).map(([value, entry]) => ({ value, readOnly: entry.readOnly, many: entry.many })),
		]),
	);
	const resources = Object.keys(CATALOGUE)
		.map((resource) => `<option value="${resource}">${labelOf(resource)}</option>`)
		.join('\n\t\t\t');
	const html = fs.readFileSync(EDITOR_HTML, 'utf8');
	for (const mark of [OPERATIONS_MARK, RESOURCES_MARK]) {
		if (html.split(mark).length !== 2) throw new Error(`${EDITOR_HTML}: expected the mark ${mark} once`);
	}
	fs.writeFileSync(EDITOR_HTML, html.replace(OPERATIONS_MARK, JSON.stringify(operations)).replace(RESOURCES_MARK, resources));
	return Promise.resolve();
}

task('build:assets', series(copyAssets, nodeRedOperationList));
