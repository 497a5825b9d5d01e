/**
 * Paging over Pumble's message-ID cursors. The cursor is inclusive (the item it names can come back at
 * the start of the next page), so items are deduplicated by ID, and paging stops when a page adds nothing
 * new, is short, or the API says there is no more — never an endless loop.
 */
export interface Page<T> {
	items: T[];
	/** The API's own "more" flag when it has one (hasMoreBefore, hasMore); undefined when it has none. */
	hasMore?: boolean | null;
}

export type Verdict = 'keep' | 'skip' | 'stop';

export interface CursorPagingOptions<T> {
	fetchPage(cursor: string | undefined, pageSize: number): Promise<Page<T>>;
	/** Most items wanted; undefined = all. */
	limit?: number;
	/** Largest page to ask for (100: the size seen working in recorded traffic). */
	pageSize: number;
	/** Filters items in page order; `stop` ends paging (e.g. a message older than "after"). */
	judge?(item: T): Verdict;
	/** Safety net against a misbehaving server. */
	maxPages?: number;
}

export async function collectByCursor<T extends { id: string }>(options: CursorPagingOptions<T>): Promise<T[]> {
	const { fetchPage, limit, pageSize, judge, maxPages = 10_000 } = options;
	const seen = new Set<string>();
	const collected: T[] = [];
	let cursor: string | undefined;
	for (let pageNumber = 0; pageNumber < maxPages; pageNumber++) {
		const remaining = limit === undefined ? Infinity : limit - collected.length;
		if (remaining <= 0) break;
		// One extra slot for the repeated cursor item, so a limit is met in as few pages as possible.
		const size = Math.max(1, Math.min(pageSize, remaining + (cursor ? 1 : 0)));
		const page = await fetchPage(cursor, size);
		let added = 0;
		for (const item of page.items) {
			if (seen.has(item.id)) continue;
			seen.add(item.id);
			added++;
			const verdict = judge ? judge(item) : 'keep';
			if (verdict === 'stop') return collected;
			if (verdict === 'keep') {
				collected.push(item);
				if (collected.length >= (limit ?? Infinity)) return collected;
			}
		}
		const last = page.items[page.items.length - 1];
		if (added === 0 || page.hasMore === false || page.items.length < size || !last || last.id === cursor) break;
		cursor = last.id;
	}
	return collected;
}
