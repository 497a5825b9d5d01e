/**
 * Instant-events wiring for `npm start` and the benchmark: activates a workflow whose trigger is the Pumble App
 * Trigger, points the sandbox's App platform at its Production URL, and waits until that URL answers (n8n 2.41.1
 * registers an activated workflow's webhooks shortly after the activation call returns).
 */
import type { Sandbox } from '../../sandbox';
import { N8nRest } from './n8n';

export const APP_EXAMPLE_ID = 'pumbleAppEvents1';
export const APP_EXAMPLE_WEBHOOK_ID = 'b6f1a4f2-6c1e-4b8e-9a57-5d3a0c2e7f10';

/** The App Trigger's Production URL in an n8n on `port` (path `pumble`, nodes/Pumble/PumbleAppTrigger.node.ts). */
export const appTriggerUrl = (port: number, webhookId: string): string => `http://127.0.0.1:${port}/webhook/${webhookId}/pumble`;

export async function activateAppWorkflow(rest: N8nRest, port: number, sandbox: Sandbox, workflowId: string, webhookId: string): Promise<string> {
	const wf = await rest.call<{ versionId: string }>('GET', `/workflows/${workflowId}`);
	await rest.call('POST', `/workflows/${workflowId}/activate`, { versionId: wf.versionId });
	const url = appTriggerUrl(port, webhookId);
	sandbox.app.subscribe(url);
	for (const until = Date.now() + 120_000; ; ) {
		// An event type the trigger acknowledges and never starts for.
		const [probe] = await sandbox.app.event('NOT_AN_EVENT_TYPE', {});
		if (probe.status === 200) break;
		if (Date.now() > until) throw new Error(`the App Trigger's URL never answered 200 (last ${probe.status ?? probe.error})`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	sandbox.app.clearLog();
	return url;
}

/** `npm start`: examples/app-events.workflow.json, active and delivered to. */
export async function wireAppExample(n8nPort: number, owner: { email: string; password: string }, sandbox: Sandbox): Promise<string> {
	const rest = new N8nRest({ port: n8nPort });
	await rest.login(owner.email, owner.password);
	return activateAppWorkflow(rest, n8nPort, sandbox, APP_EXAMPLE_ID, APP_EXAMPLE_WEBHOOK_ID);
}
