/**
 * Cursor paging of messages and thread replies: `cursor` (a message ID), `limit` and `strategy`
 * BEFORE / AFTER / AROUND, pages newest first.
 */
import { notFound } from '../validation';
import type { Input } from '../validation';
import { MESSAGE_PAGE } from './fieldRules';
import type { MessageRecord } from './records';

const PAGE_STRATEGIES = ['BEFORE', 'AFTER', 'AROUND'] as const;

export type PageStrategy = (typeof PAGE_STRATEGIES)[number];

export interface PageParams {
	cursor?: string;
	limit: number;
	strategy: PageStrategy;
}

export interface Page<T> {
	/** Newest first. */
	page: T[];
	hasMoreBefore: boolean;
	hasMoreAfter: boolean;
}

export function pageParams(input: Input): PageParams {
	return {
		cursor: input.optionalString('cursor'),
		limit: input.optionalInt('limit', MESSAGE_PAGE) ?? 100,
		strategy: input.optionalEnum('strategy', PAGE_STRATEGIES) ?? 'BEFORE',
	};
}

/** One page of `items` (sorted oldest first) as the params ask; an unknown cursor is "not found". */
export function takePage(items: MessageRecord[], params: PageParams, inclusive: boolean): Page<MessageRecord> {
	const { start, end, skip } = pageBounds(items.length, cursorIndex(items, params.cursor), params, inclusive);
	const page: MessageRecord[] = [];
	for (let i = end - 1; i >= start; i--) if (i !== skip) page.push(items[i]);
	return { page, hasMoreBefore: start > 0, hasMoreAfter: end < items.length };
}

function cursorIndex(items: MessageRecord[], cursor: string | undefined): number | undefined {
	if (cursor === undefined) return undefined;
	const index = items.findIndex((m) => m.id === cursor);
	if (index < 0) throw notFound();
	return index;
}

/**
 * The page around an optional cursor index, as [start, end).
 * Inclusive cursors return the cursor item plus up to `limit` items in the paging direction,
 * which is why the real API hands back N+1 items after a cursor.
 */
function pageBounds(
	length: number,
	cursor: number | undefined,
	{ limit, strategy }: PageParams,
	inclusive: boolean,
): { start: number; end: number; skip?: number } {
	if (cursor === undefined) return { start: Math.max(0, length - limit), end: length };
	switch (strategy) {
		case 'BEFORE':
			return { start: Math.max(0, cursor - limit), end: inclusive ? cursor + 1 : cursor };
		case 'AFTER':
			return { start: inclusive ? cursor : cursor + 1, end: Math.min(length, cursor + 1 + limit) };
		case 'AROUND': {
			const older = Math.floor(limit / 2);
			return {
				start: Math.max(0, cursor - older),
				end: Math.min(length, cursor + 1 + (limit - older)),
				skip: inclusive ? undefined : cursor,
			};
		}
	}
}
