/** The kind of a failure, for a flow to branch on: from the core's errors as they arise. */
import { errorFacts, PumbleApiError, PumbleInputError } from '../../core';

const network = (failure: 'refused' | 'reset' | 'timeout' | 'badResponse' | 'cancelled') =>
	new PumbleApiError({ operation: 'sendMessage', apiMessage: 'no answer', hint: 'try again', outcome: 'unknown', networkFailure: failure, cancelled: failure === 'cancelled' });

describe('errorFacts', () => {
	it.each([
		['bad input found before sending', new PumbleInputError('text', 'No text', 'Write some'), { kind: 'bad-input', parameter: 'text', hint: 'Write some' }],
		['a parameter Pumble rejected', PumbleApiError.fromResponse('sendMessage', 403, { message: 'text must not be blank', code: 400000 }), { kind: 'bad-input', httpStatus: 403, pumbleCode: 400000 }],
		['not found (Pumble answers 403)', PumbleApiError.fromResponse('fetchMessage', 403, { error: 'Message not found', code: 404100 }), { kind: 'not-found', httpStatus: 403, outcome: 'rejected' }],
		['a wrong key answered 403', PumbleApiError.fromResponse('sendMessage', 403, { error: 'Invalid API key' }), { kind: 'unauthorized', httpStatus: 403 }],
		['a wrong key answered 401', PumbleApiError.fromResponse('sendMessage', 401, { error: 'Unauthorized' }), { kind: 'unauthorized', httpStatus: 401 }],
		['another refusal', PumbleApiError.fromResponse('sendMessage', 403, { error: 'Forbidden' }), { kind: 'refused', httpStatus: 403 }],
		['429 after the retries', PumbleApiError.fromResponse('sendMessage', 429, { error: 'Too many requests' }), { kind: 'rate-limit', httpStatus: 429, outcome: 'notProcessed' }],
		['a server error', PumbleApiError.fromResponse('sendMessage', 503, 'Service Unavailable'), { kind: 'server', httpStatus: 503, outcome: 'unknown' }],
		['a reset connection', network('reset'), { kind: 'network' }],
		['a timeout', network('timeout'), { kind: 'network' }],
		['a cancelled request', network('cancelled'), { kind: 'cancelled' }],
		['anything else', new Error('boom'), { kind: 'unknown', message: 'boom' }],
	])('%s', (_what, error, expected) => {
		expect(errorFacts(error)).toMatchObject(expected);
	});

	it('has no HTTP status for a failure without an answer', () => {
		expect(errorFacts(network('refused'))).not.toHaveProperty('httpStatus');
	});
});
