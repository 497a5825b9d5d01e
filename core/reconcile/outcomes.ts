/** The reconciler's errors: each says what is known about the send and what the user should do. */
import { PumbleApiError } from '../errors';
import type { ReconciledSend, SendTarget } from './index';

function where(target: SendTarget): string {
	if (target.kind === 'channel') return target.threadRootId ? `the thread of message ${target.threadRootId}` : `channel ${target.channelId}`;
	return target.userIds.length === 1 ? `the direct conversation with user ${target.userIds[0]}` : `the group conversation with ${target.userIds.join(', ')}`;
}

const times = (attempts: number) => (attempts > 1 ? ` (${attempts} attempts)` : '');

function unknown(request: ReconciledSend, failure: PumbleApiError, apiMessage: string, hint: string, extra: { cancelled?: boolean } = {}): PumbleApiError {
	return new PumbleApiError({
		operation: request.operation,
		status: failure.status,
		networkFailure: failure.networkFailure,
		apiMessage,
		hint,
		outcome: 'unknown',
		...extra,
	});
}

export function couldNotCheck(request: ReconciledSend, failure: PumbleApiError, lookError: unknown, attempts: number): PumbleApiError {
	const why = lookError instanceof Error ? lookError.message : String(lookError);
	return unknown(
		request,
		failure,
		`${failure.apiMessage}; checking whether the message arrived failed too (${why})`,
		`The message may or may not have been posted${times(attempts)}. Look in ${where(request.target)} before running this item again, so it is not posted twice.`,
	);
}

export function couldNotRead(request: ReconciledSend, failure: PumbleApiError, why: string, attempts: number): PumbleApiError {
	return unknown(
		request,
		failure,
		`${failure.apiMessage}; whether the message arrived cannot be checked: ${why}`,
		`The message may or may not have been posted${times(attempts)}; it was not sent again. Look in Pumble before running this item again, so it is not posted twice.`,
	);
}

export function ambiguous(request: ReconciledSend, failure: PumbleApiError, count: number, attempts: number): PumbleApiError {
	return unknown(
		request,
		failure,
		`${failure.apiMessage}; ${count} messages with the same text and author arrived in ${where(request.target)} since it was sent`,
		`One of them may be this item's, or all may belong to other items or other senders; none was claimed and nothing was sent again${times(attempts)}. Look in ${where(request.target)} before running this item again.`,
	);
}

export function cancelledWhileChecking(request: ReconciledSend, failure: PumbleApiError, attempts: number): PumbleApiError {
	return unknown(
		request,
		failure,
		`${failure.apiMessage}; cancelled before it could be checked whether the message arrived`,
		`The message may or may not have been posted${times(attempts)}. Look in ${where(request.target)} before running this item again.`,
		{ cancelled: true },
	);
}

export function notFound(request: ReconciledSend, failure: PumbleApiError, attempts: number, landingMs: number): PumbleApiError {
	return unknown(
		request,
		failure,
		`${failure.apiMessage}; the message is not in ${where(request.target)} after ${attempts} attempts`,
		`Each failed attempt was looked for in Pumble, the last ${Math.round(landingMs / 1000)} s or more after it failed, and not found. ` +
			`Pumble could still post an attempt late, so look in ${where(request.target)} before running this item again.`,
	);
}
