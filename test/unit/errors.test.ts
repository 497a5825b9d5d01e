import { PumbleApiError } from '../../core';

describe('PumbleApiError from both error body shapes', () => {
	it('reads the legacy {error} shape', () => {
		const error = PumbleApiError.fromResponse('sendMessage', 403, { error: 'Could not find channel with that identifier' });
		expect(error.apiMessage).toBe('Could not find channel with that identifier');
		expect(error.message).toBe('Pumble sendMessage failed (HTTP 403): Could not find channel with that identifier');
		expect(error.isNotFound).toBe(true);
		expect(error.hint).toMatch(/could not find it/i);
		expect(error.hint).toMatch(/private channels need membership/i);
		expect(error.outcome).toBe('rejected');
	});

	it('reads the structured {message, localizedMessage, code} shape', () => {
		const error = PumbleApiError.fromResponse('deleteScheduledMessage', 403, { message: 'Not found', localizedMessage: 'Not found', code: 404100 });
		expect(error.code).toBe(404100);
		expect(error.message).toContain('code 404100');
		expect(error.isNotFound).toBe(true);
	});

	it('explains a validation failure', () => {
		const error = PumbleApiError.fromResponse('createChannel', 403, { message: '[Allowed values are PUBLIC|PRIVATE]', code: 400000 });
		expect(error.hint).toMatch(/rejected a parameter: \[Allowed values are PUBLIC\|PRIVATE\]/);
	});

	it('lists every meaning of a bare 403', () => {
		const error = PumbleApiError.fromResponse('sendMessage', 403, '');
		expect(error.hint).toMatch(/API key is wrong/);
		expect(error.hint).toMatch(/lacks permission/);
		expect(error.hint).toMatch(/private/);
		expect(error.hint).toMatch(/validation/);
		expect(error.hint).toMatch(/does not exist/);
	});

	it('says a bad key is a bad key', () => {
		expect(PumbleApiError.fromResponse('myInfo', 401, '').hint).toMatch(/API key was not accepted/);
		expect(PumbleApiError.fromResponse('myInfo', 403, { error: 'Invalid API key' }).hint).toMatch(/API key was not accepted/);
	});

	it('recognises an HTML page from a proxy', () => {
		const error = PumbleApiError.fromResponse('listUsers', 502, '<html><head><title>502 Bad Gateway</title></head></html>');
		expect(error.apiMessage).toMatch(/HTML page \("502 Bad Gateway"\)/);
		expect(error.hint).toMatch(/proxy/);
		expect(error.outcome).toBe('unknown');
	});

	it('marks a 429 as not processed', () => {
		expect(PumbleApiError.fromResponse('sendMessage', 429, { error: 'Too many requests' }).outcome).toBe('notProcessed');
	});
});
