/**
 * This package as n8n gets it: `npm run build`, then `npm pack` into a temp folder. The e2e runner
 * packs once per run and passes the tarball on in PUMBLE_PACKAGE_TGZ, so each test file does not build again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { describeFailure, fmtSecs, npmBin, PROJECT_ROOT, runChecked } from './command';
import { defaultLog, makeTempDir, type Log } from './processes';

export const PACKAGE_TGZ_ENV = 'PUMBLE_PACKAGE_TGZ';

export interface PackOptions {
	/** Skip `npm run build` (already built). */
	skipBuild?: boolean;
	/** Build and pack even when PUMBLE_PACKAGE_TGZ names a tarball. */
	fresh?: boolean;
	log?: Log;
}

/** The .tgz path: PUMBLE_PACKAGE_TGZ when it names an existing file, else `npm run build` + `npm pack`. */
export async function packPackage(opts: PackOptions = {}): Promise<string> {
	const log = opts.log ?? defaultLog;
	const given = process.env[PACKAGE_TGZ_ENV];
	if (given && !opts.fresh) {
		if (!fs.existsSync(given)) throw new Error(`${PACKAGE_TGZ_ENV}=${given}: no such file`);
		return given;
	}
	if (!opts.skipBuild) {
		const b = await runChecked('npm run build', npmBin(), ['run', 'build'], { cwd: PROJECT_ROOT, timeoutMs: 5 * 60_000 });
		log(`[n8n] built the package (${fmtSecs(b.durationMs)})`);
	}
	const dest = await makeTempDir('pumble-pack-');
	const r = await runChecked('npm pack', npmBin(), ['pack', '--json', '--pack-destination', dest], {
		cwd: PROJECT_ROOT,
		timeoutMs: 2 * 60_000,
	});
	let filename: string | undefined;
	try {
		const parsed = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename?: string }>;
		filename = parsed[0]?.filename;
	} catch {
		/* fall through */
	}
	filename ??= fs.readdirSync(dest).find((f) => f.endsWith('.tgz'));
	const tgz = filename ? path.join(dest, path.basename(filename)) : '';
	if (!tgz || !fs.existsSync(tgz)) throw new Error(describeFailure('npm pack (no .tgz produced)', r));
	return tgz;
}
