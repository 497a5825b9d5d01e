/**
 * n8n-core, loaded the way an n8n process runs it, but inside a throwaway instance folder: its contexts read
 * InstanceSettings (instance ID, encryption key) from the DI container, which creates
 * `<N8N_USER_FOLDER>/.n8n/config` on first use. Keep that out of the user's home, and keep n8n's logger quiet.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'pumble-harness-n8n-'));
process.env.N8N_ENCRYPTION_KEY ??= 'pumble-harness-encryption-key';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
process.env.N8N_LOG_LEVEL ??= 'silent';

// Required after the environment is set (imports are hoisted; this require is not).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const core = require('n8n-core') as typeof import('n8n-core');

/**
 * Every ExecuteContext asks n8n's DI container for its SSH-tunnel manager, whose constructor starts a 60 s
 * cleanup interval that n8n stops only at shutdown; it would keep a test or benchmark process alive. n8n-core
 * does not export the class, hence the one path into its `dist`. Creates the manager if no context has yet.
 */
export function releaseBackgroundTimers(): void {
	/* eslint-disable @typescript-eslint/no-require-imports */
	const { Container } = require('@n8n/di') as { Container: { has(type: unknown): boolean; get(type: unknown): unknown } };
	const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager') as { SSHClientsManager: unknown };
	/* eslint-enable @typescript-eslint/no-require-imports */
	if (!Container.has(SSHClientsManager)) return;
	(Container.get(SSHClientsManager) as { cleanupTimer?: NodeJS.Timeout }).cleanupTimer?.unref();
}
