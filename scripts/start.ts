/**
 * `npm start`: a real n8n editor with n8n-nodes-pumble installed as a community package, a
 * "Pumble sandbox" credential and every examples/*.workflow.json imported, talking to the local
 * Pumble sandbox; the AI examples' "OpenAI account" credential points at a scripted local stand-in for
 * OpenAI's Chat Completions API (scripts/lib/fakeLlm), so they run without a key. Keeps running; Ctrl-C
 * stops everything.
 *
 *   PUMBLE_N8N_VERSIONS   the one n8n version to run (default 2.8.4; 2.41.1 runs on Node 24 from the cache)
 *   PUMBLE_SANDBOX_PORT   sandbox port (default 8787)
 *   PUMBLE_START_FAKE_LLM=0   no model stand-in and no "OpenAI account" credential (bring your own)
 *   N8N_PORT              editor port (default 5678)
 *   N8N_LISTEN_ADDRESS    default 127.0.0.1 (set 0.0.0.0 to reach it from another machine)
 *   PUMBLE_DEMO_EMAIL / PUMBLE_DEMO_PASSWORD   the owner account created on start
 *   PUMBLE_KEEP_TMP=1     keep the n8n home folder after stopping
 *
 * n8n 2.x shows an owner set-up form on first open and has no setting to skip it, so this creates
 * the owner through n8n's own first-run endpoint and prints the login.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../sandbox';
import {
	cleanupAll,
	createN8nHome,
	ensureN8n,
	importCredentials,
	importWorkflow,
	currentTarget,
	installSignalHandlers,
	packPackage,
	PROJECT_ROOT,
	setupOwner,
	startN8n,
	type N8nHome,
	type RunningN8n,
	type WorkflowInput,
} from './lib/n8n';
import { OPENAI_CREDENTIAL, standInOpenAiCredential, startFakeLlm, type FakeLlm } from './lib/fakeLlm';
import { wireAppExample } from './lib/appEvents';
import { APP_CREDENTIAL_NAME, CREDENTIAL_NAME, sandboxAppCredential, sandboxCredential } from './lib/workflows';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const out = (line = ''): void => {
	process.stdout.write(`${line}\n`);
};

function portFromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (!raw) return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}=${raw} is not a port number`);
	return n;
}

async function main(): Promise<void> {
	let sandbox: Sandbox | undefined;
	let llm: FakeLlm | undefined;
	let n8n: RunningN8n | undefined;
	let home: N8nHome | undefined;
	let stopping = false;
	const stopAll = async (): Promise<void> => {
		stopping = true;
		await n8n?.stop().catch(() => undefined);
		await sandbox?.close().catch(() => undefined);
		await llm?.close().catch(() => undefined);
		await home?.cleanup().catch(() => undefined);
	};
	installSignalHandlers(stopAll);

	const sandboxPort = portFromEnv('PUMBLE_SANDBOX_PORT', 8787);
	const n8nPort = portFromEnv('N8N_PORT', 5678);
	const withLlm = process.env.PUMBLE_START_FAKE_LLM !== '0';
	const listenAddress = process.env.N8N_LISTEN_ADDRESS || '127.0.0.1';

	try {
		const target = currentTarget();
		await ensureN8n(undefined, target.n8n);
		const tgz = await packPackage();
		home = await createN8nHome(tgz, { version: target.n8n });
		sandbox = await startSandbox({ port: sandboxPort });
		out(`[start] Pumble sandbox on ${sandbox.url}`);
		const credentials = [sandboxCredential(sandbox.apiKey, sandbox.url), sandboxAppCredential(sandbox.app.app, sandbox.url)];
		if (withLlm) {
			llm = await startFakeLlm(); // on a free port: the credential is imported on every start
			out(`[start] scripted model stand-in (OpenAI Chat Completions API) on ${llm.url}`);
			credentials.push(standInOpenAiCredential(llm.url));
		}
		await importCredentials(home, credentials);
		const examplesDir = path.join(PROJECT_ROOT, 'examples');
		const files = fs.readdirSync(examplesDir).filter((f) => f.endsWith('.workflow.json')).sort();
		const names: string[] = [];
		for (const f of files) {
			const wf = JSON.parse(fs.readFileSync(path.join(examplesDir, f), 'utf8')) as WorkflowInput;
			await importWorkflow(home, wf);
			names.push(`${wf.name} (examples/${f})`);
		}
		out(`[start] starting n8n ${target.n8n}${target.node ? ` on Node ${target.node}` : ''} on port ${n8nPort} …`);
		// internal task runner: Code nodes work in the editor (the headless runs need none)
		n8n = await startN8n(home, n8nPort, { listenAddress, env: { N8N_RUNNERS_MODE: 'internal' } });
		const owner = {
			email: process.env.PUMBLE_DEMO_EMAIL || 'demo@example.com',
			password: process.env.PUMBLE_DEMO_PASSWORD || `Pumble-${randomBytes(4).toString('hex')}-1`,
			firstName: 'Pumble',
			lastName: 'Demo',
		};
		let login: string;
		let appEvents: string;
		try {
			await setupOwner(n8n, owner);
			login = `${owner.email} / ${owner.password}`;
			try {
				appEvents = `active; the sandbox delivers to ${await wireAppExample(n8nPort, owner, sandbox)}`;
			} catch (err) {
				appEvents = `not activated (${err instanceof Error ? err.message : String(err)})`;
			}
		} catch (err) {
			appEvents = 'not activated (no owner)';
			login = `could not create the owner automatically (${err instanceof Error ? err.message : String(err)}): fill in the "Set up owner account" form on first open`;
		}
		out('');
		out('──────────────────────────────────────────────────────────────────────────');
		out(`  n8n editor      ${n8n.url} (n8n ${target.n8n})`);
		out(`  login           ${login}`);
		out(`  credential      "${CREDENTIAL_NAME}" (Pumble API → ${sandbox.url})`);
		if (llm) {
			out(`  credential      "${OPENAI_CREDENTIAL.name}" (OpenAI → ${llm.url}): a scripted local stand-in, not a real model;`);
			out('                  the AI examples run with it. For real OpenAI: open the credential, enter your API key,');
			out('                  clear the Base URL. PUMBLE_START_FAKE_LLM=0 npm start leaves the credential out.');
		} else {
			out(`  AI examples     need an OpenAI credential (PUMBLE_START_FAKE_LLM=0): create "${OPENAI_CREDENTIAL.name}" with your key`);
		}
		out('  workflows       ' + (names.length ? names.join('\n                  ') : '(none in examples/)'));
		out(`  instant events  "Pumble App events" ${appEvents}`);
		out(`                  credential "${APP_CREDENTIAL_NAME}" (Pumble App → ${sandbox.url}). Try it: post, react, or run a slash command:`);
		out(`                  curl -s ${sandbox.url}/__sandbox/app/slash -d '{"command":"/deploy","text":"prod","userId":"${sandbox.ids.bob}","channelId":"${sandbox.ids.general}"}'`);
		out(`                  (deliveries: ${sandbox.url}/__sandbox/app/deliveries; more in docs/pumble-app.md)`);
		out(`  n8n home        ${home.dir}`);
		out('  Open a workflow and click "Execute workflow". Ctrl-C stops n8n, the sandbox and the stand-in.');
		out('──────────────────────────────────────────────────────────────────────────');

		// keep running until Ctrl-C, or until n8n dies on its own
		const running = n8n;
		const code = await new Promise<number | null>((resolve) => running.process.once('exit', (c) => resolve(c)));
		if (stopping) return; // Ctrl-C: the signal handler finishes the clean-up and exits
		out(`[start] n8n exited on its own (code ${code}); last output:\n${running.output().trimEnd().split('\n').slice(-20).join('\n')}`);
		await stopAll();
		await cleanupAll();
		process.exit(1);
	} catch (err) {
		out(`[start] FAILED: ${err instanceof Error ? err.message : String(err)}`);
		await stopAll();
		await cleanupAll();
		process.exit(1);
	}
}

void main();
