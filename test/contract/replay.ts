/**
 * Replays recorded Pumble traffic over real HTTP: each request the node sends is answered with the next
 * recorded response of the running case, and kept so the test can hold it against the recorded request.
 */
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A copy of ../shared/pumble/recorded (real traffic recorded against the live API, sanitized; from the public
 * repository apet97/psdk), kept in the repository so the contract test runs on any clean clone.
 */
export const RECORDED_DIR = join(__dirname, 'recorded');

export interface Recorded {
	file: string;
	/** Position among the HTTP lines of its file (0-based). */
	index: number;
	ts?: string;
	request: { method: string; path: string; body?: Record<string, unknown> };
	response: { status: number; headers: Record<string, string>; body: string };
}

export interface SeenRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: unknown;
	apiKeyHeader: string | undefined;
}

export function loadRecordings(file: string): Recorded[] {
	const path = join(RECORDED_DIR, file);
	const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
	return lines
		.map((line) => JSON.parse(line) as { type: string } & Omit<Recorded, 'file' | 'index'>)
		.filter((entry) => entry.type === 'http')
		.map((entry, index) => ({ file, index, ts: entry.ts, request: entry.request, response: entry.response }));
}

export function splitPath(pathWithQuery: string): { path: string; query: Record<string, string> } {
	const url = new URL(pathWithQuery, 'http://replay.invalid');
	return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
}

export class ReplayServer {
	private server?: Server;
	private script: Recorded[] = [];
	readonly seen: SeenRequest[] = [];
	/** Requests outside the script (e.g. a `/myInfo` identity lookup), answered but not compared. */
	readonly unscripted: SeenRequest[] = [];
	url = '';

	constructor(private readonly identityAnswer: Recorded) {}

	async start(): Promise<void> {
		this.server = createServer((request, response) => {
			void readBody(request).then((raw) => {
				const { path, query } = splitPath(request.url ?? '/');
				const seen: SeenRequest = {
					method: request.method ?? '',
					path,
					query,
					body: raw ? JSON.parse(raw) : undefined,
					apiKeyHeader: request.headers.apikey as string | undefined,
				};
				let answer = this.script[0];
				if (answer && splitPath(answer.request.path).path === path && answer.request.method === seen.method) {
					this.script.shift();
					this.seen.push(seen);
				} else if (path === '/myInfo') {
					answer = this.identityAnswer;
					this.unscripted.push(seen);
				} else {
					answer = this.script.shift() as Recorded;
					this.seen.push(seen);
				}
				if (!answer) {
					response.writeHead(599).end('replay: no recorded answer left');
					return;
				}
				response.writeHead(answer.response.status, answer.response.headers);
				response.end(answer.response.body);
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
	}

	/** The recorded exchanges the next requests will be answered with, in order. */
	play(exchanges: Recorded[]): void {
		this.script = [...exchanges];
		this.seen.length = 0;
		this.unscripted.length = 0;
	}

	get remaining(): number {
		return this.script.length;
	}

	async stop(): Promise<void> {
		await new Promise((resolve) => this.server?.close(resolve));
	}
}

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
	});
}
