/**
 * Text Contains: patterns run on a linear-time matcher, so no message text can freeze the
 * poll; `g` and `y` never make a filter skip every second match; what RE2 cannot run is refused before
 * anything is read.
 */
import { poll, textMatcher, type PollConfig, type TriggerState } from '../../core/poller';
import { PumbleInputError } from '../../core/errors';
import { BOB, FakePumble } from './poller.fake';

const GENERAL = 'dddddddddddddddddddd0001';

async function emitted(config: Partial<PollConfig>, post: (pumble: FakePumble) => void): Promise<string[]> {
	const pumble = new FakePumble();
	pumble.addChannel(GENERAL, { name: 'general' });
	const cfg: PollConfig = { event: 'newMessage', channels: [GENERAL], ...config };
	let state: TriggerState | undefined = (await poll(pumble, cfg, undefined, { now: pumble.now })).state;
	post(pumble);
	const result = await poll(pumble, cfg, state, { now: pumble.now });
	state = result.state;
	return result.messages.map((m) => m.text);
}

describe('catastrophic patterns', () => {
	// With JavaScript's backtracking RegExp, each of these runs for longer than the universe is old:
	// 28 characters already took 2.3 s, and the time doubles with every character.
	it('/^(a+)+$/ against 10,000 characters answers (a matcher without backtracking)', () => {
		const test = textMatcher('/^(a+)+$/')!;
		expect(test('a'.repeat(10_000) + '!')).toBe(false);
		expect(test('a'.repeat(10_000))).toBe(true);
	});

	it('nested and alternating quantifiers too', () => {
		expect(textMatcher('/(a|aa)+$/')!('a'.repeat(10_000) + 'b')).toBe(false);
		expect(textMatcher('/^(\\w+\\s?)*$/')!('word '.repeat(2_000) + '!')).toBe(false);
	});

	it('a poll with /^(a+)+$/ and a 10,000-character message finishes, and emits what matches', async () => {
		const texts = await emitted({ textFilter: '/^(a+)+$/' }, (pumble) => {
			pumble.post(GENERAL, BOB, 'a'.repeat(9_999) + '!');
			pumble.post(GENERAL, BOB, 'a'.repeat(10_000));
		});
		expect(texts).toEqual(['a'.repeat(10_000)]);
	});
});

describe('flags', () => {
	it('/deploy/gi matches every matching message, not every second one', async () => {
		const texts = await emitted({ textFilter: '/deploy/gi' }, (pumble) => {
			for (const text of ['deploy 1', 'Deploy 2', 'lunch', 'DEPLOY 3', 'deploy 4', 'deploy 5']) pumble.post(GENERAL, BOB, text);
		});
		expect(texts).toEqual(['deploy 1', 'Deploy 2', 'DEPLOY 3', 'deploy 4', 'deploy 5']);
	});

	it('the same filter tested again and again keeps its answer (y too)', () => {
		for (const filter of ['/deploy/g', '/deploy/y', '/deploy/gy']) {
			const test = textMatcher(filter)!;
			expect([1, 2, 3, 4].map(() => test('deploy'))).toEqual([true, true, true, true]);
		}
	});

	it('i, m and s mean what they mean in JavaScript', () => {
		expect(textMatcher('/^deploy$/')!('DEPLOY')).toBe(false);
		expect(textMatcher('/^deploy$/i')!('DEPLOY')).toBe(true);
		expect(textMatcher('/^done$/')!('deploy\ndone')).toBe(false);
		expect(textMatcher('/^done$/m')!('deploy\ndone')).toBe(true);
		expect(textMatcher('/deploy.done/')!('deploy\ndone')).toBe(false);
		expect(textMatcher('/deploy.done/s')!('deploy\ndone')).toBe(true);
	});
});

describe('patterns RE2 cannot run', () => {
	it.each(['/deploy(?=ed)/', '/(?<!un)done/', '/(a)\\1/'])('%s is refused with a clear error before anything is read', async (filter) => {
		expect(() => textMatcher(filter)).toThrow(PumbleInputError);
		expect(() => textMatcher(filter)).toThrow(/cannot be used/);
		const pumble = new FakePumble();
		pumble.addChannel(GENERAL);
		await expect(poll(pumble, { event: 'newMessage', channels: [GENERAL], textFilter: filter }, undefined)).rejects.toThrow(PumbleInputError);
		expect(pumble.calls).toEqual([]);
	});

	it('what JavaScript cannot read as a pattern either is plain text, as before', () => {
		expect(textMatcher('/[unclosed/')!('a /[UNCLOSED/ b')).toBe(true);
	});
});
