/**
 * n8n's REST API as the editor calls it (`/rest/...`): one signed-in session (the `n8n-auth` cookie from
 * `POST /rest/login`), JSON in and out, the `data` member of the answer returned.
 */
import { randomUUID } from 'node:crypto';

import type { RunningN8n } from './server';

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
}
