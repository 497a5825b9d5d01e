/**
 * n8n's REST API as the editor calls it (`/rest/...`): one signed-in session (the `n8n-auth` cookie from
 * `POST /rest/login`), JSON in and out, the `data` member of the answer returned.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import { n8nInstallDir } from './runtime';
import type { RunningN8n } from './server';

/** An execution's run data as n8n keeps it: each node's runs, each run's items per connection type (`main`, `ai_tool`…). */
export type RunData = Record<string, Array<{ data?: Record<string, Array<Array<{ json: Record<string, unknown> }> | null>> }>>;

/** One execution as `GET /rest/executions/:id` gives it, its data parsed. */
export interface ExecutionRecord {
	id: string;
	mode: string;
	status: string;
	startedAt: string;
	/** None yet while a run has only just started. */
	data?: { resultData?: { runData?: RunData; error?: { message?: string; description?: string } } };
}

/** n8n's REST API returns execution data in `flatted` form: parsed with the installed n8n's own copy. */
const flatted = () => createRequire(path.join(n8nInstallDir(), 'node_modules', 'n8n', 'package.json'))('flatted') as { parse(text: string): unknown };

export class N8nRest {
	private cookie = '';
	private readonly browserId = randomUUID();

	/** Only the port is used: a RunningN8n, or `{ port }` of an n8n started elsewhere (e.g. by `npm start`). */
	constructor(private readonly n8n: Pick<RunningN8n, 'port'>) {}

	/** `POST /rest/login`; later calls carry the session cookie. */
	async login(email: string, password: string): Promise<void> {
		this.cookie = '';
		await this.call('POST', '/login', { emailOrLdapLoginId: email, password });
		if (!this.cookie) throw new Error('POST /rest/login answered without an n8n-auth cookie');
	}

	/** One call; throws with the status and the start of the body unless the answer is 2xx. */
	async call<T>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(`http://127.0.0.1:${this.n8n.port}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': this.browserId, ...(this.cookie ? { cookie: this.cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${route} → ${response.status}: ${text.slice(0, 500)}`);
		const auth = /n8n-auth=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
		if (auth) this.cookie = auth;
		return (JSON.parse(text) as { data: T }).data;
	}

	/** One execution, its data parsed. */
	async execution(id: string): Promise<ExecutionRecord> {
		const found = await this.call<Omit<ExecutionRecord, 'data'> & { data?: string }>('GET', `/executions/${id}`);
		return { ...found, data: found.data ? (flatted().parse(found.data) as ExecutionRecord['data']) : undefined };
	}

	/** A workflow's executions (without their data), oldest first. */
	async executions(workflowId: string): Promise<Array<{ id: string; mode: string; status: string }>> {
		const list = await this.call<{ results: Array<{ id: string; mode: string; status: string }> }>(
			'GET',
			`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`,
		);
		return list.results.sort((a, b) => Number(a.id) - Number(b.id));
	}
}
