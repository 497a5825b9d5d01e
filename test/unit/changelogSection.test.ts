/** The release notes publish.yml gives a GitHub release: the CHANGELOG's section for the tagged version. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { changelogSection } from '../../scripts/changelog-section';

const CHANGELOG = `# Changelog

## [Unreleased]

### Added
- next thing

## [1.10.0] - 2027-01-02

### Fixed
- ten

## [1.0.0] - 2026-12-07

### Added
- first

## [0.1.0] — 2026-11-27

- old

[Unreleased]: https://example.invalid/compare/v1.10.0...HEAD
[1.0.0]: https://example.invalid/releases/tag/v1.0.0
`;

describe('changelogSection', () => {
	it('returns the body of one version, without its heading, up to the next version', () => {
		expect(changelogSection(CHANGELOG, '1.0.0')).toBe('### Added\n- first');
		expect(changelogSection(CHANGELOG, '1.10.0')).toBe('### Fixed\n- ten');
	});

	it('stops at the link definitions after the last section, and reads the em-dash heading form', () => {
		expect(changelogSection(CHANGELOG, '0.1.0')).toBe('- old');
	});

	it('does not take 1.0.0 for 1.0.0-rc.1 or 1.0 for 1.0.0', () => {
		expect(() => changelogSection(CHANGELOG, '1.0.0-rc.1')).toThrow(/no section for 1.0.0-rc.1/);
		expect(() => changelogSection(CHANGELOG, '1.0')).toThrow(/no section for 1.0/);
	});

	it('refuses an empty section', () => {
		expect(() => changelogSection('## [2.0.0] - 2027-01-01\n\n## [1.0.0] - 2026-12-07\n- x\n', '2.0.0')).toThrow(/empty/);
	});

	it("finds the package's own version in the repository's CHANGELOG", () => {
		const root = path.resolve(__dirname, '..', '..');
		const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
		expect(changelogSection(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), version).length).toBeGreaterThan(0);
	});
});
