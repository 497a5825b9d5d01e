/** searchMessages: text, sender and channel filters over what the caller can see, in four orders. */
import { createHash } from 'node:crypto';

import { validationError } from '../validation';
import type { Input } from '../validation';
import { canSee } from './access';
import type { SearchResult } from './apiObjects';
import { chronological } from './records';
import type { User } from './records';
import { renderMessage } from './render';
import type { WorkspaceState } from './state';

const SEARCH_PAGE = { min: 1, max: 20 } as const;
const SEARCH_STRATEGIES = ['MOST_RELEVANT', 'MOST_RECENT', 'NEWEST', 'OLDEST'] as const;

/** A stable order that is deliberately not chronological, standing in for search relevance. */
function relevanceKey(id: string): string {
	return createHash('sha1').update(id).digest('hex');
}

export function searchMessages(ws: WorkspaceState, actor: User, input: Input): SearchResult {
	const text = input.optionalString('text');
	const from = input.optionalStringArray('from');
	const within = input.optionalStringArray('in');
	const limit = input.optionalInt('limit', SEARCH_PAGE) ?? 10;
	const strategy = input.optionalEnum('strategy', SEARCH_STRATEGIES) ?? 'MOST_RELEVANT';
	const afterTs = input.optionalInt('afterTs');
	const beforeTs = input.optionalInt('beforeTs');
	if (text !== undefined && text.length > 1000) throw validationError('text size must be between 0 and 1000');
	if (!text?.trim() && !from?.length && !within?.length) {
		throw validationError('at least one of text, from or in must be given');
	}

	// A search index only covers what the caller can see; naming another channel finds nothing.
	const visible = new Set(ws.channels.filter((c) => canSee(actor, c)).map((c) => c.id));
	const inChannels =
		within && within.length > 0
			? new Set(within.map((ref) => ws.channels.find((c) => c.id === ref || (c.name !== '' && c.name === ref))?.id))
			: undefined;
	const needle = text?.trim().toLowerCase();
	const hits = ws.messages.filter(
		(m) =>
			visible.has(m.channelId) &&
			(!inChannels || inChannels.has(m.channelId)) &&
			(!from?.length || from.includes(m.author)) &&
			(!needle || m.text.toLowerCase().includes(needle)) &&
			(afterTs === undefined || m.timestampMilli > afterTs) &&
			(beforeTs === undefined || m.timestampMilli < beforeTs),
	);

	if (strategy === 'OLDEST') hits.sort(chronological);
	else if (strategy === 'MOST_RELEVANT') {
		hits.sort((a, b) => (relevanceKey(a.id) < relevanceKey(b.id) ? -1 : 1));
	} else hits.sort((a, b) => chronological(b, a));

	return {
		content: hits.slice(0, limit).map((m) => ({ ...renderMessage(ws, m, actor.id), highlightedBlocks: [] })),
		totalElements: hits.length,
		hasMore: hits.length > limit,
	};
}
