/**
 * Generates core/input/emojiTable.json: Unicode emoji → the `:short_name:` code Pumble's
 * reaction and status endpoints require. Source: emoji-datasource (the same short names Slack and
 * Pumble use). Run `npx tsx scripts/generate-emoji-table.ts` after upgrading emoji-datasource.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';

interface EmojiEntry {
	unified: string;
	non_qualified: string | null;
	short_name: string;
	skin_variations?: Record<string, { unified: string; non_qualified: string | null }>;
}

// Skin tone modifiers (Fitzpatrick 1-2 … 6) are Pumble's/Slack's skin tones 2 … 6.
const SKIN_TONES: Record<string, number> = { '1F3FB': 2, '1F3FC': 3, '1F3FD': 4, '1F3FE': 5, '1F3FF': 6 };

const fromCodepoints = (unified: string) =>
	String.fromCodePoint(...unified.split('-').map((hex) => parseInt(hex, 16)));

// eslint-disable-next-line @typescript-eslint/no-require-imports
const emojis: EmojiEntry[] = require('emoji-datasource/emoji.json');
const table: Record<string, string | [string, number]> = {};
for (const emoji of emojis) {
	for (const unified of [emoji.unified, emoji.non_qualified]) {
		if (unified) table[fromCodepoints(unified)] = emoji.short_name;
	}
	for (const [tone, variation] of Object.entries(emoji.skin_variations ?? {})) {
		const skinTone = SKIN_TONES[tone];
		if (!skinTone) continue; // multi-person variations (e.g. 1F3FB-1F3FC) have no single tone
		for (const unified of [variation.unified, variation.non_qualified]) {
			if (unified) table[fromCodepoints(unified)] = [emoji.short_name, skinTone];
		}
	}
}
const out = join(__dirname, '..', 'core', 'input', 'emojiTable.json');
writeFileSync(out, JSON.stringify(table) + '\n');
console.log(`wrote ${Object.keys(table).length} emoji to ${out}`);
