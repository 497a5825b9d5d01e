/**
 * What counts as "the same message" when looking for a send in Pumble: the text as Pumble keeps it
 * (line ends, runs of blanks, surrounding blanks may change), or — when Pumble kept only blocks and an
 * empty `text` — the text inside the blocks.
 */
import type { ChannelEntry, Message } from '../types';

/** Text as compared: line ends unified, every run of whitespace one blank, no surrounding blanks. */
export function comparable(text: string): string {
	return text.replace(/\r\n?/g, '\n').replace(/\s+/g, ' ').trim();
}

/** The plain text of rich-text blocks: every `text` string inside them, in order. */
export function textOfBlocks(blocks: unknown): string {
	const parts: string[] = [];
	const walk = (node: unknown): void => {
		if (Array.isArray(node)) return node.forEach(walk);
		if (node === null || typeof node !== 'object') return;
		for (const [key, value] of Object.entries(node)) {
			if (key === 'text' && typeof value === 'string') parts.push(value);
			else walk(value);
		}
	};
	walk(blocks);
	return parts.join('');
}

/** The texts a sent message may be stored as: its text, and the text of its blocks when it had any. */
export function wantedTexts(text: string, blocks?: unknown): Set<string> {
	const wanted = new Set([comparable(text)]);
	if (blocks !== undefined) wanted.add(comparable(textOfBlocks(blocks)));
	wanted.delete('');
	return wanted;
}

/** Whether a stored message carries one of the wanted texts, in its text or in its blocks. */
export function carriesText(message: Message, wanted: Set<string>): boolean {
	if (typeof message.text === 'string' && wanted.has(comparable(message.text))) return true;
	return message.blocks !== undefined && message.blocks !== null && wanted.has(comparable(textOfBlocks(message.blocks)));
}

/** The DIRECT conversations whose members are exactly `people` (there is one, or none). */
export function findDirectChannel(entries: ChannelEntry[], people: Set<string>): string | undefined {
	const entry = entries.find(
		(candidate) =>
			candidate.channel.channelType === 'DIRECT' &&
			new Set(candidate.users).size === people.size &&
			candidate.users.every((user) => people.has(user)),
	);
	return entry?.channel.id;
}
