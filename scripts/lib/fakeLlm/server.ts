/**
 * A local stand-in for OpenAI's Chat Completions API (`POST /v1/chat/completions`), so the AI examples run
 * without a model: n8n's OpenAI Chat Model node (typeVersion 1.2, no Responses API) is pointed at it through
 * the `openAiApi` credential's Base URL. Used by `npm start` and by the e2e tests.
 *
 * What it answers: by default the generic behaviour of ./improvise.ts (decided from the tools offered and the
 * conversation). Or a script of steps (`{ steps }`): step N answers the request whose conversation holds N
 * tool results, with a tool call or a text answer, from the tool results so far; a conversation with more
 * tool results than the script has steps is refused (400).
 * Every request is recorded, so a test can check which tools n8n offered and what came back from them.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { improvise, type ChatRequest, type ModelReply } from './improvise';

export type { ChatRequest } from './improvise';

export interface FakeLlm {
	/** Base URL for the credential, ending in /v1. */
	url: string;
	requests: ChatRequest[];
	/** Paths that were asked for but not served (e.g. /v1/responses would mean the wrong API is used). */
	unexpected: string[];
	close(): Promise<void>;
}

/** What the model answers at one step: call the (one) offered tool whose name matches, or answer with text. */
export type FakeLlmReply = { call: RegExp; args: Record<string, unknown> } | { answer: string };

/** One step of a general script, given the tool results so far (the raw strings n8n passed back). */
export type FakeLlmStep = (toolResults: string[]) => FakeLlmReply;

export interface FakeLlmSteps {
	steps: FakeLlmStep[];
}

export interface FakeLlmOptions {
	/** Default 0: a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
}

function toolNamed(req: ChatRequest, pattern: RegExp): string {
	const name = req.tools?.map((t) => t.function.name).find((n) => pattern.test(n));
	if (!name) throw new Error(`no tool matching ${pattern} offered; offered: ${req.tools?.map((t) => t.function.name).join(', ') || 'none'}`);
	return name;
}

function scripted(req: ChatRequest, script: FakeLlmSteps): ModelReply {
	const toolResults = req.messages
		.filter((m) => m.role === 'tool')
		.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
	const step = script.steps[toolResults.length];
	if (!step) throw new Error(`the script has no step ${toolResults.length} (it has ${script.steps.length})`);
	const next = step(toolResults);
	if ('answer' in next) return { content: next.answer };
	return { content: null, toolCall: { name: toolNamed(req, next.call), args: next.args } };
}

/** Starts the stand-in: the generic behaviour without a script, or the script's steps. */
export async function startFakeLlm(script?: FakeLlmSteps, options: FakeLlmOptions = {}): Promise<FakeLlm> {
	const requests: ChatRequest[] = [];
	const unexpected: string[] = [];
	let n = 0;
	const server = http.createServer((req, res) => {
		let body = '';
		req.setEncoding('utf8').on('data', (d: string) => (body += d));
		req.on('end', () => {
			const path = (req.url ?? '').split('?')[0];
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(path)) {
				unexpected.push(`${req.method} ${req.url}`);
				res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not served by the stand-in' } }));
				return;
			}
			let parsed: ChatRequest;
			try {
				parsed = JSON.parse(body) as ChatRequest;
			} catch {
				res.writeHead(400).end();
				return;
			}
			requests.push(parsed);
			let answer: ModelReply;
			try {
				answer = script ? scripted(parsed, script) : improvise(parsed);
			} catch (err) {
				res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: String(err) } }));
				return;
			}
			n++;
			const id = `chatcmpl-fake-${n}`;
			const created = Math.floor(Date.now() / 1000);
			const model = parsed.model ?? 'fake';
			const toolCalls = answer.toolCall
				? [{ id: `call_fake_${n}`, type: 'function', function: { name: answer.toolCall.name, arguments: JSON.stringify(answer.toolCall.args) } }]
				: undefined;
			const finish = toolCalls ? 'tool_calls' : 'stop';
			const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
			if (parsed.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
				const chunk = (delta: unknown, finishReason: string | null): string =>
					`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
				res.write(chunk({ role: 'assistant', content: answer.content ?? '' }, null));
				if (toolCalls) res.write(chunk({ tool_calls: toolCalls.map((t, index) => ({ index, ...t })) }, null));
				res.write(chunk({}, finish));
				res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
				res.end('data: [DONE]\n\n');
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json' }).end(
				JSON.stringify({
					id,
					object: 'chat.completion',
					created,
					model,
					choices: [{ index: 0, message: { role: 'assistant', content: answer.content, tool_calls: toolCalls }, finish_reason: finish, logprobs: null }],
					usage,
				}),
			);
		});
	});
	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, resolve);
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://${host}:${port}/v1`,
		requests,
		unexpected,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
