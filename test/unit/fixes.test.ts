/**
 * The core's hints speak no host's language; each host adds its own words for the fix an error carries
 * (core/fixes.ts): n8n names its credential's fields and expressions, Node-RED its config node and msg.payload.
 */
import { CATALOGUE, PumbleApiError, PumbleInputError, requireId, requireText, toEpochMs, toChannelRef } from '../../core';
import { n8nHint } from '../../nodes/Pumble/helpers/errors';
import { nodeRedHint } from '../../nodes/NodeRed/lib/errors';

const thrown = (f: () => unknown): PumbleInputError => {
	try {
		f();
	} catch (error) {
		return error as PumbleInputError;
	}
	throw new Error('nothing thrown');
};

const errors: Array<[string, PumbleApiError | PumbleInputError]> = [
	['401', PumbleApiError.fromResponse('sendMessage', 401, { error: 'Invalid API key' })],
	['403 not found', PumbleApiError.fromResponse('sendMessage', 403, { message: 'Not found', code: 404100 })],
	['403', PumbleApiError.fromResponse('sendMessage', 403, { error: 'Forbidden' })],
	['404', PumbleApiError.fromResponse('sendMessage', 404, '')],
	['429', PumbleApiError.fromResponse('sendMessage', 429, { error: 'Too many requests' })],
	['text not text', thrown(() => requireText({ a: 1 }))],
	['bad ID', thrown(() => requireId('nope', 'messageId', 'message ID'))],
	['bad date', thrown(() => toEpochMs('soon', 'sendAt'))],
	['empty channel name', thrown(() => toChannelRef('  ', 'name'))],
	['nothing to change', thrown(() => CATALOGUE.scheduledMessage.update.validate({ scheduledMessageId: 'a'.repeat(24) }, { timezone: 'UTC' }))],
];

const N8N_WORDS = /n8n|\{\{|\$json|credential|Send as Bot/i;
const NODE_RED_WORDS = /Node-RED|config node|msg\.|asBot/;

describe.each(errors)('%s', (_name, error) => {
	it('has a neutral hint and a fix for the hosts to word', () => {
		expect(error.hint).not.toMatch(N8N_WORDS);
		expect(error.hint).not.toMatch(NODE_RED_WORDS);
		expect(error.fix).toBeDefined();
	});

	it("n8n adds its words, Node-RED adds its own, and neither the other's", () => {
		const inN8n = n8nHint(error)!;
		const inNodeRed = nodeRedHint(error)!;
		expect(inN8n.startsWith(error.hint)).toBe(true);
		expect(inNodeRed.startsWith(error.hint)).toBe(true);
		expect(inN8n).not.toMatch(NODE_RED_WORDS);
		expect(inNodeRed).not.toMatch(N8N_WORDS);
		if (['apiKey', 'baseUrl', 'requestsPerMinute', 'timeout'].includes(error.fix!.code)) {
			expect(inN8n).toMatch(/"Pumble API" credential/);
			expect(inNodeRed).toMatch(/Pumble config node/);
		}
		if (['textValue', 'idValue', 'dateValue'].includes(error.fix!.code)) {
			expect(inN8n).toMatch(/\{\{ .* \}\}/);
			expect(inNodeRed).toMatch(/msg\.payload\./);
		}
		if (error.fix!.code === 'pickFromList') expect(inNodeRed).toMatch(/the node's "Channel" field/);
		if (error.fix!.code === 'nothingToChange') expect(inNodeRed).toMatch(/msg\.payload\.text\b.*"Text"/);
	});
});

it("Nothing to update says what can change once: each host names the fields, the neutral hint none of them", () => {
	const error = errors.find(([name]) => name === 'nothing to change')![1];
	// The first Update hint listed the fields twice: "the channel, the text, the time or the recurrence", then the host's list.
	const fields = [/channel/i, /text/i, /send ?at|time/i, /recurrence/i];
	expect({ neutral: error.hint, names: fields.filter((field) => field.test(error.hint)) }).toEqual({ neutral: error.hint, names: [] });
	for (const hint of [n8nHint(error)!, nodeRedHint(error)!]) expect({ hint, names: fields.filter((field) => field.test(hint)).length }).toEqual({ hint, names: fields.length });
});
