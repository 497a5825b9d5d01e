/**
 * Properties of the input normalisers (core/input/normalize.ts), beyond the examples in normalize.test.ts:
 * whatever a user or an expression hands them, they either return something Pumble accepts or throw a
 * PumbleInputError naming the parameter with a hint — never anything else, never a half-valid value.
 */
import fc from 'fast-check';

import {
	PumbleInputError,
	requireId,
	requireIdList,
	requireText,
	toEmojiCode,
	toEpochMs,
} from '../../core';
import emojiTable from '../../core/input/emojiTable.json';

/** The OpenAPI description's pattern for emoji codes (3 to 100 characters). */
const EMOJI_CODE = /^:[a-zA-Z0-9_+-]+:$/;
const TABLE = emojiTable as unknown as Record<string, string | [string, number]>;
const UNICODE = Object.keys(TABLE);
const NAMES = [...new Set(Object.values(TABLE).map((entry) => (typeof entry === 'string' ? entry : entry[0])))];
/** The names that come in skin tones (the table has toned variants of them). */
const TONEABLE = [...new Set(Object.values(TABLE).flatMap((entry) => (typeof entry === 'string' ? [] : [entry[0]])))];

/** Anything an expression can produce. */
const anyValue = fc.oneof(
	fc.string(),
	fc.string({ unit: 'grapheme' }),
	fc.string({ unit: 'binary' }),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.constant(undefined),
	fc.array(fc.string(), { maxLength: 3 }),
	fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
	fc.date({ noInvalidDate: false }),
);

/** Calls `fn`; returns its result, or the PumbleInputError it threw. Any other throw fails the property. */
function settle<T>(fn: () => T): { ok: T } | { error: PumbleInputError } {
	try {
		return { ok: fn() };
	} catch (error) {
		if (error instanceof PumbleInputError) return { error };
		throw error;
	}
}

function expectHelpful(error: PumbleInputError, parameter: string): void {
	expect(error.parameter).toBe(parameter);
	expect(error.message.length).toBeGreaterThan(5);
	expect(error.hint.length).toBeGreaterThan(10);
}

const randomCase = (text: string, flips: boolean[]) =>
	[...text].map((ch, i) => (flips[i % flips.length] ? ch.toUpperCase() : ch.toLowerCase())).join('');

// ------------------------------------------------------------------------------------------ emoji

describe('emoji', () => {
	it('property: anything at all → a valid :code: or a helpful PumbleInputError', () => {
		fc.assert(
			fc.property(anyValue, (value) => {
				const result = settle(() => toEmojiCode(value, 'emoji'));
				if ('ok' in result) {
					expect(result.ok.code).toMatch(EMOJI_CODE);
					expect(result.ok.code.length).toBeGreaterThanOrEqual(3);
					expect(result.ok.code.length).toBeLessThanOrEqual(100);
					if (result.ok.skinTone !== undefined) expect([2, 3, 4, 5, 6]).toContain(result.ok.skinTone);
				} else expectHelpful(result.error, 'emoji');
			}),
			{ numRuns: 2000 },
		);
	});

	it('property: every Unicode emoji Pumble knows becomes the code of the table, with surrounding blanks', () => {
		fc.assert(
			fc.property(fc.constantFrom(...UNICODE), fc.constantFrom('', ' ', '\t', '\n '), (emoji, pad) => {
				const entry = TABLE[emoji];
				const [name, tone] = typeof entry === 'string' ? [entry, undefined] : entry;
				expect(toEmojiCode(`${pad}${emoji}${pad}`)).toEqual({ code: `:${name}:`, ...(tone ? { skinTone: tone } : {}) });
			}),
			{ numRuns: 1000 },
		);
	});

	it('property: the name, the :code: and any letter case give the same code — and normalising is idempotent', () => {
		fc.assert(
			fc.property(fc.constantFrom(...NAMES), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.boolean(), (name, flips, wrapped) => {
				const given = randomCase(wrapped ? `:${name}:` : name, flips);
				const { code } = toEmojiCode(given);
				expect(code).toBe(`:${name.toLowerCase()}:`);
				expect(toEmojiCode(code).code).toBe(code);
			}),
			{ numRuns: 1000 },
		);
	});

	it('property: a skin-toned code of an emoji with skin tones keeps its tone (2–6); other tones are refused', () => {
		fc.assert(
			fc.property(fc.constantFrom(...TONEABLE), fc.integer({ min: 0, max: 9 }), (name, tone) => {
				const result = settle(() => toEmojiCode(`:${name}::skin-tone-${tone}:`));
				if (tone >= 2 && tone <= 6) expect(result).toEqual({ ok: { code: `:${name.toLowerCase()}:`, skinTone: tone } });
				else expect('error' in result).toBe(true);
			}),
		);
	});

	it('property: a skin tone after an emoji without skin tones, or after any other text, is refused', () => {
		const untoned = NAMES.filter((name) => !TONEABLE.includes(name));
		fc.assert(
			fc.property(fc.oneof(fc.constantFrom(...untoned), fc.string()), fc.integer({ min: 2, max: 6 }), (name, tone) => {
				fc.pre(!TONEABLE.includes(name.toLowerCase()));
				expect('error' in settle(() => toEmojiCode(`:${name}::skin-tone-${tone}:`))).toBe(true);
			}),
			{ numRuns: 1000 },
		);
	});

	it('property: a name outside the built-in table keeps its letter case', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^[a-zA-Z0-9_+-]{1,98}$/), fc.boolean(), (name, wrapped) => {
				fc.pre(!NAMES.includes(name.toLowerCase()));
				expect(toEmojiCode(wrapped ? `:${name}:` : name).code).toBe(`:${name}:`);
			}),
			{ numRuns: 1000 },
		);
	});

	it('property: text with a blank inside, or two emoji, is not an emoji', () => {
		fc.assert(
			fc.property(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES), fc.constantFrom(' ', '  ', '\t'), (a, b, gap) => {
				expect('error' in settle(() => toEmojiCode(`${a}${gap}${b}`))).toBe(true);
				expect('error' in settle(() => toEmojiCode(`:${a}:${gap}:${b}:`))).toBe(true);
			}),
		);
		fc.assert(
			fc.property(fc.constantFrom(...UNICODE.filter((e) => typeof TABLE[e] === 'string')), fc.constantFrom(...UNICODE.filter((e) => typeof TABLE[e] === 'string')), (a, b) => {
				// Two that make one emoji together (a hand and a skin-tone modifier: 👈🏼) are one emoji.
				fc.pre(TABLE[a + b] === undefined && TABLE[(a + b).replace(/\uFE0F/g, '')] === undefined);
				expect('error' in settle(() => toEmojiCode(`${a}${b}`))).toBe(true);
			}),
		);
	});
});

// ------------------------------------------------------------------------------------------ IDs

const hexId = fc.stringMatching(/^[0-9a-fA-F]{24}$/);
const blank = fc.constantFrom('', ' ', '  ', '\t', '\n');

describe('IDs', () => {
	it('property: anything at all → 24 lower-case hex characters or a helpful PumbleInputError', () => {
		fc.assert(
			fc.property(anyValue, (value) => {
				const result = settle(() => requireId(value, 'messageId', 'message ID'));
				if ('ok' in result) expect(result.ok).toMatch(/^[0-9a-f]{24}$/);
				else expectHelpful(result.error, 'messageId');
			}),
			{ numRuns: 2000 },
		);
	});

	it('property: a valid ID in any case with blanks around is accepted, trimmed and lower-cased', () => {
		fc.assert(
			fc.property(hexId, blank, blank, (id, before, after) => {
				expect(requireId(`${before}${id}${after}`, 'channel')).toBe(id.toLowerCase());
			}),
		);
	});

	it('property: one character off (changed, missing, extra) is refused', () => {
		fc.assert(
			fc.property(hexId, fc.nat(), fc.constantFrom('g', 'z', '-', ' ', 'é', '0x'), fc.constantFrom('change', 'drop', 'add'), (id, at, bad, how) => {
				const i = at % id.length;
				const broken = how === 'change' ? id.slice(0, i) + bad + id.slice(i + 1) : how === 'drop' ? id.slice(0, i) + id.slice(i + 1) : id + id[i];
				if (how === 'change' && bad === ' ' && (i === 0 || i === id.length - 1)) return; // a blank at the edge is trimmed: still too short
				expect('error' in settle(() => requireId(broken, 'channel'))).toBe(true);
			}),
		);
	});

	it('property: a list reads the same from an array, comma-, semicolon-, space- or newline-separated text and {id} objects: deduplicated, in order', () => {
		fc.assert(
			fc.property(fc.array(hexId, { minLength: 1, maxLength: 12 }), fc.array(fc.constantFrom(',', ', ', ';', ' ', '\n', ' , '), { minLength: 1 }), (ids, separators) => {
				const expected = [...new Set(ids.map((id) => id.toLowerCase()))];
				const text = ids.map((id, i) => (i === 0 ? id : `${separators[i % separators.length]}${id}`)).join('');
				expect(requireIdList(ids, 'userIds', 'user ID')).toEqual(expected);
				expect(requireIdList(text, 'userIds', 'user ID')).toEqual(expected);
				expect(requireIdList(ids.map((id) => ({ id })), 'userIds', 'user ID')).toEqual(expected);
				expect(requireIdList([...ids, '', '  '], 'userIds', 'user ID')).toEqual(expected);
			}),
		);
	});

	it('property: a group of 2–8 people is accepted, any other number of distinct people refused', () => {
		fc.assert(
			fc.property(fc.uniqueArray(hexId.map((id) => id.toLowerCase()), { maxLength: 12 }), (ids) => {
				const result = settle(() => requireIdList(ids, 'userIds', 'user ID', { min: 2, max: 8 }));
				if (ids.length >= 2 && ids.length <= 8) expect(result).toEqual({ ok: ids });
				else if ('error' in result) expect(result.error.message).toMatch(new RegExp(`^${ids.length} distinct`));
				else throw new Error(`${ids.length} people accepted`);
			}),
		);
	});
});

// ------------------------------------------------------------------------------------------ text

describe('text', () => {
	it('property: anything at all → the text unchanged, or a helpful PumbleInputError', () => {
		fc.assert(
			fc.property(anyValue, (value) => {
				const result = settle(() => requireText(value));
				if ('ok' in result) {
					expect(result.ok.trim()).not.toBe('');
					expect(result.ok).toBe(typeof value === 'string' ? value : String(value));
				} else expectHelpful(result.error, 'text');
			}),
			{ numRuns: 2000 },
		);
	});
});

// ------------------------------------------------------------------------------------------ dates

/** Time zones n8n users pick, with and without daylight saving, and odd offsets. */
const ZONES = ['UTC', 'Europe/Belgrade', 'America/New_York', 'Asia/Tokyo', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'Africa/Casablanca', 'Pacific/Kiritimati'];
const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) });

/** The wall-clock time of `epochMs` in `zone`, as a naive ISO string (what a date field without offset holds). */
function wallClock(epochMs: number, zone: string): string {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
			.formatToParts(new Date(epochMs))
			.map((part) => [part.type, part.value]),
	);
	const ms = String(((epochMs % 1000) + 1000) % 1000).padStart(3, '0');
	return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${ms}`;
}

describe('dates to epoch milliseconds', () => {
	it('property: anything at all → a whole number of milliseconds, or a helpful PumbleInputError', () => {
		fc.assert(
			fc.property(anyValue, (value) => {
				const result = settle(() => toEpochMs(value, 'sendAt'));
				if ('ok' in result) expect(Number.isInteger(result.ok)).toBe(true);
				else expectHelpful(result.error, 'sendAt');
			}),
			{ numRuns: 2000 },
		);
	});

	/** A number beyond what a date can be (JavaScript dates end at ±8.64e15 ms) is refused before any request. */
	it('property: what is accepted is a real date (within the range of JavaScript dates)', () => {
		fc.assert(
			fc.property(fc.oneof(anyValue, fc.double(), fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })), (value) => {
				const result = settle(() => toEpochMs(value, 'sendAt'));
				if ('ok' in result) expect(Number.isNaN(new Date(result.ok).getTime())).toBe(false);
			}),
			{ numRuns: 2000 },
		);
	});

	it('property: a wall-clock time without offset is read in the workflow\'s zone (and shows that wall clock there)', () => {
		fc.assert(
			fc.property(instant, fc.constantFrom(...ZONES), (epochMs, zone) => {
				const naive = wallClock(epochMs, zone);
				const read = toEpochMs(naive, 'sendAt', zone);
				expect(wallClock(read, zone)).toBe(naive);
				// Only a daylight-saving overlap makes one wall clock mean two instants, at most a few hours apart.
				if (read !== epochMs) expect(Math.abs(read - epochMs)).toBeLessThanOrEqual(3 * 3_600_000);
			}),
			{ numRuns: 2000 },
		);
	});

	it('property: the same instant given as ISO with any offset, as epoch ms, epoch seconds, a Date or a Luxon-like object gives the same number', () => {
		fc.assert(
			fc.property(instant, fc.integer({ min: -14 * 60, max: 14 * 60 }), (epochMs, offsetMinutes) => {
				const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
				const sign = offsetMinutes < 0 ? '-' : '+';
				const abs = Math.abs(offsetMinutes);
				const shifted = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 23);
				const withOffset = `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
				expect(toEpochMs(withOffset, 'sendAt', 'Asia/Tokyo')).toBe(epochMs);
				expect(toEpochMs(new Date(epochMs).toISOString(), 'sendAt', 'America/New_York')).toBe(epochMs);
				expect(toEpochMs(epochMs, 'sendAt')).toBe(epochMs);
				expect(toEpochMs(String(epochMs), 'sendAt')).toBe(epochMs);
				expect(toEpochMs(wholeSeconds / 1000, 'sendAt')).toBe(wholeSeconds);
				expect(toEpochMs(new Date(epochMs), 'sendAt')).toBe(epochMs);
				expect(toEpochMs({ toMillis: () => epochMs }, 'sendAt')).toBe(epochMs);
			}),
			{ numRuns: 1000 },
		);
	});
});
