import fc from 'fast-check';
import { collectByCursor, Page } from '../../core/api/pagination';

interface Item {
	id: string;
}

/**
 * A server that pages `total` items newest first on an ID cursor, the way Pumble's listMessages does:
 * the cursor item comes back at the start of the next page when `inclusive`, and the page size it
 * actually serves may differ from the one asked for.
 */
function server(total: number, options: { inclusive: boolean; serveSize?: (asked: number) => number; hasMoreFlag: boolean }) {
	const items: Item[] = Array.from({ length: total }, (_, i) => ({ id: `m${String(total - i).padStart(5, '0')}` }));
	let requests = 0;
	const fetchPage = async (cursor: string | undefined, pageSize: number): Promise<Page<Item>> => {
		requests++;
		const size = options.serveSize ? options.serveSize(pageSize) : pageSize;
		let start = 0;
		if (cursor) start = items.findIndex((item) => item.id === cursor) + (options.inclusive ? 0 : 1);
		const page = items.slice(start, start + size + (cursor && options.inclusive ? 1 : 0));
		return { items: page, hasMore: options.hasMoreFlag ? start + page.length < items.length : undefined };
	};
	return { items, fetchPage, requests: () => requests };
}

describe('cursor paging', () => {
	it('returns 1,000 items exactly once, in order, in the fewest pages of 100', async () => {
		const source = server(1000, { inclusive: true, hasMoreFlag: true });
		const all = await collectByCursor({ fetchPage: source.fetchPage, pageSize: 100 });
		expect(all.map((item) => item.id)).toEqual(source.items.map((item) => item.id));
		expect(source.requests()).toBe(10);
	});

	it('stops at the limit, asking only for what is still needed', async () => {
		const source = server(1000, { inclusive: true, hasMoreFlag: true });
		const some = await collectByCursor({ fetchPage: source.fetchPage, pageSize: 100, limit: 150 });
		expect(some).toHaveLength(150);
		expect(source.requests()).toBe(2);
	});

	it('ends without a has-more flag on a short page (thread replies)', async () => {
		const source = server(250, { inclusive: true, hasMoreFlag: false });
		const all = await collectByCursor({ fetchPage: source.fetchPage, pageSize: 100 });
		expect(all).toHaveLength(250);
	});

	it('never loops when the server keeps answering the same page', async () => {
		let calls = 0;
		const all = await collectByCursor<Item>({
			fetchPage: async () => (calls++, { items: [{ id: 'a' }, { id: 'b' }], hasMore: true }),
			pageSize: 2,
		});
		expect(all.map((item) => item.id)).toEqual(['a', 'b']);
		expect(calls).toBe(2);
	});

	it('stops paging at the first item judged "stop" (a message older than "after")', async () => {
		const source = server(500, { inclusive: true, hasMoreFlag: true });
		const newest120 = await collectByCursor({
			fetchPage: source.fetchPage,
			pageSize: 100,
			judge: (item) => (Number(item.id.slice(1)) <= 380 ? 'stop' : 'keep'),
		});
		expect(newest120).toHaveLength(120);
		expect(source.requests()).toBe(2);
	});

	it('property: any page size, inclusive or not, served sizes that vary → exactly the full set, in order', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 400 }),
				fc.integer({ min: 1, max: 120 }),
				fc.boolean(),
				fc.boolean(),
				fc.array(fc.integer({ min: 1, max: 150 }), { minLength: 1, maxLength: 20 }),
				async (total, pageSize, inclusive, hasMoreFlag, servedSizes) => {
					let turn = 0;
					// The server serves at least what was asked (a short page means "the end" to the pager).
					const source = server(total, { inclusive, hasMoreFlag, serveSize: (asked) => Math.max(asked, servedSizes[turn++ % servedSizes.length]) });
					const all = await collectByCursor({ fetchPage: source.fetchPage, pageSize });
					expect(all.map((item) => item.id)).toEqual(source.items.map((item) => item.id));
				},
			),
			{ numRuns: 200 },
		);
	});

	it('property: a limit returns exactly the first N items', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 350 }), fc.integer({ min: 1, max: 100 }), async (total, limit, pageSize) => {
				const source = server(total, { inclusive: true, hasMoreFlag: true });
				const some = await collectByCursor({ fetchPage: source.fetchPage, pageSize, limit });
				expect(some.map((item) => item.id)).toEqual(source.items.slice(0, limit).map((item) => item.id));
			}),
			{ numRuns: 200 },
		);
	});
});
