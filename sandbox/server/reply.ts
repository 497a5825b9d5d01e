/** HTTP plumbing: the reply value, writing it, and reading request bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { validationError } from '../validation';

export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
	return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

export const ok = (body: unknown): Reply => json(200, body);

/** The real API's bare 200 for several writes: no content-type, zero-length body. */
export const EMPTY: Reply = { status: 200, headers: {}, body: '' };

export function send(res: ServerResponse, reply: Reply, finish: (status: number) => void): void {
	write(res, reply);
	finish(reply.status);
}

export function write(res: ServerResponse, reply: Reply): void {
	if (res.destroyed) return;
	res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
	res.end(reply.body);
}

export function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		// An aborted upload still gets an answer attempt; writing to a dead socket is a no-op.
		req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
	});
}

export function bodyForLog(raw: string): unknown {
	if (raw === '') return null;
	try {
		return JSON.parse(raw) as unknown;
	} catch {
		return raw;
	}
}

export function parseJsonObject(raw: string): Record<string, unknown> {
	if (raw.trim() === '') return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw validationError('Malformed JSON request body');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw validationError('Request body must be a JSON object');
	}
	return parsed as Record<string, unknown>;
}
