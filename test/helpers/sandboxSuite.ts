/**
 * The shared set-up of the suites that run the Pumble node against the sandbox: one sandbox per file, reset
 * before each test, and a fresh API key for Ada per test so the node's per-key caches start empty. `calls()`
 * leaves out the rate limiter's one-off GET /myInfo for a new key.
 */
import { NodeApiError, NodeOperationError, type INodeParameters } from 'n8n-workflow';

import { startSandbox } from '../../sandbox';
import { runNode, type HarnessCredentials, type RunNodeOptions, type RunNodeResult } from './runNode';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
export type LogEntry = Sandbox['log'][number];

export interface SandboxSuite {
	readonly sandbox: Sandbox;
	readonly apiKey: string;
	/** The credential's form: Ada's fresh key and the sandbox's URL. */
	credentials(): HarnessCredentials;
	calls(path?: string): LogEntry[];
	run(parameters: Record<string, unknown>, extra?: Omit<RunNodeOptions, 'parameters' | 'credentials'>): Promise<RunNodeResult>;
}

/** Registers the hooks; read `sandbox` and `apiKey` from the returned suite inside tests. */
export function sandboxSuite(keyPrefix: string): SandboxSuite {
	let sandbox: Sandbox;
	let apiKey = '';
	let keyCount = 0;

	beforeAll(async () => {
		sandbox = await startSandbox();
	});

	afterAll(async () => {
		await sandbox?.close();
	});

	beforeEach(() => {
		sandbox.reset();
		apiKey = `${keyPrefix}-${process.pid}-${++keyCount}-${Math.random().toString(36).slice(2, 10)}`;
		sandbox.configure({ extraKeys: { [apiKey]: 'ada' } });
	});

	return {
		get sandbox() {
			return sandbox;
		},
		get apiKey() {
			return apiKey;
		},
		credentials: () => ({ apiKey, baseUrl: sandbox.url }),
		calls: (path?: string) =>
			sandbox.log.filter((entry) => !(entry.method === 'GET' && entry.path === '/myInfo') && (!path || entry.path === path)),
		run: (parameters, extra = {}) =>
			runNode({ parameters: parameters as unknown as INodeParameters, credentials: { apiKey, baseUrl: sandbox.url }, ...extra }),
	};
}

export const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
export const byName = (name: string) => ({ __rl: true, mode: 'name', value: name });
export const byEmail = (email: string) => ({ __rl: true, mode: 'email', value: email });
export const fromList = (id: string) => ({ __rl: true, mode: 'list', value: id, cachedResultName: 'as the list showed it' });

export const jsonOf = (result: RunNodeResult) => result.output.map((item) => item.json);

export function expectOk(result: RunNodeResult): void {
	if (result.error) throw result.error;
	result.output.forEach((item) => expect(item.pairedItem).toBeDefined());
}

export function expectNodeError(result: RunNodeResult, kind: typeof NodeOperationError | typeof NodeApiError, message: RegExp): void {
	expect(result.error).toBeInstanceOf(kind);
	expect(result.error?.message).toMatch(message);
	expect((result.error as NodeOperationError).context.itemIndex).toBe(0);
	expect(result.output).toEqual([]);
}
