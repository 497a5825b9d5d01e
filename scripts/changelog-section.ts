/**
 * Prints the CHANGELOG's section for one version (Keep a Changelog: `## [1.0.0] - 2026-12-07`), without its
 * heading: the notes of that version's GitHub release (.github/workflows/publish.yml).
 * Usage: `npx tsx scripts/changelog-section.ts 1.0.0 [CHANGELOG.md]`; exits 1 when the version has no
 * section or an empty one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The body of `## [version]` up to the next `## ` heading or the link definitions at the end, trimmed. */
export function changelogSection(changelog: string, version: string): string {
	const lines = changelog.split(/\r?\n/);
	const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const heading = new RegExp(`^## \\[?v?${escaped}\\]?(\\s|$)`);
	const start = lines.findIndex((l) => heading.test(l));
	if (start < 0) throw new Error(`CHANGELOG has no section for ${version} (a heading "## [${version}] - YYYY-MM-DD")`);
	const rest = lines.slice(start + 1);
	const end = rest.findIndex((l) => /^## /.test(l) || /^\[[^\]]+\]:\s*\S/.test(l));
	const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim();
	if (!body) throw new Error(`CHANGELOG's section for ${version} is empty`);
	return body;
}

if (require.main === module) {
	const [version, file = path.resolve(__dirname, '..', 'CHANGELOG.md')] = process.argv.slice(2);
	if (!version) {
		console.error('usage: changelog-section.ts <version> [CHANGELOG.md]');
		process.exit(2);
	}
	try {
		process.stdout.write(changelogSection(fs.readFileSync(file, 'utf8'), version) + '\n');
	} catch (error) {
		console.error((error as Error).message);
		process.exit(1);
	}
}
