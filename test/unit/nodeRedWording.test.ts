/**
 * No text a Node-RED user sees names n8n's syntax or labels ({{ }}, $json, "workflow", "execution", n8n's
 * "credential", "Send as Bot", "Update Fields", N8N_… settings): every message and hint the Node-RED nodes can
 * give, for every fix of the core and every kind of error, the statuses, the core's wait messages, the text
 * every error and hint is built from (each string of core/ and nodes/NodeRed/), and the editor's HTML and help.
 * (What the tarball serves to the editor is checked again in test/e2e-node-red/fresh-from-palette.test.ts.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as ts from 'typescript';

import {
	CATALOGUE,
	PumbleApiError,
	PumbleClient,
	TransportError,
	UserRateLimiter,
	WAIT_MESSAGES,
	requireText,
	type ErrorKind,
	type NetworkFailure,
} from '../../core';
import { ENDPOINTS } from '../../core/http/endpoints';
import { NODE_RED_FIX_WORDING, nodeRedError } from '../../nodes/NodeRed/lib/errors';
import { WAIT_TEXT } from '../../nodes/NodeRed/lib/status';
import { n8nWordingIn, visibleHtmlText } from '../helpers/n8nWording';

const ROOT = path.resolve(__dirname, '..', '..');
const filesUnder = (dir: string, ext: string): string[] =>
	fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		return entry.isDirectory() ? filesUnder(file, ext) : entry.name.endsWith(ext) ? [file] : [];
	});

/** Every string and template text of a source file (not its comments), each with its line. */
function stringsOf(file: string): Array<{ source: string; text: string }> {
	const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
	const found: Array<{ source: string; text: string }> = [];
	const visit = (node: ts.Node): void => {
		let text: string | undefined;
		if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
		else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('…');
		if (text !== undefined && !ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent)) {
			found.push({ source: `${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`, text });
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/** A core client whose every request meets `failure` (the real client's error for it). */
async function networkFailure(failure: NetworkFailure, signal?: AbortSignal): Promise<unknown> {
	const client = new PumbleClient({
		transport: {
			send: async () => {
				throw new TransportError(failure, 'TEST');
			},
		},
		identity: `wording-${failure}`,
		limiter: new UserRateLimiter(`wording-${failure}-${Math.random()}`, { limit: 1000, windowMs: 60_000, maxConcurrent: 10 }),
		sleep: async () => undefined,
		random: () => 0.5,
		...(signal ? { signal } : {}),
	});
	return client.call(ENDPOINTS.sendMessage, { body: { channelId: 'c1', text: 'hi' } }).then(
		() => new Error('sent'),
		(error: unknown) => error,
	);
}

const thrown = (f: () => unknown): unknown => {
	try {
		f();
	} catch (error) {
		return error;
	}
	throw new Error('nothing thrown');
};

/** An error of each kind as the core makes it (the record makes a new kind fail to compile until it is here). */
const ERRORS_BY_KIND: Record<ErrorKind, Array<() => unknown>> = {
	'bad-input': [
		() => thrown(() => requireText({ a: 1 })),
		() => thrown(() => CATALOGUE.scheduledMessage.update.validate({ scheduledMessageId: 'a'.repeat(24) }, { timezone: 'UTC' })),
		() => PumbleApiError.fromResponse('sendMessage', 403, { message: 'text must not be blank', code: 400000 }),
	],
	unauthorized: [() => PumbleApiError.fromResponse('sendMessage', 401, { error: 'Unauthorized' }), () => PumbleApiError.fromResponse('sendMessage', 403, { error: 'Invalid API key' })],
	'not-found': [() => PumbleApiError.fromResponse('fetchMessage', 403, { error: 'Message not found', code: 404100 })],
	refused: [() => PumbleApiError.fromResponse('sendMessage', 403, { error: 'Forbidden' })],
	'rate-limit': [() => PumbleApiError.fromResponse('sendMessage', 429, { error: 'Too many requests' })],
	server: [() => PumbleApiError.fromResponse('sendMessage', 503, { error: 'Service Unavailable' }), () => PumbleApiError.fromResponse('sendMessage', 502, '<html><title>Bad Gateway</title></html>')],
	network: [() => networkFailure('refused'), () => networkFailure('reset'), () => networkFailure('timeout'), () => networkFailure('badResponse')],
	cancelled: [
		() => {
			const controller = new AbortController();
			controller.abort();
			return networkFailure('reset', controller.signal);
		},
	],
	unknown: [() => PumbleApiError.fromResponse('sendMessage', 418, { error: "I'm a teapot" })],
};

describe('no text a Node-RED user sees names n8n', () => {
	it.each(Object.keys(ERRORS_BY_KIND) as ErrorKind[])('the message and hint of every %s error, as msg.error carries them', async (kind) => {
		const texts: Array<{ source: string; text: string }> = [];
		for (const [i, make] of ERRORS_BY_KIND[kind].entries()) {
			const error = nodeRedError(await make(), {});
			expect(error.code).toBe(kind);
			texts.push({ source: `${kind} error ${i}: msg.error.message`, text: error.message }, { source: `${kind} error ${i}: msg.error.cause.hint`, text: error.cause.hint ?? '' });
		}
		expect(n8nWordingIn(texts)).toEqual([]);
	});

	it("the Node-RED wording of every fix of the core, with a field and without", () => {
		const texts = Object.entries(NODE_RED_FIX_WORDING).flatMap(([code, word]) => [
			{ source: `NODE_RED_FIX_WORDING.${code} (field text)`, text: word({ code: code as never, field: 'text' }) },
			{ source: `NODE_RED_FIX_WORDING.${code} (no field)`, text: word({ code: code as never }) },
		]);
		expect(texts.length).toBeGreaterThanOrEqual(2 * 11);
		expect(n8nWordingIn(texts)).toEqual([]);
	});

	it("the statuses under the node and the core's messages for a request that waits", () => {
		const texts = [
			...Object.entries(WAIT_TEXT).map(([reason, text]) => ({ source: `status WAIT_TEXT.${reason}`, text })),
			...Object.entries(WAIT_MESSAGES).map(([reason, text]) => ({ source: `core WAIT_MESSAGES.${reason}`, text })),
		];
		expect(n8nWordingIn(texts)).toEqual([]);
	});

	it('every string of the core and of the Node-RED nodes (what every error, hint and status is built from)', () => {
		const strings = [...filesUnder(path.join(ROOT, 'core'), '.ts'), ...filesUnder(path.join(ROOT, 'nodes', 'NodeRed'), '.ts')].flatMap(stringsOf);
		expect(strings.length).toBeGreaterThan(500);
		expect(n8nWordingIn(strings)).toEqual([]);
	});

	it("the Node-RED nodes' editor dialogs and help", () => {
		const pages = filesUnder(path.join(ROOT, 'nodes', 'NodeRed'), '.html');
		expect(pages.map((file) => path.basename(file)).sort()).toEqual(['pumble-app-events.html', 'pumble-config.html', 'pumble-trigger.html', 'pumble.html']);
		expect(n8nWordingIn(pages.map((file) => ({ source: path.relative(ROOT, file), text: visibleHtmlText(fs.readFileSync(file, 'utf8')) })))).toEqual([]);
	});
});
