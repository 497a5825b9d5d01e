/** The `pumble-trigger` node's fields → the core poller's PollConfig (the same options as n8n's trigger). */
import { isTriggerEvent, PollConfig } from '../../../core/poller';

export type TriggerNodeConfig = {
	name?: string;
	pumble: string;
	event: string;
	/** Comma-separated channel IDs or names; empty or `all` for every channel and DM of the key's user. */
	channels?: string;
	includeOwn?: boolean;
	includeBots?: boolean;
	includeReplies?: boolean | string;
	textFilter?: string;
	/** reactionAdded: comma-separated emoji; empty for every reaction. */
	reactions?: string;
	/** reactionAdded / messageEdited: the newest messages per channel re-read each poll (default 100). */
	watchWindow?: number | string;
	/** Seconds between polls (default 60). */
	interval?: number | string;
	/** Context store for the state; empty = the default store. */
	store?: string;
};

export function pollConfigOf(config: TriggerNodeConfig): PollConfig {
	const event = isTriggerEvent(config.event) ? config.event : 'newMessage';
	const list = (config.channels ?? '').split(',').map((c) => c.trim()).filter(Boolean);
	const reactions = (config.reactions ?? '').split(',').map((r) => r.trim()).filter(Boolean);
	return {
		event,
		channels: list.length === 0 || (list.length === 1 && list[0].toLowerCase() === 'all') ? 'all' : list,
		includeOwn: config.includeOwn === true,
		includeBots: config.includeBots === true,
		...(config.textFilter ? { textFilter: config.textFilter } : {}),
		...(config.includeReplies === true || config.includeReplies === 'true' ? { includeReplies: true } : {}),
		...(event === 'reactionAdded' && reactions.length > 0 ? { reactions } : {}),
		...(config.watchWindow !== undefined && String(config.watchWindow).trim() !== '' ? { watchWindow: Number(config.watchWindow) } : {}),
	};
}

