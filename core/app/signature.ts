/**
 * Pumble's request signature: the hex HMAC-SHA256 of `${timestamp}:${rawBody}` with the app's signing secret
 * (CAKE-com/pumble-node-sdk pumble-sdk/src/core/adapters/http/middlewares.ts, `verifySignature`; the same in
 * apet97/pumble-python-sdk src/pumble_keys/pumble_app/webhooks.py). Checked over the raw bytes as received,
 * compared in constant time, with the timestamp within ±5 minutes in either unit.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { MILLISECONDS_FROM, SIGNATURE_HEADER, TIMESTAMP_HEADER, TIMESTAMP_TOLERANCE_MS } from './constants';

export type HeaderBag = Record<string, string | string[] | undefined>;

export type SignatureFailure = 'missing' | 'badTimestamp' | 'stale' | 'badSignature';

export type SignatureCheck = { ok: true; timestampMs: number } | { ok: false; failure: SignatureFailure; message: string };

const HEX = /^[0-9a-f]+$/i;

/** The signature Pumble would send for this body at this timestamp (the sandbox and tests sign with it). */
export function signRequest(signingSecret: string, timestamp: string, rawBody: string | Buffer): string {
	return createHmac('sha256', signingSecret).update(`${timestamp}:`).update(rawBody).digest('hex');
}

/** A header's single value (case-insensitive name; the first of repeated values). */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const one = Array.isArray(value) ? value[0] : value;
		return typeof one === 'string' ? one : undefined;
	}
	return undefined;
}

/** The header's timestamp in milliseconds, whether Pumble sent seconds or milliseconds; undefined if not a number. */
export function timestampMs(raw: string): number | undefined {
	if (!/^\s*\d+(\.\d+)?\s*$/.test(raw)) return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value)) return undefined;
	return value < MILLISECONDS_FROM ? value * 1000 : value;
}

export interface VerifyOptions {
	signingSecret: string;
	now?: number;
	toleranceMs?: number;
}

export function verifySignature(headers: HeaderBag, rawBody: string | Buffer, options: VerifyOptions): SignatureCheck {
	const timestamp = headerValue(headers, TIMESTAMP_HEADER);
	const signature = headerValue(headers, SIGNATURE_HEADER)?.trim();
	if (!timestamp || !signature) {
		return { ok: false, failure: 'missing', message: `Unsigned request: no ${TIMESTAMP_HEADER} or ${SIGNATURE_HEADER} header` };
	}
	const ms = timestampMs(timestamp);
	if (ms === undefined) return { ok: false, failure: 'badTimestamp', message: 'Malformed request timestamp' };
	const tolerance = options.toleranceMs ?? TIMESTAMP_TOLERANCE_MS;
	if (Math.abs((options.now ?? Date.now()) - ms) > tolerance) {
		return { ok: false, failure: 'stale', message: 'Stale request: its timestamp is outside the ±5 minute window' };
	}
	const expected = Buffer.from(signRequest(options.signingSecret, timestamp, rawBody), 'hex');
	// Same length and hex before the constant-time compare (timingSafeEqual throws on unequal lengths).
	if (!HEX.test(signature) || signature.length !== expected.length * 2) {
		return { ok: false, failure: 'badSignature', message: 'Invalid request signature' };
	}
	if (!timingSafeEqual(Buffer.from(signature, 'hex'), expected)) {
		return { ok: false, failure: 'badSignature', message: 'Invalid request signature' };
	}
	return { ok: true, timestampMs: ms };
}
