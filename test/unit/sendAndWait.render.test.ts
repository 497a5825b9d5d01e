import { choiceLabel, formatTime, renderAnswered, renderWaiting, stillWaiting, toInlineElements } from '../../nodes/Pumble/actions/message/sendAndWait/rendering';

const APPROVE = 'https://n8n.example.com/webhook-waiting/42/node-1?approved=true&signature=abc';
const DECLINE = 'https://n8n.example.com/webhook-waiting/42/node-1?approved=false&signature=def';
const AT = Date.UTC(2026, 11, 1, 21, 5);

const linksOf = (blocks: ReturnType<typeof renderWaiting>['blocks']) =>
	blocks.flatMap((block) => block.elements.flatMap((section) => section.elements)).filter((element) => element.type === 'link');

describe('the waiting message', () => {
	it('shows each choice as a labelled link to its absolute URL, in blocks', () => {
		const { blocks } = renderWaiting({
			message: 'Publish the release notes?',
			choices: [
				{ kind: 'approve', label: 'Approve', url: APPROVE },
				{ kind: 'decline', label: 'Decline', url: DECLINE },
			],
		});
		expect(blocks[0].type).toBe('rich_text');
		expect(linksOf(blocks)).toEqual([
			{ type: 'link', url: APPROVE, text: '✅ Approve' },
			{ type: 'link', url: DECLINE, text: '❌ Decline' },
		]);
	});

	it('carries the bare URLs in the plain-text fallback, each after its label', () => {
		const { text } = renderWaiting({
			message: 'Publish?',
			choices: [
				{ kind: 'approve', label: 'Ship it', url: APPROVE },
				{ kind: 'decline', label: 'Not yet', url: DECLINE },
			],
		});
		expect(text).toBe(`Publish?\n\n✅ Ship it: ${APPROVE}\n❌ Not yet: ${DECLINE}`);
	});

	it('labels a form link "Respond" unless told otherwise', () => {
		expect(linksOf(renderWaiting({ message: 'Why?', choices: [{ kind: 'respond', label: '', url: APPROVE }] }).blocks)).toEqual([
			{ type: 'link', url: APPROVE, text: 'Respond' },
		]);
		expect(choiceLabel({ kind: 'respond', label: 'Tell us' })).toBe('Tell us');
	});

	it('does not add the emoji twice', () => {
		expect(choiceLabel({ kind: 'approve', label: '✅ Yes' })).toBe('✅ Yes');
		expect(choiceLabel({ kind: 'decline', label: 'No' })).toBe('❌ No');
	});

	it('says until when it waits, in the workflow time zone', () => {
		const waiting = renderWaiting({ message: 'Go?', choices: [{ kind: 'approve', label: 'Approve', url: APPROVE }], expiresAt: AT, timeZone: 'Europe/Belgrade' });
		expect(waiting.text.endsWith('Answer by 1 Dec 2026, 22:05 CET')).toBe(true);
		expect(JSON.stringify(waiting.blocks)).toContain('Answer by 1 Dec 2026, 22:05 CET');
	});

	it('keeps mentions and formatting of the message as rich-text elements', () => {
		expect(toInlineElements('Hi <<@66a1f0c2e4b0a1b2c3d4e5f6>>, **ship** `v2`?')).toEqual([
			{ type: 'text', text: 'Hi ' },
			{ type: 'user', user_id: '66a1f0c2e4b0a1b2c3d4e5f6' },
			{ type: 'text', text: ', ' },
			{ type: 'text', text: 'ship', style: { bold: true } },
			{ type: 'text', text: ' ' },
			{ type: 'text', text: 'v2', style: { code: true } },
			{ type: 'text', text: '?' },
		]);
	});
});

describe('the message after the answer', () => {
	it.each([
		['approved', '✅ Approved'],
		['declined', '❌ Declined'],
		['responded', 'Responded'],
		['expired', '⌛ Expired: no answer in time'],
	] as const)('%s: shows the outcome with its time and no links', (outcome, label) => {
		const answered = renderAnswered({ message: 'Publish?', outcome, at: AT });
		expect(answered.text).toBe(`Publish?\n\n${label} · 1 Dec 2026, 21:05 UTC`);
		expect(linksOf(answered.blocks)).toEqual([]);
		expect(answered.text).not.toContain('http');
	});

	it('is told apart from a waiting message by its links', () => {
		const choices = [{ kind: 'approve' as const, label: 'Approve', url: APPROVE }];
		expect(stillWaiting(renderWaiting({ message: 'Go?', choices }).text, choices)).toBe(true);
		expect(stillWaiting(renderAnswered({ message: 'Go?', outcome: 'approved', at: AT }).text, choices)).toBe(false);
	});

	it('falls back to UTC for an unknown time zone', () => {
		expect(formatTime(AT, 'Not/AZone')).toBe('1 Dec 2026, 21:05 UTC');
	});
});
