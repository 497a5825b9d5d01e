/**
 * `npm run sandbox [-- --port 8787 --rate-limit 1000 --window-ms 60000 --latency-ms 0]`
 *
 * Runs the sandbox until SIGINT/SIGTERM. When stdout is not a terminal, one JSON line
 * `{"sandbox":{"url":...,"apiKey":...}}` follows the banner so scripts can pick the URL up.
 */
import { startSandbox } from './index';
import type { SandboxOptions } from './index';
import { ALL_FAULTS, BOT_DMS, FAULTS, LIST_AFTER_ORDERS } from './types';
import type { BotDm, Fault, ListAfterOrder } from './types';

const USAGE = `Usage: npm run sandbox -- [options]

  --port <n>              listen port (default 8787, env PUMBLE_SANDBOX_PORT; 0 = random)
  --host <addr>           listen address (default 127.0.0.1)
  --rate-limit <n>        requests per user per window (default 1000)
  --window-ms <n>         rate-limit window (default 60000)
  --latency-ms <n|a-b>    delay before each response, fixed or a random range (default 0)
  --retry-after <mode>    seconds | http-date | none (default seconds)
  --auth-status <401|403> status for a bad key (default 403)
  --seed-messages <n>     messages pre-seeded in #general (default 30)
  --list-after-order <o>  page order of listMessages strategy=AFTER: ${LIST_AFTER_ORDERS.join(' | ')} (default newestFirst)
  --bot-dm <mode>         how asBot DMs are posted: ${BOT_DMS.join(' | ')} (default botInUserDm)
  --late-commit-ms <n>    delay before a late-commit fault applies the request (default 2000)
  --fault-rate <0..1>     share of requests that get a random fault (default 0)
  --faults <a,b,...>      fault kinds for --fault-rate (default ${FAULTS.join(', ')}; also late-commit)
  --help                  this text`;

class UsageError extends Error {}

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): SandboxOptions {
	const values = new Map<string, string>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') {
			console.log(USAGE);
			process.exit(0);
		}
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!match) throw new UsageError(`unexpected argument "${arg}"`);
		const value = match[2] ?? argv[++i];
		if (value === undefined) throw new UsageError(`--${match[1]} needs a value`);
		values.set(match[1], value);
	}

	const int = (name: string, fallback?: string): number | undefined => {
		const raw = values.get(name) ?? fallback;
		if (raw === undefined) return undefined;
		if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a non-negative integer, got "${raw}"`);
		return Number(raw);
	};

	const options: SandboxOptions = { port: int('port', env.PUMBLE_SANDBOX_PORT) ?? 8787 };
	const host = values.get('host');
	if (host) options.host = host;

	const limit = int('rate-limit');
	const windowMs = int('window-ms');
	if (limit !== undefined || windowMs !== undefined) {
		options.rateLimit = { limit: limit ?? 1000, windowMs: windowMs ?? 60_000 };
	}

	const latency = values.get('latency-ms');
	if (latency !== undefined) {
		const range = /^(\d+)-(\d+)$/.exec(latency);
		options.latencyMs = range ? { min: Number(range[1]), max: Number(range[2]) } : int('latency-ms');
	}

	const retryAfter = values.get('retry-after');
	if (retryAfter !== undefined) {
		if (retryAfter !== 'seconds' && retryAfter !== 'http-date' && retryAfter !== 'none') {
			throw new UsageError('--retry-after must be seconds, http-date or none');
		}
		options.retryAfter = retryAfter;
	}

	const authStatus = int('auth-status');
	if (authStatus !== undefined) {
		if (authStatus !== 401 && authStatus !== 403) throw new UsageError('--auth-status must be 401 or 403');
		options.authFailureStatus = authStatus;
	}

	const seedMessages = int('seed-messages');
	if (seedMessages !== undefined) options.seedMessages = seedMessages;

	const faultRate = values.get('fault-rate');
	if (faultRate !== undefined) {
		const rate = Number(faultRate);
		if (!(rate >= 0 && rate <= 1)) throw new UsageError('--fault-rate must be between 0 and 1');
		const kinds = (values.get('faults')?.split(',') ?? [...FAULTS]).map((k) => k.trim());
		const unknown = kinds.filter((k) => !(ALL_FAULTS as readonly string[]).includes(k));
		if (unknown.length > 0) throw new UsageError(`unknown fault kind(s): ${unknown.join(', ')}`);
		options.faults = { rate, kinds: kinds as Fault[] };
	}

	const listAfterOrder = values.get('list-after-order');
	if (listAfterOrder !== undefined) {
		if (!(LIST_AFTER_ORDERS as readonly string[]).includes(listAfterOrder)) {
			throw new UsageError(`--list-after-order must be ${LIST_AFTER_ORDERS.join(' or ')}`);
		}
		options.listAfterOrder = listAfterOrder as ListAfterOrder;
	}

	const botDm = values.get('bot-dm');
	if (botDm !== undefined) {
		if (!(BOT_DMS as readonly string[]).includes(botDm)) throw new UsageError(`--bot-dm must be ${BOT_DMS.join(', ')}`);
		options.botDm = botDm as BotDm;
	}

	const lateCommitMs = int('late-commit-ms');
	if (lateCommitMs !== undefined) options.lateCommitMs = lateCommitMs;

	const known = new Set([
		'list-after-order',
		'bot-dm',
		'late-commit-ms',
		'port',
		'host',
		'rate-limit',
		'window-ms',
		'latency-ms',
		'retry-after',
		'auth-status',
		'seed-messages',
		'fault-rate',
		'faults',
	]);
	const unknown = [...values.keys()].filter((name) => !known.has(name));
	if (unknown.length > 0) throw new UsageError(`unknown option(s): ${unknown.map((n) => `--${n}`).join(', ')}`);
	return options;
}

async function main(): Promise<void> {
	let options: SandboxOptions;
	try {
		options = parseArgs(process.argv.slice(2), process.env);
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		console.error(`pumble-sandbox: ${error.message}\n\n${USAGE}`);
		process.exit(2);
	}

	const sandbox = await startSandbox(options);
	const { ids } = sandbox;
	const rate = options.rateLimit ?? { limit: 1000, windowMs: 60_000 };
	const channels: Array<[string, string]> = [
		['#general', ids.general],
		['#random', ids.random],
		['#leadership (private)', ids.leadership],
		['DM Ada-Bob', ids.adaBobDm],
		['group DM Ada+Bob+Carol', ids.groupDm],
		['Ada (self)', ids.adaSelf],
	];
	console.log(
		[
			'',
			`Pumble sandbox listening on ${sandbox.url}`,
			'',
			`  API key (Ada, workspace owner): ${sandbox.apiKey}`,
			`  other keys: bob=${sandbox.keys.bob}  carol=${sandbox.keys.carol}`,
			`  rate limit: ${rate.limit} requests / ${rate.windowMs} ms per user`,
			'',
			'  Channels:',
			...channels.map(([name, id]) => `    ${name.padEnd(24)} ${id}`),
			'',
			'  n8n: in the Pumble API credential set Base URL to the URL above and API Key to the key above.',
			`  Admin: GET ${sandbox.url}/__sandbox/log | /__sandbox/state, POST /__sandbox/reset | /config | /fault | /commit | /post`,
			'',
			'Ctrl+C to stop.',
		].join('\n'),
	);
	if (!process.stdout.isTTY) {
		console.log(JSON.stringify({ sandbox: { url: sandbox.url, apiKey: sandbox.apiKey } }));
	}

	let stopping = false;
	const stop = (signal: NodeJS.Signals): void => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping the Pumble sandbox`);
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error('pumble-sandbox failed to start:', error);
	process.exit(1);
});
