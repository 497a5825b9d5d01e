/**
 * Search, with "Return All" and limits beyond one request's 20 hits.
 *
 * Pumble pages search only by time (`beforeTs`/`afterTs`, exclusive, epoch ms) and its timestamps have
 * whole-second precision, so a page boundary can fall inside a second shared by many hits. The walk
 * therefore never cuts a second: after each full page it reads the page's boundary second on its own
 * (newest 20 and, when Pumble's total says there are more, oldest 20), and the next page starts beyond
 * that second. Up to 40 hits in one second are all found; of a second with more than 40, only its newest
 * 20 and oldest 20 can be reached by any client (the API has no other cursor).
 */
import type { PumbleClient } from '../http/client';
import { SEARCH_FILTER_MAX, SEARCH_PAGE_SIZE } from '../constants';
import { ENDPOINTS } from '../http/endpoints';
import { PumbleInputError } from '../errors';
import { requireIdList } from '../input/normalize';
import type { Message, SearchResult } from '../types';
import { definedOnly, hasValues } from './shape';

export type SearchSort = 'newest' | 'oldest' | 'relevance';

export interface SearchInput {
	query?: unknown;
	from?: unknown;
	in?: unknown;
	after?: number;
	before?: number;
	limit?: number;
	sort?: SearchSort;
}

interface Window {
	afterTs?: number;
	beforeTs?: number;
}

const secondOf = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * What a search looks for: its text, authors and channels, checked; a PumbleInputError when there is nothing to
 * look for. `nameOf` gives the host's name of a field (`query`, `from`, `in`) for the error; the neutral name by default.
 */
export function searchTerms(input: Pick<SearchInput, 'query' | 'from' | 'in'>, nameOf: (field: string) => string = (field) => field): { text?: string; from?: string[]; in?: string[] } {
	const text = typeof input.query === 'string' && input.query.trim() !== '' ? input.query.trim() : undefined;
	const from = filterList(input.from, nameOf('from'), 'user ID', 'authors');
	const inChannels = filterList(input.in, nameOf('in'), 'channel ID', 'channels');
	if (!text && !from && !inChannels) {
		throw new PumbleInputError(nameOf('query'), 'Nothing to search for', `Give a search text ("${nameOf('query')}"), or filter by author ("${nameOf('from')}") or channel ("${nameOf('in')}").`);
	}
	if (text && text.length > 500) {
		throw new PumbleInputError(nameOf('query'), `The search text is ${text.length} characters long; Pumble allows 500`, `Shorten the search text ("${nameOf('query')}").`);
	}
	return { text, from, in: inChannels };
}

export async function searchMessages(client: PumbleClient, input: SearchInput): Promise<Message[]> {
	const { text, from, in: inChannels } = searchTerms(input);
	const sort = input.sort ?? 'newest';
	const base = { ...(text ? { text } : {}), ...(from ? { from } : {}), ...(inChannels ? { in: inChannels } : {}) };
	const search = (window: Window, strategy: string, limit = SEARCH_PAGE_SIZE) =>
		client.call<SearchResult>(ENDPOINTS.searchMessages, { body: { ...base, ...definedOnly({ ...window }), limit, strategy } });

	if (input.limit !== undefined && input.limit <= SEARCH_PAGE_SIZE) {
		const strategy = sort === 'relevance' ? 'MOST_RELEVANT' : sort === 'oldest' ? 'OLDEST' : 'NEWEST';
		const page = await search({ afterTs: input.after, beforeTs: input.before }, strategy, input.limit);
		return page.content ?? [];
	}

	// Relevance cannot be paged: beyond 20, results come newest first.
	const oldestFirst = sort === 'oldest';
	const byId = new Map<string, Message>();
	const add = (hits: Message[] | undefined) => {
		for (const hit of hits ?? []) if (!byId.has(hit.id)) byId.set(hit.id, hit);
	};
	/** All hits of one second, from both ends (clipped to the user's after/before). */
	const readSecond = async (second: number) => {
		const window = {
			afterTs: Math.max(second - 1, input.after ?? -Infinity),
			beforeTs: Math.min(second + 1000, input.before ?? Infinity),
		};
		const newest = await search(window, 'NEWEST');
		add(newest.content);
		const got = newest.content?.length ?? 0;
		const more = newest.totalElements !== undefined && newest.totalElements !== null ? newest.totalElements > got : got >= SEARCH_PAGE_SIZE;
		if (more) add((await search(window, 'OLDEST')).content);
	};

	const window: Window = { afterTs: input.after, beforeTs: input.before };
	for (let pageNumber = 0; pageNumber < 10_000; pageNumber++) {
		const page = await search(window, oldestFirst ? 'OLDEST' : 'NEWEST');
		const hits = page.content ?? [];
		const before = byId.size;
		add(hits);
		const more = page.hasMore ?? hits.length >= SEARCH_PAGE_SIZE;
		if (hits.length === 0 || byId.size === before || !more) break;
		const times = hits.map((hit) => hit.timestampMilli);
		const boundary = secondOf(oldestFirst ? Math.max(...times) : Math.min(...times));
		// A full page may have cut its boundary second: read that second on its own. (A page shorter than
		// asked that still says "more" was cut by the server, not by our limit; recorded traffic shows it.)
		if (hits.length >= SEARCH_PAGE_SIZE) await readSecond(boundary);
		// Every hit on this side of the boundary second, and that second, is now known.
		if (input.limit !== undefined && byId.size >= input.limit) break;
		if (oldestFirst) window.afterTs = boundary + 999;
		else window.beforeTs = boundary - 1;
	}
	const sorted = [...byId.values()].sort((a, b) => b.timestampMilli - a.timestampMilli);
	if (oldestFirst) sorted.reverse();
	return input.limit !== undefined ? sorted.slice(0, input.limit) : sorted;
}

/** `from`/`in`: valid IDs, at most SEARCH_FILTER_MAX of them (checked before the request). */
function filterList(value: unknown, parameter: string, what: string, plural: string): string[] | undefined {
	if (!hasValues(value)) return undefined;
	const ids = requireIdList(value, parameter, what);
	if (ids.length > SEARCH_FILTER_MAX) {
		throw new PumbleInputError(
			parameter,
			`${ids.length} ${plural} to search in; Pumble accepts at most ${SEARCH_FILTER_MAX}`,
			`Give at most ${SEARCH_FILTER_MAX} ${plural}, or run the search once per group of ${SEARCH_FILTER_MAX}.`,
		);
	}
	return ids;
}
