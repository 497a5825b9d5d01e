/**
 * Pumble's text markup (`**bold**`, `*italic*`, `` `code` ``, `<<@user>>`, `<<#channel>>`, `<<&group>>`) as
 * rich-text inline elements, so a message shown through blocks keeps the formatting and mentions its
 * text would have had (Pumble shows valid blocks instead of the text).
 */

export type InlineElement =
	| { type: 'text'; text: string; style?: { bold?: boolean; italic?: boolean; code?: boolean; strike?: boolean } }
	| { type: 'link'; url: string; text: string }
	| { type: 'user'; user_id: string }
	| { type: 'channel'; channel_id: string }
	| { type: 'usergroup'; usergroup_id: string };

const TOKEN = /<<([@#&])([0-9a-zA-Z]+)>>|\*\*([^*\n]+)\*\*|`([^`\n]+)`|\*([^*\n]+)\*/g;

/** The inline elements of one piece of text, newlines kept inside text elements. */
export function toInlineElements(text: string): InlineElement[] {
	const elements: InlineElement[] = [];
	let last = 0;
	for (const match of text.matchAll(TOKEN)) {
		const index = match.index ?? 0;
		if (index > last) elements.push({ type: 'text', text: text.slice(last, index) });
		const [, sigil, id, bold, code, italic] = match;
		if (sigil === '@') elements.push({ type: 'user', user_id: id });
		else if (sigil === '#') elements.push({ type: 'channel', channel_id: id });
		else if (sigil === '&') elements.push({ type: 'usergroup', usergroup_id: id });
		else if (bold !== undefined) elements.push({ type: 'text', text: bold, style: { bold: true } });
		else if (code !== undefined) elements.push({ type: 'text', text: code, style: { code: true } });
		else elements.push({ type: 'text', text: italic, style: { italic: true } });
		last = index + match[0].length;
	}
	if (last < text.length) elements.push({ type: 'text', text: text.slice(last) });
	return elements;
}
