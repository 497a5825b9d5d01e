import fc from 'fast-check';
import { PumbleInputError, requireId, requireIdList, requireText, toEmojiCode, toEpochMs } from '../../core';

const inputError = (fn: () => unknown): PumbleInputError => {
	try {
		fn();
	} catch (error) {
		if (error instanceof PumbleInputError) return error;
		throw error;
	}
	throw new Error('expected a PumbleInputError');
};

describe('emoji', () => {
	it.each([
		[':+1:', ':+1:'],
		['+1', ':+1:'],
		['👍', ':+1:'],
		['🎉', ':tada:'],
		['tada', ':tada:'],
		[':TADA:', ':tada:'],
		['  :white_check_mark: ', ':white_check_mark:'],
		['partyparrot', ':partyparrot:'],
	])('%s → %s', (given, code) => {
		expect(toEmojiCode(given).code).toBe(code);
	});

	it('keeps the skin tone of a toned emoji', () => {
		expect(toEmojiCode('👍🏽')).toEqual({ code: ':+1:', skinTone: 4 });
	});

	it.each(['', '   ', 'not an emoji', '👍👍', ':a b:', 42])('rejects %p with a fix', (bad) => {
		const error = inputError(() => toEmojiCode(bad));
		expect(error.parameter).toBe('emoji');
		expect(error.hint).toMatch(/emoji/i);
	});

	describe("the API's pattern for codes: ^:[a-zA-Z0-9_+\\-]+:$, 3 to 100 characters", () => {
		it.each(["don't", ":don't:", 'thumbs.up', ':ok!:', 'a:b', ':a:b:', '::'])('refuses %p (a character outside the pattern)', (bad) => {
			expect(inputError(() => toEmojiCode(bad)).parameter).toBe('emoji');
		});

		it('accepts a name of 98 characters (100 with the colons) and refuses one of 99', () => {
			expect(toEmojiCode('x'.repeat(98)).code).toHaveLength(100);
			expect(toEmojiCode(`:${'x'.repeat(98)}:`).code).toHaveLength(100);
			expect(inputError(() => toEmojiCode('x'.repeat(99))).message).toMatch(/too long/);
			expect(inputError(() => toEmojiCode(`:${'x'.repeat(99)}:`)).message).toMatch(/too long/);
		});

		it('the shortest code is one character between colons', () => {
			expect(toEmojiCode('x').code).toBe(':x:');
		});
	});

	describe('letter case', () => {
		it.each([
			[':TADA:', ':tada:'],
			['Tada', ':tada:'],
			['+1', ':+1:'],
			['White_Check_Mark', ':white_check_mark:'],
		])('a built-in emoji in any case is sent in lower case: %s → %s', (given, code) => {
			expect(toEmojiCode(given).code).toBe(code);
		});

		it.each([
			['PartyParrot', ':PartyParrot:'],
			[':PartyParrot:', ':PartyParrot:'],
			['  :Ship_It-2: ', ':Ship_It-2:'],
			['partyparrot', ':partyparrot:'],
		])('a custom workspace emoji keeps its case: %s → %s', (given, code) => {
			expect(toEmojiCode(given).code).toBe(code);
		});
	});

	describe('skin tones', () => {
		it('the tone swatch itself is an emoji of the table: :skin-tone-3:', () => {
			expect(toEmojiCode(':skin-tone-3:')).toEqual({ code: ':skin-tone-3:' });
		});

		it.each([
			[':+1::skin-tone-3:', ':+1:', 3],
			[':+1:skin-tone-6:', ':+1:', 6],
			[':Wave::Skin-Tone-2:', ':wave:', 2],
		])('%s → %s with tone %d', (given, code, skinTone) => {
			expect(toEmojiCode(given)).toEqual({ code, skinTone });
		});

		it.each([
			[":a'b::skin-tone-3:", /skin tones/],
			[':a b::skin-tone-3:', /emoji/],
			['::skin-tone-3:', /skin tones/],
			[':tada::skin-tone-3:', /skin tones/],
			[':PartyParrot::skin-tone-2:', /skin tones/],
			[':+1::skin-tone-7:', /skin tone 7/],
			[':+1::skin-tone-1:', /skin tone 1/],
			[':+1::skin-tone-dark:', /skin tone dark/],
		])('refuses %p', (bad, message) => {
			const error = inputError(() => toEmojiCode(bad));
			expect(error.parameter).toBe('emoji');
			expect(error.message).toMatch(message);
		});
	});

	it('property: a known code in any accepted form normalises to the same code', () => {
		fc.assert(
			fc.property(fc.constantFrom('+1', 'tada', 'heart', 'white_check_mark', 'eyes', 'rocket'), fc.boolean(), (name, wrapped) => {
				expect(toEmojiCode(wrapped ? `:${name}:` : name).code).toBe(`:${name}:`);
			}),
		);
	});
});

describe('IDs', () => {
	it('accepts 24 hex characters, trimmed and lower-cased', () => {
		expect(requireId(' 66A1F0C2E4B0A1B2C3D4E5F6 ', 'messageId')).toBe('66a1f0c2e4b0a1b2c3d4e5f6');
	});

	it.each(['', 'abc', '66a1f0c2e4b0a1b2c3d4e5fz', '66a1f0c2e4b0a1b2c3d4e5f6a', {}, null])('rejects %p naming the parameter', (bad) => {
		const error = inputError(() => requireId(bad, 'messageId', 'message ID'));
		expect(error.parameter).toBe('messageId');
		expect(error.message + error.hint).toMatch(/message ID/);
	});

	it('reads lists from arrays and comma-separated strings alike, deduplicated', () => {
		const a = '66a1f0c2e4b0a1b2c3d4e5f6';
		const b = '66a1f0c2e4b0a1b2c3d4e5f7';
		expect(requireIdList(`${a}, ${b},${a}`, 'userIds', 'user ID')).toEqual([a, b]);
		expect(requireIdList([a, b], 'userIds', 'user ID')).toEqual([a, b]);
	});

	it('enforces the group size', () => {
		const ids = Array.from({ length: 9 }, (_, i) => `66a1f0c2e4b0a1b2c3d4e5${String(i).padStart(2, '0')}`);
		expect(inputError(() => requireIdList(ids.slice(0, 1), 'userIds', 'user ID', { min: 2, max: 8 })).message).toMatch(/1 distinct user ID given; 2 to 8 needed/);
		expect(inputError(() => requireIdList(ids, 'userIds', 'user ID', { min: 2, max: 8 })).message).toMatch(/9 distinct/);
	});

	it('property: every 24-hex string is accepted and anything else of another length is refused', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^[0-9a-f]{24}$/), (id) => {
				expect(requireId(id, 'x')).toBe(id);
			}),
		);
		fc.assert(
			fc.property(fc.stringMatching(/^[0-9a-f]{1,40}$/).filter((s) => s.length !== 24), (id) => {
				expect(() => requireId(id, 'x')).toThrow(PumbleInputError);
			}),
		);
	});
});

describe('text', () => {
	it('rejects empty, whitespace-only, non-text and too long text', () => {
		expect(inputError(() => requireText('')).message).toMatch(/empty/);
		expect(inputError(() => requireText(' \n\t ')).message).toMatch(/empty/);
		// The core's hint is host-neutral; the fix says which field, for each host to word (test/unit/fixes.test.ts).
		const notText = inputError(() => requireText({ a: 1 }));
		expect(notText.hint).toMatch(/turn it into text first/);
		expect(notText.fix).toMatchObject({ code: 'textValue' });
		expect(inputError(() => requireText('x'.repeat(10_001))).message).toMatch(/10001 characters/);
	});

	it('keeps text exactly, numbers become text', () => {
		expect(requireText('  hi *there*  ')).toBe('  hi *there*  ');
		expect(requireText(42)).toBe('42');
	});
});

describe('dates to epoch milliseconds', () => {
	it('reads ISO strings with a zone as given', () => {
		expect(toEpochMs('2026-12-01T09:30:00Z', 'sendAt')).toBe(Date.UTC(2026, 11, 1, 9, 30));
		expect(toEpochMs('2026-12-01T10:30:00+01:00', 'sendAt')).toBe(Date.UTC(2026, 11, 1, 9, 30));
	});

	it('reads a time without a zone in the workflow time zone', () => {
		expect(toEpochMs('2026-12-01T10:30:00', 'sendAt', 'Europe/Belgrade')).toBe(Date.UTC(2026, 11, 1, 9, 30));
		expect(toEpochMs('2026-07-01T10:30:00', 'sendAt', 'Europe/Belgrade')).toBe(Date.UTC(2026, 6, 1, 8, 30));
		expect(toEpochMs('2026-12-01', 'sendAt', 'UTC')).toBe(Date.UTC(2026, 11, 1));
	});

	it('reads epoch milliseconds, epoch seconds, Dates and Luxon-like objects', () => {
		const ms = Date.UTC(2026, 11, 1, 9, 30);
		expect(toEpochMs(ms, 'x')).toBe(ms);
		expect(toEpochMs(ms / 1000, 'x')).toBe(ms);
		expect(toEpochMs(String(ms), 'x')).toBe(ms);
		expect(toEpochMs(new Date(ms), 'x')).toBe(ms);
		expect(toEpochMs({ toMillis: () => ms }, 'x')).toBe(ms);
	});

	it('rejects what is not a date, naming the parameter', () => {
		const error = inputError(() => toEpochMs('next tuesday', 'sendAt'));
		expect(error.parameter).toBe('sendAt');
		expect(error.hint).toMatch(/ISO date/);
	});

	it('property: any instant survives ISO formatting in any zone offset', () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
				const whole = Math.floor(ms / 1000) * 1000;
				expect(toEpochMs(new Date(whole).toISOString(), 'x')).toBe(whole);
				const offset = zoneOffset(whole, 'America/New_York');
				// A wall time inside the spring-forward gap does not exist in New York: nothing to compare.
				fc.pre(!Number.isNaN(offset));
				expect(toEpochMs(new Date(whole).toISOString().replace('Z', ''), 'x', 'America/New_York')).toBe(whole + offset);
			}),
			{ numRuns: 300 },
		);
	});
});

/**
 * How far the instant whose wall clock in `timeZone` reads like `utcWallMs`'s UTC wall clock lies from it,
 * found by search with toLocaleString — independent of the code under test.
 */
function zoneOffset(utcWallMs: number, timeZone: string): number {
	// Search ±15 h for the instant whose zoned wall time equals the given wall time.
	for (let offsetMinutes = -15 * 60; offsetMinutes <= 15 * 60; offsetMinutes += 15) {
		const candidate = utcWallMs + offsetMinutes * 60_000;
		const text = new Date(candidate).toLocaleString('sv-SE', { timeZone }).replace(' ', 'T');
		if (text === new Date(utcWallMs).toISOString().slice(0, 19)) return offsetMinutes * 60_000;
	}
	return NaN;
}
