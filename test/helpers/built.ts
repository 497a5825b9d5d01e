/**
 * The package as `npm run build` leaves it in dist/, for tests of what ships: built when dist/ is missing or
 * older than any source it is built from, one build at a time across test files (a lock folder), so a test
 * never reads a dist/ that a stale build or a concurrent `rimraf dist` left behind.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The build's last step writes this file (gulpfile.js: the editor's operation list). */
const LAST_WRITTEN = path.join(ROOT, 'dist', 'nodes', 'NodeRed', 'pumble.html');
const SOURCES = ['core', 'nodes', 'credentials', 'gulpfile.js', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
const LOCK = path.join(os.tmpdir(), `pumble-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
const LOCK_STALE_MS = 10 * 60_000;

function newestSource(entry: string): number {
	const stat = fs.statSync(entry, { throwIfNoEntry: false });
	if (!stat) return 0;
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(0, ...fs.readdirSync(entry).map((name) => newestSource(path.join(entry, name))));
}

const isFresh = (): boolean => {
	const built = fs.statSync(LAST_WRITTEN, { throwIfNoEntry: false });
	return built !== undefined && built.mtimeMs >= Math.max(...SOURCES.map((s) => newestSource(path.join(ROOT, s))));
};

function build(): void {
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const r = spawnSync(npm, ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
	if (r.status !== 0) throw new Error(`npm run build failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}

/** dist/ as the sources build it now; builds (holding the lock) when it is missing or stale. */
export async function ensureBuilt(): Promise<void> {
	if (isFresh()) return;
	for (;;) {
		try {
			fs.mkdirSync(LOCK);
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const held = fs.statSync(LOCK, { throwIfNoEntry: false });
			if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) fs.rmSync(LOCK, { recursive: true, force: true });
			else await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}
	try {
		if (!isFresh()) build();
	} finally {
		fs.rmSync(LOCK, { recursive: true, force: true });
	}
}

/** A module of dist/, e.g. `core/catalogue.js`. */
export function requireBuilt<T>(file: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(path.join(ROOT, 'dist', file)) as T;
}

/** A text file of dist/, e.g. `nodes/NodeRed/pumble.html`. */
export const readBuilt = (file: string): string => fs.readFileSync(path.join(ROOT, 'dist', file), 'utf8');
