/**
 * n8n's command line on a home: `n8n <args>` run by the home's Node, and the two imports the harness
 * needs (`import:credentials`, `import:workflow`), each checked for n8n's "Successfully imported" line.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

import { describeFailure, runCommand, type CommandResult } from './command';
import type { N8nHome } from './home';

/**
 * Run `n8n <args>` on a home (cwd = the home, so no project `.env` is read); recorded in home.transcripts.
 * `n8n execute` gets the version's `executeEnv` (see versions.ts) under the home's own settings.
 */
export async function runN8n(home: N8nHome, args: string[], timeoutMs = 180_000): Promise<CommandResult> {
	const executeEnv = args[0] === 'execute' ? home.runtime.target.executeEnv?.env : undefined;
	const r = await runCommand(home.runtime.nodeBin, [fs.realpathSync(home.n8nBin), ...args], {
		cwd: home.dir,
		env: executeEnv ? { ...executeEnv, ...home.env } : home.env,
		timeoutMs,
	});
	r.command = `n8n ${args.join(' ')}`;
	home.transcripts.push(r);
	return r;
}

async function writeInputFile(home: N8nHome, name: string, data: unknown): Promise<string> {
	const dir = path.join(home.dir, 'imports');
	await fsp.mkdir(dir, { recursive: true });
	const file = path.join(dir, `${name}-${randomBytes(4).toString('hex')}.json`);
	await fsp.writeFile(file, JSON.stringify(data, null, 2), { encoding: 'utf8', mode: 0o600 });
	return file;
}

export interface CredentialInput {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** `n8n import:credentials --input=<file>` (the plain `data` objects are encrypted on import). */
export async function importCredentials(home: N8nHome, creds: CredentialInput[]): Promise<CommandResult> {
	const file = await writeInputFile(home, 'credentials', creds);
	try {
		const r = await runN8n(home, ['import:credentials', `--input=${file}`]);
		const what = `importing ${creds.length} credential(s) (${creds.map((c) => c.type).join(', ')})`;
		if (r.code !== 0) throw new Error(describeFailure(what, r));
		if (!/Successfully imported \d+ credential/.test(r.stdout)) throw new Error(describeFailure(`${what}: no "Successfully imported" line`, r));
		return r;
	} finally {
		await fsp.rm(file, { force: true }); // holds the secrets in clear
	}
}

export interface WorkflowInput {
	/** ≤ 21 characters; `n8n execute --id` needs it. */
	id: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

/** `n8n import:workflow --input=<file>`. The workflow needs a fixed `id` (≤ 21 chars). */
export async function importWorkflow(home: N8nHome, wf: WorkflowInput): Promise<CommandResult> {
	if (typeof wf.id !== 'string' || wf.id.length === 0 || wf.id.length > 21) {
		throw new Error(`workflow "${wf.name}" needs a fixed id of 1–21 characters (got ${JSON.stringify(wf.id)})`);
	}
	const full = { active: false, settings: { executionOrder: 'v1' }, pinData: {}, ...wf };
	const file = await writeInputFile(home, 'workflow', full);
	const r = await runN8n(home, ['import:workflow', `--input=${file}`]);
	const what = `importing workflow "${wf.name}" (${wf.id})`;
	if (r.code !== 0) throw new Error(describeFailure(what, r));
	if (!/Successfully imported \d+ workflow/.test(r.stdout)) throw new Error(describeFailure(`${what}: no "Successfully imported" line`, r));
	return r;
}
