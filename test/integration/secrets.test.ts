/**
 * The API key stays secret. Every operation of the Pumble node runs with a recognisable key — on its
 * success path, on Pumble's error answers, through injected faults (resets, timeouts, 5xx, HTML pages,
 * unreadable bodies, 429s), and with a wrong (also recognisable) key — and the key is looked for in
 * everything a user, a log or a saved execution could show:
 *
 * - the output items (and Continue On Fail's error items);
 * - the thrown NodeApiError / NodeOperationError: message, description, context, httpCode, cause, stack,
 *   its JSON, and `util.inspect` of it with hidden fields;
 * - everything logged: n8n's Logger (what the node logs through `this.logger`, at every level, even though
 *   the harness runs n8n silent), n8n-workflow's LoggerProxy, console.*, and raw stdout/stderr writes;
 * - the sandbox's request log and admin endpoints.
 *
 * The real n8n (the e2e run's output, its logs and database) is swept in test/e2e/secrets.test.ts.
 */
import { inspect } from 'node:util';

import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import { LoggerProxy, type IDataObject, type INodeType } from 'n8n-workflow';

import { FAULTS, startSandbox } from '../../sandbox';
import { allOperations, prepare, rl } from '../helpers/allOperations';
import { runNode, type RunNodeResult } from '../helpers/runNode';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const TAIL = Math.random().toString(36).slice(2, 12) + Math.random().toString(36).slice(2, 12);
const SECRET_KEY = `PUMBLE-SECRET-KEY-${TAIL}`;
const WRONG_KEY = `PUMBLE-WRONG-KEY-${TAIL.split('').reverse().join('')}`;
/** Pieces that would betray a key even if cut or re-encoded. */
const NEEDLES = [SECRET_KEY, WRONG_KEY, TAIL, TAIL.split('').reverse().join(''), Buffer.from(SECRET_KEY).toString('base64').slice(0, 24)];

let sandbox: Sandbox;

// ------------------------------------------------------------------------------------------ capture

const seen: string[] = [];
const record = (where: string, value: unknown) => {
	seen.push(`${where}: ${typeof value === 'string' ? value : inspect(value, { depth: 20, showHidden: true, breakLength: Infinity })}`);
};

const restore: Array<() => void> = [];

beforeAll(async () => {
	sandbox = await startSandbox({ faults: { rate: 0, kinds: [], slowMs: 1_500 } });
	sandbox.configure({ extraKeys: { [SECRET_KEY]: 'ada' } });

	// n8n's Logger, as the node's `this.logger`: every level, whatever the configured level.
	const logger = Container.get(Logger) as unknown as Record<string, (...args: unknown[]) => unknown>;
	for (const level of ['error', 'warn', 'info', 'debug', 'verbose']) {
		const original = logger[level];
		logger[level] = (...args: unknown[]) => {
			record(`n8n logger ${level}`, args);
			return original?.apply(logger, args);
		};
		restore.push(() => (logger[level] = original));
	}
	// n8n-workflow's LoggerProxy (used by n8n-core's helpers).
	const proxy = (['error', 'warn', 'info', 'debug', 'verbose'] as const).reduce(
		(all, level) => ({ ...all, [level]: (...args: unknown[]) => record(`LoggerProxy ${level}`, args) }),
		{} as Record<string, (...args: unknown[]) => void>,
	);
	LoggerProxy.init(proxy as unknown as Parameters<typeof LoggerProxy.init>[0]);
	// console and raw writes.
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => record(`console.${method}`, args));
		restore.push(() => spy.mockRestore());
	}
	for (const stream of [process.stdout, process.stderr]) {
		const original = stream.write.bind(stream);
		(stream as unknown as { write: (...args: unknown[]) => boolean }).write = (chunk: unknown, ...rest: unknown[]) => {
			record(stream === process.stdout ? 'stdout' : 'stderr', String(chunk));
			return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
		};
		restore.push(() => ((stream as unknown as { write: typeof original }).write = original));
	}
});

afterAll(async () => {
	for (const undo of restore.reverse()) undo();
	await sandbox?.close();
});

function sweep(result: RunNodeResult, label: string): void {
	record(`${label} output`, JSON.stringify(result.outputs));
	record(`${label} hints`, result.hints);
	const error = result.error as (Error & Record<string, unknown>) | undefined;
	if (error) {
		record(`${label} error.message`, error.message);
		record(`${label} error.description`, error.description);
		record(`${label} error.context`, JSON.stringify(error.context ?? null));
		record(`${label} error.httpCode`, error.httpCode);
		record(`${label} error.cause`, error.cause);
		record(`${label} error.stack`, error.stack);
		record(`${label} error JSON`, JSON.stringify(error));
		record(`${label} error inspect`, error);
	}
	for (const item of result.output) record(`${label} item`, item);
}

function expectNoKeyAnywhere(): void {
	const leaks: string[] = [];
	for (const text of seen) for (const needle of NEEDLES) if (text.includes(needle)) leaks.push(text.slice(0, 300));
	expect(leaks).toEqual([]);
}

// ------------------------------------------------------------------------------------------ operations

type Mode = 'success' | 'error answers' | 'faults' | 'wrong key';

async function runAll(mode: Mode, continueOnFail: boolean): Promise<{ ok: number; failed: number; failures: string[] }> {
	sandbox.reset();
	const ops = allOperations(sandbox, prepare(sandbox));
	const apiKey = mode === 'wrong key' ? WRONG_KEY : SECRET_KEY;
	let ok = 0;
	let failed = 0;
	const failures: string[] = [];
	await Promise.all(
		ops.map(async (op) => {
			const result = await runNode({
				parameters: mode === 'error answers' ? op.fails : op.ok,
				items: [{ secretSweep: true } as IDataObject],
				credentials: { apiKey, baseUrl: sandbox.url, timeoutSeconds: 1 },
				continueOnFail,
			});
			sweep(result, `${mode} ${continueOnFail ? '(continue on fail) ' : ''}${op.name}`);
			const error = result.error?.message ?? result.output.find((item) => item.json.error)?.json.error;
			if (error) {
				failed++;
				failures.push(`${op.name}: ${String(error)}`);
			} else ok++;
		}),
	);
	return { ok, failed, failures };
}

describe('the API key appears nowhere, on any path of any operation', () => {
	it('success paths', async () => {
		const { failures } = await runAll('success', false);
		expect(failures).toEqual([]);
		expectNoKeyAnywhere();
	}, 120_000);

	it.each([false, true])("Pumble's error answers (403 not found, validation, conflicts), Continue On Fail %p", async (continueOnFail) => {
		const { failed } = await runAll('error answers', continueOnFail);
		expect(failed).toBeGreaterThan(20);
		expectNoKeyAnywhere();
	}, 120_000);

	it('faults on every operation (retries, reconciliation, unknown outcomes, exhausted retries)', async () => {
		// 429s are left to the next test: each one teaches the user's limiter a limit for the class, which would
		// slow this wave down to a crawl (see chaos.test.ts).
		sandbox.configure({ faults: { rate: 0.4, kinds: FAULTS.filter((fault) => !fault.startsWith('429')), seed: 7, slowMs: 1_500 } });
		try {
			await runAll('faults', true);
			await runAll('faults', false);
		} finally {
			sandbox.configure({ faults: undefined });
		}
		expect(sandbox.log.filter((entry) => entry.fault).length).toBeGreaterThan(10);
		expectNoKeyAnywhere();
	}, 300_000);

	it('429s: waited out and retried, and given up on after the retries (logged warnings, error)', async () => {
		sandbox.reset();
		for (const fault of ['429', '429-date', '429-bare'] as const) sandbox.queueFault(fault, { path: '/sendMessage' });
		// A Pumble node with a limiter registry of its own: what these 429s teach stays with it.
		let isolated: INodeType | undefined;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			isolated = new (require('../../nodes/Pumble/Pumble.node') as typeof import('../../nodes/Pumble/Pumble.node')).Pumble();
		});
		const parameters = { resource: 'message', operation: 'send', channel: rl(sandbox.ids.general), text: 'after 429s' };
		const credentials = { apiKey: SECRET_KEY, baseUrl: sandbox.url, timeoutSeconds: 1 };
		const retried = await runNode({ node: isolated, parameters, credentials });
		sweep(retried, '429 retried');
		expect(retried.error).toBeUndefined();
		for (let i = 0; i < 10; i++) sandbox.queueFault('429', { path: '/addReaction' });
		const exhausted = await runNode({
			node: isolated,
			parameters: { resource: 'reaction', operation: 'add', channel: rl(sandbox.ids.random), messageId: sandbox.ids.randomThreadRoot, emoji: '+1' },
			credentials,
		});
		sweep(exhausted, '429 exhausted');
		expect(exhausted.error?.message).toMatch(/429/);
		expect(seen.some((line) => /rate limit|limits addReaction|429/i.test(line) && line.startsWith('n8n logger'))).toBe(true);
		expectNoKeyAnywhere();
	}, 120_000);

	it('a wrong key (403) — and a wrong key answered with 401', async () => {
		const { failed } = await runAll('wrong key', true);
		expect(failed).toBe(allOperations(sandbox, prepare(sandbox)).length);
		sandbox.configure({ authFailureStatus: 401 });
		try {
			await runAll('wrong key', false);
		} finally {
			sandbox.configure({ authFailureStatus: 403 });
		}
		expectNoKeyAnywhere();
	}, 120_000);

	it('the sandbox itself never keeps a key in clear (log, state, config)', async () => {
		await runAll('success', false);
		const server = await Promise.all(['log', 'state', 'config'].map((what) => fetch(`${sandbox.url}/__sandbox/${what}`).then((r) => r.text())));
		for (const text of [...server, JSON.stringify(sandbox.log)]) for (const needle of NEEDLES) expect(text.includes(needle)).toBe(false);
	});

	it('the sweep would notice a leak (the needle is findable)', () => {
		const before = seen.length;
		record('self-check', `oops ${SECRET_KEY}`);
		const leaks = seen.slice(before).filter((text) => NEEDLES.some((needle) => text.includes(needle)));
		seen.length = before;
		expect(leaks).toHaveLength(1);
	});
});
