/**
 * Property: Search's "Return All" pages by time with `beforeTs` and must return exactly the matching
 * messages — each once, newest first — whatever their timestamps. Pumble's timestamps have whole-second
 * precision, so many messages can share a second, and a page boundary can fall inside such a second
 * (`beforeTs = oldest − 1` would skip the rest of that second).
 *
 * The fake search below behaves as the API descriptions give `/searchMessages`: `beforeTs` and `afterTs`
 * exclusive, 1–20 hits per page, `totalElements` and `hasMore`; within one second the order is Pumble's
 * business, so the fake uses a random but fixed order.
 */
import fc from 'fast-check';

import { PumbleApi, SEARCH_PAGE_SIZE } from '../../core/api';
import type { PumbleClient } from '../../core/http/client';
import type { Message } from '../../core/types';

interface Hit {
	id: string;
	timestampMilli: number;
	/** Order among hits of the same second (unknown in the real API). */
	tie: number;
}

const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);

function fakeSearch(hits: Hit[]) {
	let requests = 0;
	const client = {
		identity: 'search-property',
		async call<T>(endpoint: { name: string }, input: { body?: Record<string, unknown> }): Promise<T> {
			if (endpoint.name !== 'searchMessages') throw new Error(`unexpected ${endpoint.name}`);
			requests++;
			const body = input.body ?? {};
			const limit = Number(body.limit ?? 10);
			if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_PAGE_SIZE) throw new Error(`limit ${limit} out of 1–20`);
			const afterTs = body.afterTs as number | undefined;
			const beforeTs = body.beforeTs as number | undefined;
			const matching = hits.filter((h) => (afterTs === undefined || h.timestampMilli > afterTs) && (beforeTs === undefined || h.timestampMilli < beforeTs));
			const newest = (a: Hit, b: Hit) => b.timestampMilli - a.timestampMilli || b.tie - a.tie;
			const ordered = [...matching].sort(body.strategy === 'OLDEST' ? (a, b) => newest(b, a) : newest);
			const content = ordered.slice(0, limit).map((h) => ({ id: h.id, timestampMilli: h.timestampMilli, text: 'hit', author: 'u', channelId: 'c', timestamp: '' }));
			return { content, totalElements: matching.length, hasMore: matching.length > limit } as T;
		},
	};
	return { api: new PumbleApi(client as unknown as PumbleClient), requests: () => requests };
}

/**
 * Hits spread over some seconds, at most `perSecond` in any one second. Pumble's timestamps are whole
 * seconds and `beforeTs`/`afterTs` are the only cursor, so the hits of one second can be told apart only
 * by taking them from both ends (NEWEST and OLDEST, 20 each): more than 40 in one second cannot be paged
 * through by any client, and is not asked for here.
 */
function hitsArbitrary(perSecond: { min: number; max: number }) {
	return fc
		.tuple(fc.integer({ min: 1, max: 12 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 200, size: 'max' }), fc.integer({ min: perSecond.min, max: perSecond.max }))
		.map(([seconds, ties, cap]) => {
			const hits: Hit[] = [];
			const used = new Map<number, number>();
			ties.forEach((tie, i) => {
				const second = (tie * 7919 + i) % seconds;
				if ((used.get(second) ?? 0) >= cap) return;
				used.set(second, (used.get(second) ?? 0) + 1);
				hits.push({ id: `h${String(i).padStart(4, '0')}`, timestampMilli: T0 + second * 1000, tie });
			});
			return hits;
		});
}

/** Crowded seconds (up to a page) — and some seconds with up to 40 hits. */
const UP_TO_A_PAGE = hitsArbitrary({ min: 1, max: SEARCH_PAGE_SIZE });
const UP_TO_TWO_PAGES = hitsArbitrary({ min: SEARCH_PAGE_SIZE + 1, max: 2 * SEARCH_PAGE_SIZE });

const ids = (messages: Message[]) => messages.map((m) => m.id);
const sortedIds = (list: Array<{ id: string }>) => list.map((h) => h.id).sort();

function expectNewestFirst(messages: Message[]): void {
	for (let i = 1; i < messages.length; i++) expect(messages[i - 1].timestampMilli).toBeGreaterThanOrEqual(messages[i].timestampMilli);
}

describe('search paging (beforeTs, same-second overlap)', () => {
	it('the generator makes crowded seconds (a page boundary falls inside one)', () => {
		const samples = fc.sample(UP_TO_A_PAGE, 200);
		const crowded = samples.filter((hits) => {
			const perSecond = new Map<number, number>();
			for (const h of hits) perSecond.set(h.timestampMilli, (perSecond.get(h.timestampMilli) ?? 0) + 1);
			return hits.length > SEARCH_PAGE_SIZE && [...perSecond.values()].some((n) => n >= 10);
		});
		expect(crowded.length).toBeGreaterThan(20);
	});

	it('property: Return All gives exactly the matching messages, each once, newest first', async () => {
		await fc.assert(
			fc.asyncProperty(UP_TO_A_PAGE, async (hits) => {
				const { api } = fakeSearch(hits);
				const found = await api.searchMessages({ query: 'hit' });
				expect(new Set(ids(found)).size).toBe(found.length);
				expect(ids(found).sort()).toEqual(sortedIds(hits));
				expectNewestFirst(found);
			}),
			{ numRuns: 300 },
		);
	});

	it('property: with "after" and "before", exactly the messages strictly between them', async () => {
		await fc.assert(
			fc.asyncProperty(UP_TO_A_PAGE, fc.integer({ min: -2, max: 42 }), fc.integer({ min: 0, max: 44 }), async (hits, a, span) => {
				const after = T0 + a * 1000 - 1;
				const before = after + span * 1000 + 2;
				const { api } = fakeSearch(hits);
				const found = await api.searchMessages({ query: 'hit', after, before });
				expect(ids(found).sort()).toEqual(sortedIds(hits.filter((h) => h.timestampMilli > after && h.timestampMilli < before)));
				expect(new Set(ids(found)).size).toBe(found.length);
			}),
			{ numRuns: 200 },
		);
	});

	it('property: a limit gives the newest N (ties at the edge in any order), each once', async () => {
		await fc.assert(
			fc.asyncProperty(UP_TO_A_PAGE, fc.integer({ min: 1, max: 200 }), async (hits, limit) => {
				const { api } = fakeSearch(hits);
				const found = await api.searchMessages({ query: 'hit', limit });
				expect(found).toHaveLength(Math.min(limit, hits.length));
				expect(new Set(ids(found)).size).toBe(found.length);
				const newestTimes = hits.map((h) => h.timestampMilli).sort((x, y) => y - x).slice(0, limit);
				expect(found.map((m) => m.timestampMilli).sort((x, y) => y - x)).toEqual(newestTimes);
			}),
			{ numRuns: 200 },
		);
	});

	it('property: "oldest" returns the same set, oldest first', async () => {
		await fc.assert(
			fc.asyncProperty(UP_TO_A_PAGE, async (hits) => {
				const { api } = fakeSearch(hits);
				const found = await api.searchMessages({ query: 'hit', sort: 'oldest' });
				expect(ids(found).sort()).toEqual(sortedIds(hits));
				for (let i = 1; i < found.length; i++) expect(found[i - 1].timestampMilli).toBeLessThanOrEqual(found[i].timestampMilli);
			}),
			{ numRuns: 100 },
		);
	});

	it('property: the number of requests stays proportionate (no endless loop)', async () => {
		await fc.assert(
			fc.asyncProperty(UP_TO_A_PAGE, async (hits) => {
				const { api, requests } = fakeSearch(hits);
				await api.searchMessages({ query: 'hit' });
				// One page per 20 hits, plus a re-read per page boundary and per crowded second at most.
				const seconds = new Set(hits.map((h) => h.timestampMilli)).size;
				expect(requests()).toBeLessThanOrEqual(2 * Math.ceil(hits.length / SEARCH_PAGE_SIZE) + seconds + 2);
			}),
			{ numRuns: 100 },
		);
	});

	it('property: up to 40 hits in one second still give exactly the full set (newest and oldest)', async () => {
		await fc.assert(
			fc.asyncProperty(UP_TO_TWO_PAGES, fc.boolean(), async (hits, oldest) => {
				const { api } = fakeSearch(hits);
				const found = await api.searchMessages({ query: 'hit', ...(oldest ? { sort: 'oldest' as const } : {}) });
				expect(new Set(ids(found)).size).toBe(found.length);
				expect(ids(found).sort()).toEqual(sortedIds(hits));
			}),
			{ numRuns: 200 },
		);
	});

	it('the documented limit: of a second with more than 40 hits, its newest 20 and oldest 20 are returned, and every other hit', async () => {
		// 55 hits in one second between two quieter ones.
		const crowded = T0 + 5_000;
		const hits: Hit[] = [
			...Array.from({ length: 7 }, (_, i) => ({ id: `a${i}`, timestampMilli: T0 + 9_000, tie: i })),
			...Array.from({ length: 55 }, (_, i) => ({ id: `b${String(i).padStart(2, '0')}`, timestampMilli: crowded, tie: i })),
			...Array.from({ length: 9 }, (_, i) => ({ id: `c${i}`, timestampMilli: T0 + 1_000, tie: i })),
		];
		const { api } = fakeSearch(hits);
		const found = await api.searchMessages({ query: 'hit' });
		const inCrowded = found.filter((m) => m.timestampMilli === crowded).map((m) => m.id);
		const byTie = hits.filter((h) => h.timestampMilli === crowded).sort((x, y) => y.tie - x.tie).map((h) => h.id);
		expect(inCrowded.sort()).toEqual([...byTie.slice(0, 20), ...byTie.slice(-20)].sort());
		expect(found.filter((m) => m.timestampMilli !== crowded).map((m) => m.id).sort()).toEqual(hits.filter((h) => h.timestampMilli !== crowded).map((h) => h.id).sort());
		expect(new Set(ids(found)).size).toBe(found.length);
	});
});

describe('search filters', () => {
	const USER = (n: number) => `aaaaaaaaaaaaaaaaaaaa${n.toString(16).padStart(4, '0')}`;

	it('from: more than 50 authors is refused before any request', async () => {
		const { api, requests } = fakeSearch([]);
		await expect(api.searchMessages({ from: Array.from({ length: 51 }, (_, i) => USER(i)) })).rejects.toMatchObject({
			name: 'PumbleInputError',
			parameter: 'from',
			message: expect.stringMatching(/51 authors.*at most 50/),
		});
		expect(requests()).toBe(0);
	});

	it('in: more than 50 channels is refused before any request; 50 are sent', async () => {
		const { api, requests } = fakeSearch([]);
		await expect(api.searchMessages({ in: Array.from({ length: 60 }, (_, i) => USER(i)) })).rejects.toMatchObject({ parameter: 'in' });
		expect(requests()).toBe(0);
		await api.searchMessages({ in: Array.from({ length: 50 }, (_, i) => USER(i)), limit: 5 });
		expect(requests()).toBe(1);
	});
});
