/**
 * Input normalisers shared by every operation: they turn what a user or an expression gives into what
 * Pumble accepts, or throw a PumbleInputError saying what is wrong and how to fix it — before any request.
 */
import { ID_PATTERN } from '../constants';
import { valueLabel } from './valueLabel';
import { PumbleInputError } from '../errors';
import type { ChannelRef } from '../types';

export { EMOJI_CODE_LENGTH, EMOJI_CODE_PATTERN, toEmojiCode, type EmojiCode } from './emoji';
export { ID_PATTERN };

/** Our bound on message text; Pumble does not document one. Long texts belong in several messages. */
export const MAX_TEXT_LENGTH = 10_000;

/** A Pumble ID: 24 hexadecimal characters (Pumble IDs look like `66a1f0c2e4b0a1b2c3d4e5f6`). */
export function requireId(value: unknown, parameter: string, what = 'ID'): string {
	const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
	if (!text) {
		throw new PumbleInputError(parameter, `The ${what} is empty`, `Set "${parameter}" to a Pumble ${what} (24 hexadecimal characters).`);
	}
	if (!ID_PATTERN.test(text)) {
		throw new PumbleInputError(
			parameter,
			`${valueLabel(value)} is not a valid Pumble ${what}`,
			`A Pumble ${what} is 24 hexadecimal characters, e.g. 66a1f0c2e4b0a1b2c3d4e5f6. Check "${parameter}"; if it is computed, make sure it takes the id field.`,
			{ code: 'idValue', field: parameter },
		);
	}
	return text.toLowerCase();
}

export function optionalId(value: unknown, parameter: string, what = 'ID'): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
	return requireId(value, parameter, what);
}

/** A list of IDs from an array, or a comma/space-separated string (as expressions often give). Deduplicated. */
export function requireIdList(
	value: unknown,
	parameter: string,
	what: string,
	bounds: { min?: number; max?: number } = {},
): string[] {
	let raw: unknown[];
	if (Array.isArray(value)) raw = value;
	else if (typeof value === 'string') raw = value.split(/[\s,;]+/);
	else if (value === undefined || value === null) raw = [];
	else raw = [value];
	const ids = [
		...new Set(
			raw
				.map((item) => (item && typeof item === 'object' && 'id' in item ? (item as { id: unknown }).id : item))
				.filter((item) => !(typeof item === 'string' && item.trim() === ''))
				.map((item) => requireId(item, parameter, what)),
		),
	];
	const { min = 1, max } = bounds;
	if (ids.length < min || (max !== undefined && ids.length > max)) {
		const range = max !== undefined ? `${min} to ${max}` : `at least ${min}`;
		throw new PumbleInputError(
			parameter,
			`${ids.length} distinct ${what}${ids.length === 1 ? '' : 's'} given; ${range} needed`,
			`Give ${range} ${what}s in "${parameter}", as a list or comma-separated.`,
		);
	}
	return ids;
}

/** Message text: required, not blank, bounded. Kept exactly as given (whitespace is meaningful in chat). */
export function requireText(value: unknown, parameter = 'text'): string {
	if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
	if (typeof value !== 'string') {
		throw new PumbleInputError(
			parameter,
			`"${parameter}" must be text, but got ${valueLabel(value)}`,
			`If "${parameter}" is computed, turn it into text first.`,
			{ code: 'textValue', field: parameter },
		);
	}
	if (value.trim() === '') {
		throw new PumbleInputError(parameter, `"${parameter}" is empty`, `Pumble does not accept empty messages: write something in "${parameter}".`);
	}
	if (value.length > MAX_TEXT_LENGTH) {
		throw new PumbleInputError(
			parameter,
			`"${parameter}" is ${value.length} characters long; at most ${MAX_TEXT_LENGTH} are sent`,
			'Split the text into several messages.',
		);
	}
	return value;
}

/** Free text that may be empty (descriptions, status text). */
export function optionalText(value: unknown, parameter: string, maxLength: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') {
		throw new PumbleInputError(parameter, `"${parameter}" must be text, but got ${valueLabel(value)}`, `Give "${parameter}" as text.`);
	}
	if (value.length > maxLength) {
		throw new PumbleInputError(parameter, `"${parameter}" is ${value.length} characters long; Pumble allows ${maxLength}`, `Shorten "${parameter}".`);
	}
	return value;
}

/** A channel given by ID or by name (a leading `#` is ignored). */
export function toChannelRef(value: unknown, mode: 'id' | 'name', parameter = 'channel'): ChannelRef {
	if (mode === 'id') return { id: requireId(value, parameter, 'channel ID') };
	const name = typeof value === 'string' ? value.trim().replace(/^#/, '') : '';
	if (!name) {
		throw new PumbleInputError(parameter, 'The channel name is empty', `Set "${parameter}" to a channel name such as general.`, {
			code: 'pickFromList',
			field: parameter,
		});
	}
	return { name };
}

const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/**
 * A point in time as epoch milliseconds (what Pumble's writes and filters take).
 * Accepts ISO strings (without an offset they are read in `timeZone`, like n8n's date fields),
 * Date objects, objects with toMillis() (Luxon), epoch ms, and epoch seconds (numbers below 10^11).
 */
export function toEpochMs(value: unknown, parameter: string, timeZone = 'UTC'): number {
	let ms: number | undefined;
	if (typeof value === 'number' && Number.isFinite(value)) ms = Math.abs(value) < 1e11 ? value * 1000 : value;
	else if (value instanceof Date) ms = value.getTime();
	else if (value && typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		ms = (value as { toMillis(): number }).toMillis();
	} else if (typeof value === 'string' && value.trim() !== '') {
		const text = value.trim();
		if (/^\d+$/.test(text)) ms = toEpochMs(Number(text), parameter, timeZone);
		else if (HAS_ZONE.test(text)) ms = Date.parse(text);
		else {
			const local = LOCAL_DATE_TIME.exec(text);
			if (local) ms = zonedToEpoch(local.slice(1).map((part) => Number(part ?? 0)), timeZone);
		}
	}
	// Beyond ±8.64e15 ms JavaScript has no date (and Pumble none either).
	if (ms === undefined || !Number.isFinite(ms) || Number.isNaN(new Date(Math.round(ms)).getTime())) {
		throw new PumbleInputError(
			parameter,
			`${valueLabel(value)} is not a date and time`,
			`Give "${parameter}" as an ISO date such as 2026-12-01T09:30:00Z, or epoch milliseconds.`,
			{ code: 'dateValue', field: parameter },
		);
	}
	return Math.round(ms);
}

/** Wall-clock parts in a time zone → epoch ms, using Intl (no date library needed). */
function zonedToEpoch([year, month, day, hour, minute, second, milli]: number[], timeZone: string): number {
	const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, milli);
	// The zone's offset at that instant; a second pass settles DST edges.
	let guess = asUtc - zoneOffsetMs(asUtc, timeZone);
	guess = asUtc - zoneOffsetMs(guess, timeZone);
	return guess;
}

function zoneOffsetMs(epochMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(epochMs));
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return wall - Math.floor(epochMs / 1000) * 1000;
}

/** A whole number within bounds (limits, counts). */
export function requireInteger(value: unknown, parameter: string, min: number, max: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		throw new PumbleInputError(parameter, `"${parameter}" must be a whole number from ${min} to ${max}, but got ${valueLabel(value)}`, `Set "${parameter}" between ${min} and ${max}.`);
	}
	return number;
}

/** Blocks given as JSON text or an array. */
export function optionalBlocks(value: unknown, parameter = 'blocks'): unknown[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const parsed = typeof value === 'string' ? parseJson(value) : value;
	if (parsed === NOT_JSON) {
		throw new PumbleInputError(parameter, `"${parameter}" is not valid JSON`, 'Give the blocks as a JSON array, e.g. [{"type":"rich_text","elements":[…]}].');
	}
	if (!Array.isArray(parsed)) {
		throw new PumbleInputError(parameter, `"${parameter}" must be a JSON array of blocks`, 'Wrap the block object in [ ].');
	}
	return parsed;
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return NOT_JSON;
	}
}
