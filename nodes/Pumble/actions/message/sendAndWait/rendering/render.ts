/**
 * How a "send and wait" message looks in Pumble: while it waits, the request followed by labelled links
 * (rich-text blocks with `link` elements) and a plain-text fallback carrying the bare URLs; once answered or
 * expired, the request followed by the outcome and its time, with no links left to click.
 */
import { InlineElement, toInlineElements } from './richText';

export type ChoiceKind = 'approve' | 'decline' | 'respond';

/** One link of the waiting message. `url` is absolute (the waiting execution's resume URL). */
export interface Choice {
	kind: ChoiceKind;
	/** The user's label, e.g. "Approve"; the kind's emoji is added when missing. */
	label: string;
	url: string;
}

export type Outcome = 'approved' | 'declined' | 'responded' | 'expired';

export interface RichTextBlock {
	type: 'rich_text';
	elements: Array<{ type: 'rich_text_section'; elements: InlineElement[] }>;
}

/** What editMessage / sendMessage take: the text (notification and fallback) and the blocks shown instead. */
export interface RenderedMessage {
	text: string;
	blocks: RichTextBlock[];
}

const EMOJI: Record<ChoiceKind, string> = { approve: '✅', decline: '❌', respond: '' };
const DEFAULT_LABEL: Record<ChoiceKind, string> = { approve: 'Approve', decline: 'Decline', respond: 'Respond' };
const OUTCOME_LABEL: Record<Outcome, string> = {
	approved: '✅ Approved',
	declined: '❌ Declined',
	responded: 'Responded',
	expired: '⌛ Expired: no answer in time',
};
const SEPARATOR = '   ';

/** The label shown for a choice: "✅ Approve", "❌ Decline", "Respond" (or the user's words). */
export function choiceLabel(choice: Pick<Choice, 'kind' | 'label'>): string {
	const label = choice.label.trim() || DEFAULT_LABEL[choice.kind];
	const emoji = EMOJI[choice.kind];
	return emoji && !label.startsWith(emoji) ? `${emoji} ${label}` : label;
}

/** A point in time as people read it in the workflow's time zone, e.g. "1 Dec 2026, 21:05 UTC". */
export function formatTime(epochMs: number, timeZone = 'UTC'): string {
	const format = (zone: string) =>
		new Intl.DateTimeFormat('en-GB', {
			timeZone: zone,
			year: 'numeric',
			month: 'short',
			day: 'numeric',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23',
			timeZoneName: 'short',
		}).format(new Date(epochMs));
	try {
		return format(timeZone);
	} catch {
		return format('UTC'); // an unknown zone name must not cost the message
	}
}

const section = (elements: InlineElement[]) => ({ type: 'rich_text_section' as const, elements });

export function renderWaiting(input: { message: string; choices: Choice[]; expiresAt?: number; timeZone?: string }): RenderedMessage {
	const message = input.message.trim();
	const deadline = input.expiresAt !== undefined ? `Answer by ${formatTime(input.expiresAt, input.timeZone)}` : undefined;
	const links: InlineElement[] = input.choices.flatMap((choice, index) => [
		...(index > 0 ? [{ type: 'text' as const, text: SEPARATOR }] : []),
		{ type: 'link' as const, url: choice.url, text: choiceLabel(choice) },
	]);
	const text = [
		message,
		...(input.choices.length > 0 ? ['', ...input.choices.map((choice) => `${choiceLabel(choice)}: ${choice.url}`)] : []),
		...(deadline ? ['', deadline] : []),
	].join('\n');
	const elements = [section(toInlineElements(message))];
	if (links.length > 0) elements.push(section([{ type: 'text', text: '\n\n' }, ...links]));
	if (deadline) elements.push(section([{ type: 'text', text: `\n${deadline}`, style: { italic: true } }]));
	return { text, blocks: [{ type: 'rich_text', elements }] };
}

export function renderAnswered(input: { message: string; outcome: Outcome; at: number; timeZone?: string }): RenderedMessage {
	const message = input.message.trim();
	const status = `${OUTCOME_LABEL[input.outcome]} · ${formatTime(input.at, input.timeZone)}`;
	return {
		text: `${message}\n\n${status}`,
		blocks: [
			{
				type: 'rich_text',
				elements: [section([...toInlineElements(message), { type: 'text', text: '\n\n' }]), section([{ type: 'text', text: status, style: { bold: true } }])],
			},
		],
	};
}

/** Whether a message (its text as Pumble returns it) still offers these links, i.e. nobody answered yet. */
export function stillWaiting(text: string | undefined, choices: Array<Pick<Choice, 'url'>>): boolean {
	return typeof text === 'string' && choices.some((choice) => text.includes(choice.url));
}
