/** One recipe from a connection's settings to the client's options, for n8n's credential and Node-RED's config node alike. */
import { clientOptionsOf, DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_TIMEOUT_MS, identityOf } from '../../core';

describe('clientOptionsOf', () => {
	it('empty settings (a form left at its defaults, a config node without the fields) give the defaults', () => {
		expect(clientOptionsOf('k', {})).toEqual({
			identity: identityOf('k'),
			baseUrl: DEFAULT_BASE_URL,
			rateLimit: { limit: DEFAULT_REQUESTS_PER_MINUTE, reserveShare: 0.05 },
			operationLimits: undefined,
			timeoutMs: DEFAULT_TIMEOUT_MS,
		});
	});

	it.each([[''], ['0'], ['-5'], ['abc'], [0]])('an unusable number (%p) means the default', (value) => {
		const options = clientOptionsOf('k', { requestsPerMinute: value, timeoutSeconds: value });
		expect(options.rateLimit.limit).toBe(DEFAULT_REQUESTS_PER_MINUTE);
		expect(options.timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
	});

	it('numbers as the n8n form gives them, and as text as a Node-RED config node stores them, are read alike', () => {
		const fromN8n = clientOptionsOf('k', { baseUrl: 'http://127.0.0.1:9/', requestsPerMinute: 600, timeoutSeconds: 5, messagesPerMinute: 60 });
		const fromNodeRed = clientOptionsOf('k', { baseUrl: ' http://127.0.0.1:9 ', requestsPerMinute: '600', timeoutSeconds: '5', messagesPerMinute: '60' });
		expect(fromNodeRed).toEqual(fromN8n);
		expect(fromN8n).toMatchObject({ baseUrl: 'http://127.0.0.1:9', rateLimit: { limit: 600 }, timeoutMs: 5000, operationLimits: { sendMessage: 60 } });
	});
});
