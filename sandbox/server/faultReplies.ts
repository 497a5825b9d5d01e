/** What each fault puts on the wire: 429s, 5xx, an nginx HTML page, half a body, a reset connection. */
import type { IncomingMessage } from 'node:http';

import type { Fault } from '../types';
import { retryAfterHeader } from '../limits';
import { json } from './reply';
import type { Reply } from './reply';

export function tooManyRequests(retryAfter: string | undefined): Reply {
	return json(429, { error: 'Too many requests' }, retryAfter === undefined ? {} : { 'retry-after': retryAfter });
}

const NGINX_502 = [
	'<html>',
	'<head><title>502 Bad Gateway</title></head>',
	'<body>',
	'<center><h1>502 Bad Gateway</h1></center>',
	'<hr><center>nginx</center>',
	'</body>',
	'</html>',
	'',
].join('\r\n');

export function faultReply(fault: Fault, now: number): Reply {
	switch (fault) {
		case '429':
			return tooManyRequests(retryAfterHeader('seconds', 1000, now));
		case '429-date':
			return tooManyRequests(retryAfterHeader('http-date', 1000, now));
		case '429-bare':
			return tooManyRequests(undefined);
		case '500':
			return json(500, { error: 'Internal Server Error' });
		case '502':
			return json(502, { error: 'Bad Gateway' });
		case '503':
			return json(503, { error: 'Service Unavailable' });
		case 'html-error':
			return { status: 502, headers: { 'content-type': 'text/html' }, body: NGINX_502 };
		default:
			throw new Error(`fault ${fault} does not short-circuit`);
	}
}

/** Half of the real body: JSON that starts right and stops mid-way. */
export function truncate(body: string): string {
	return body === '' ? '{"id":"' : body.slice(0, Math.max(1, Math.floor(body.length / 2)));
}

export function resetConnection(req: IncomingMessage, finish: (status: number) => void): void {
	req.socket.resetAndDestroy();
	finish(0);
}
