/**
 * Emoji as Pumble takes them: a `:code:` matching the API's pattern, from a Unicode emoji, a name or a code,
 * with the skin tone kept apart (Pumble's `skinTone`).
 */
import { valueLabel } from './valueLabel';
import { PumbleInputError } from '../errors';
import emojiTable from './emojiTable.json';

/** The OpenAPI description's pattern for an emoji code, and its length bounds (colons included). */
export const EMOJI_CODE_PATTERN = /^:[a-zA-Z0-9_+-]+:$/;
export const EMOJI_CODE_LENGTH = { min: 3, max: 100 } as const;
const EMOJI_NAME = /^[a-zA-Z0-9_+-]+$/;
const TONED = /^:([^:\s]*):?:skin-tone-([^:\s]*):$/i;
const UNICODE_TABLE = emojiTable as unknown as Record<string, string | [string, number]>;
const tableName = (entry: string | [string, number]) => (typeof entry === 'string' ? entry : entry[0]);
/** The built-in emoji names (all lower case), and those that come in skin tones. */
const BUILT_IN = new Set(Object.values(UNICODE_TABLE).map(tableName));
const TONEABLE = new Set(Object.values(UNICODE_TABLE).filter((entry) => typeof entry !== 'string').map(tableName));

export interface EmojiCode {
	/** `:name:`, the form Pumble requires. */
	code: string;
	/** 2–6 when given as a skin-toned Unicode emoji or `:name::skin-tone-N:`. */
	skinTone?: number;
}

const EMOJI_HINT = 'Use one emoji: a Unicode emoji (👍), its name (+1, tada) or its code (:tada:). Custom workspace emoji work by name.';

/**
 * A name as Pumble's `:code:`: letters, digits, `_`, `+` and `-`, at most 100 characters with the colons.
 * Built-in names are matched in any letter case and sent in lower case; any other name is a custom workspace
 * emoji and keeps its case.
 */
function codeOf(name: string, value: unknown, parameter: string): string {
	const code = `:${BUILT_IN.has(name.toLowerCase()) ? name.toLowerCase() : name}:`;
	if (code.length > EMOJI_CODE_LENGTH.max) {
		throw new PumbleInputError(parameter, `${valueLabel(value)} is too long for an emoji code`, `Pumble accepts emoji codes of ${EMOJI_CODE_LENGTH.min} to ${EMOJI_CODE_LENGTH.max} characters. ${EMOJI_HINT}`);
	}
	return code;
}

/** `:name::skin-tone-N:`: a built-in emoji that has skin tones, and a tone from 2 to 6. */
function tonedCode([, name, tone]: RegExpExecArray, value: unknown, parameter: string): EmojiCode {
	if (!EMOJI_NAME.test(name) || !TONEABLE.has(name.toLowerCase())) {
		throw new PumbleInputError(parameter, `${valueLabel(value)}: only a built-in emoji with skin tones takes a skin tone`, `Use an emoji such as :+1::skin-tone-3:, or leave the tone out. ${EMOJI_HINT}`);
	}
	if (!/^[2-6]$/.test(tone)) {
		throw new PumbleInputError(parameter, `${valueLabel(value)} has no skin tone ${tone}`, 'Skin tones go from :skin-tone-2: (light) to :skin-tone-6: (dark).');
	}
	return { code: `:${name.toLowerCase()}:`, skinTone: Number(tone) };
}

/** Accepts `:+1:`, `+1` or `👍` alike (and `:+1::skin-tone-3:`); returns the `:code:` Pumble requires. */
export function toEmojiCode(value: unknown, parameter = 'emoji'): EmojiCode {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) {
		throw new PumbleInputError(parameter, 'The emoji is empty', `Set "${parameter}" to an emoji such as 👍, :+1: or +1.`);
	}
	const toned = TONED.exec(text);
	if (toned) return tonedCode(toned, value, parameter);
	if (EMOJI_CODE_PATTERN.test(text)) return { code: codeOf(text.slice(1, -1), value, parameter) };
	if (EMOJI_NAME.test(text)) return { code: codeOf(text, value, parameter) };
	const known = UNICODE_TABLE[text] ?? UNICODE_TABLE[text.replace(/\uFE0F/g, '')];
	if (known) return typeof known === 'string' ? { code: `:${known}:` } : { code: `:${known[0]}:`, skinTone: known[1] };
	throw new PumbleInputError(parameter, `${valueLabel(value)} is not an emoji Pumble knows`, EMOJI_HINT);
}
