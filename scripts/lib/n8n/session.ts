/**
 * A signed-in n8n, the set-up every e2e file that talks to the editor's REST API shares: `n8n start` (the
 * version PUMBLE_N8N_VERSIONS names) with this package installed from its packed tarball, the credentials
 * and workflows imported, the owner account made and signed in. `stop()` stops n8n and removes its home.
 */
import { importCredentials, importWorkflow, type CredentialInput, type WorkflowInput } from './cli';
import { createN8nHome, type N8nHome } from './home';
import { ensureN8n } from './install';
import { packPackage } from './pack';
import { freePort } from './ports';
import { N8nRest } from './rest';
import { setupOwner, startN8n, type RunningN8n } from './server';

export interface N8nSession {
	home: N8nHome;
	n8n: RunningN8n;
	rest: N8nRest;
	stop(): Promise<void>;
}

export interface SessionOptions {
	/** The owner account (each file its own password, so a failure names its file). */
	owner?: { email: string; password: string; firstName: string; lastName: string };
	/** Added to n8n's environment (n8n's defaults otherwise). */
	env?: NodeJS.ProcessEnv;
}

const DEFAULT_OWNER = { email: 'owner@example.com', password: 'E2e-session-Passw0rd', firstName: 'E2E', lastName: 'Owner' };

export async function startN8nSession(credentials: CredentialInput[], workflows: WorkflowInput[], options: SessionOptions = {}): Promise<N8nSession> {
	const owner = options.owner ?? DEFAULT_OWNER;
	await ensureN8n();
	const home = await createN8nHome(await packPackage());
	try {
		await importCredentials(home, credentials);
		for (const wf of workflows) await importWorkflow(home, wf);
		const n8n = await startN8n(home, await freePort(), { env: options.env });
		try {
			await setupOwner(n8n, owner);
			const rest = new N8nRest(n8n);
			await rest.login(owner.email, owner.password);
			return {
				home,
				n8n,
				rest,
				stop: async () => {
					await n8n.stop();
					await home.cleanup();
				},
			};
		} catch (error) {
			await n8n.stop();
			throw error;
		}
	} catch (error) {
		await home.cleanup();
		throw error;
	}
}
