/**
 * The sandbox's own suites: one sandbox per file on a clock the tests move (`clock.now`), every switch back to
 * its default and the state reset before each test, and `call` for raw HTTP requests (Ada's key unless
 * other headers are given) with the answer's status, content type, headers, text and JSON.
 */
import { startSandbox, type Sandbox } from '../../sandbox';

export const START = Date.UTC(2026, 4, 22, 0, 47, 1, 234);

export interface Call {
	status: number;
	contentType: string | null;
	headers: Headers;
	text: string;
	/** The answer as JSON, of whatever shape the route gives: the sandbox's own tests read it as they assert it. */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw HTTP JSON, typed by each assertion
	json: any;
}

export function sandboxHttpSuite() {
	const clock = { now: START };
	let sandbox: Sandbox | undefined;

	beforeAll(async () => {
		sandbox = await startSandbox({ clock: () => clock.now });
	});

	afterAll(async () => {
		await sandbox?.close();
	});

	beforeEach(() => {
		clock.now = START;
		sandbox!.configure({
			rateLimit: { limit: 1000, windowMs: 60_000 },
			operationLimits: {},
			retryAfter: 'seconds',
			authFailureStatus: 403,
			cursorInclusive: true,
			listAfterOrder: 'newestFirst',
			botDm: 'botInUserDm',
			lateCommitMs: 2000,
			faults: undefined,
		});
		sandbox!.reset();
	});

	async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = { ApiKey: sandbox!.apiKey }): Promise<Call> {
		const response = await fetch(sandbox!.url + path, {
			method,
			headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let json: unknown;
		try {
			json = text === '' ? undefined : JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, contentType: response.headers.get('content-type'), headers: response.headers, text, json };
	}

	return {
		clock,
		call,
		get sandbox(): Sandbox {
			return sandbox!;
		},
	};
}

/** A query string from parameters. */
export const q = (params: Record<string, string | number>): string =>
	'?' + new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
