/**
 * Pumble Trigger: a polling trigger (the API-key add-on has no webhooks or events). The poll logic is
 * host-agnostic in core/poller.ts; this file reads the parameters, keeps the poller's state in the
 * workflow's static data, and turns the outcome into what n8n expects (items, null, or an error).
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { createHash } from 'node:crypto';

import {
	DEFAULT_THREAD_WINDOW,
	dueReports,
	exclusive,
	isState,
	isTriggerEvent,
	MAX_THREAD_WINDOW,
	poll,
	pollSourceFor,
	REPORT_EVERY_MS,
	sample,
	TRIGGER_EVENTS,
	triggerMemory,
	type ChannelProblem,
	type PollConfig,
	type PollResult,
	type TriggerEvent,
} from './core/poller';
import type { Message } from './core/types';
import { toNodeError } from './helpers/errors';
import { getChannels } from './methods/loadOptions';
import { getPumbleApi } from './transport';

const EXPRESSION_LINK = '<a href="https://docs.n8n.io/code/expressions/">expression</a>';
/** Share of the host's poll budget spent reading; the rest is for judging authors and emitting. */
const BUDGET_SHARE = 0.8;

export class PumbleTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pumble Trigger',
		name: 'pumbleTrigger',
		icon: { light: 'file:pumble.svg', dark: 'file:pumble.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: `={{ ${JSON.stringify(Object.fromEntries(TRIGGER_EVENTS.map(({ value, name }) => [value, name])))}[$parameter["event"]] }}`,
		description: 'Starts the workflow when new messages, thread replies or mentions arrive in Pumble',
		defaults: { name: 'Pumble Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pumbleApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: TRIGGER_EVENTS.map(({ name, value, description }) => ({ name, value, description })),
				default: 'newMessage',
			},
			{
				displayName: 'Watch',
				name: 'watch',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Selected Channels', value: 'selected', description: 'The channels and direct messages chosen below' },
					{
						name: 'All My Channels and DMs',
						value: 'all',
						description: "Every channel, direct message and group DM the API key's user is a member of, including ones joined later",
					},
				],
				default: 'selected',
			},
			{
				displayName: 'Channel Names or IDs',
				name: 'channels',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getChannels' },
				required: true,
				default: [],
				description: `Channels and direct messages to watch. Choose from the list, or specify IDs (or channel names) using an ${EXPRESSION_LINK}.`,
				displayOptions: { show: { watch: ['selected'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Bot Messages',
						name: 'includeBotMessages',
						type: 'boolean',
						default: false,
						description:
							'Whether to also trigger on messages from bots: the Pumble bot, apps and API bots. Note: a workflow that posts "as bot" into a watched channel then triggers itself.',
					},
					{
						displayName: 'Include My Own Messages',
						name: 'includeOwnMessages',
						type: 'boolean',
						default: false,
						description:
							"Whether to also trigger on messages written by the API key's own user. Off by default, so a workflow that posts into a watched channel does not trigger itself.",
					},
					{
						displayName: 'Include Thread Replies',
						name: 'includeReplies',
						type: 'boolean',
						default: false,
						description: 'Whether to also trigger on new replies inside threads, not only on messages in the channel itself',
						displayOptions: { show: { '/event': ['newMessage'] } },
					},
					{
						displayName: 'Include Thread Replies',
						name: 'includeReplies',
						type: 'boolean',
						default: true,
						description: 'Whether to also look for mentions in thread replies, not only in messages in the channel itself',
						displayOptions: { show: { '/event': ['mention'] } },
					},
					{
						displayName: 'Text Contains',
						name: 'textFilter',
						type: 'string',
						default: '',
						placeholder: 'e.g. invoice',
						description:
							'Only messages whose text contains this (case-insensitive). Write /pattern/flags for a regular expression, e.g. /^deploy\\b/i.',
					},
					{
						displayName: 'Threads to Watch',
						name: 'threadWindow',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: MAX_THREAD_WINDOW },
						default: DEFAULT_THREAD_WINDOW,
						description:
							"Replies are looked for in the threads of each channel's newest this many messages. Every 100 more cost one more request per channel and poll.",
					},
				],
			},
		],
	};

	methods: INodeType['methods'] = {
		loadOptions: { getChannels },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const node = this.getNode();
		const config = readConfig(this);
		const source = pollSourceFor(await getPumbleApi(this));

		if (this.getMode() === 'manual') {
			// "Fetch Test Event" / a manual run: the newest matching message as a sample; no state is touched.
			let found: Awaited<ReturnType<typeof sample>>;
			try {
				found = await sample(source, config);
			} catch (error) {
				throw toTriggerError(this, error);
			}
			if (found.problems.length > 0) throw channelsError(this, found.problems, channelCount(config, found.problems), false);
			if (!found.message) {
				throw new NodeOperationError(node, 'No message in the watched channels matches yet', {
					description:
						'A test run shows the newest message the trigger would start the workflow with. Post one that matches (another user, not a bot unless bots are included, with a mention for "New Mention"), then fetch again.',
				});
			}
			return [this.helpers.returnJsonArray([found.message as unknown as IDataObject])];
		}

		// Under both of n8n's polling regimes — static data kept in memory and saved when a poll emits, or
		// (durable scheduler) committed only with an emit or an empty poll and discarded when a poll
		// throws — the state is written only when the poll returns, and a poll that throws has changed
		// nothing: what it read is read again by the next poll.
		const staticData = this.getWorkflowStaticData('node');
		const key = `${this.getWorkflow().id ?? ''}:${node.id ?? node.name}`;
		// What this process remembers belongs to this configuration and key only.
		const memoryKey = `${key}:${fingerprint({ config, identity: source.identity })}`;
		const ran = await exclusive(key, async () => {
			const saved = staticData.state;
			// The activation's baseline, when the host did not keep it (the durable scheduler commits nothing for the activation poll).
			const previous = isState(saved) ? saved : triggerMemory.baseline(memoryKey);
			let result: PollResult;
			try {
				result = await poll(source, config, previous, { deadline: pollDeadline(this), signal: cancelSignal(this) });
			} catch (error) {
				// Nothing could be read (bad key, the channel list failed, cancelled): the state stays as it was.
				throw toTriggerError(this, error);
			}
			for (const note of result.notes) this.logger.warn(`Pumble Trigger: ${note}`);
			for (const channel of result.recovered) this.logger.info(`Pumble Trigger: channel ${channel} can be read again`);

			if (result.firstRun) {
				// Activation: fail it now if a channel cannot be read, so the user sees why at once.
				if (result.problems.length > 0) throw channelsError(this, result.problems, channelCount(config, result.problems), false);
				triggerMemory.rememberBaseline(memoryKey, result.state);
				staticData.state = result.state as unknown as IDataObject;
				return null;
			}
			const due = dueReports(withRememberedReports(memoryKey, result));
			if (due.length > 0) {
				// A channel started failing (or failed for another hour): say so now, by throwing, and advance
				// nothing — the other channels' new messages come with the next poll. When it was reported is
				// kept in this process, so the next poll does not report it again even where the host discards
				// a throwing poll's static data.
				const now = Date.now();
				for (const problem of due) triggerMemory.rememberReported(memoryKey, problem.channel, now);
				throw channelsError(this, result.problems, channelCount(config, result.problems), true, result.messages.length > 0);
			}
			staticData.state = result.state as unknown as IDataObject;
			if (result.messages.length === 0) return null;
			return emitOrReturn(this, result.messages);
		});
		if (ran === undefined) {
			this.logger.warn('Pumble Trigger: the previous poll of this workflow is still running; skipping this one');
			return null;
		}
		return ran;
	}
}

/** Where the host gives a poll budget (n8n's getPollBudgetMs), the time after which no request starts. */
function pollDeadline(context: IPollFunctions): number | undefined {
	const host = context as unknown as { getPollBudgetMs?: unknown };
	if (typeof host.getPollBudgetMs !== 'function') return undefined;
	const budget = Number((host.getPollBudgetMs as () => unknown).call(context));
	if (!Number.isFinite(budget) || budget <= 0) return undefined;
	return Date.now() + Math.floor(budget * BUDGET_SHARE);
}

/** The execution's cancel signal, where the host gives poll functions one. */
function cancelSignal(context: IPollFunctions): AbortSignal | undefined {
	const host = context as unknown as { getExecutionCancelSignal?: unknown };
	if (typeof host.getExecutionCancelSignal !== 'function') return undefined;
	return (host.getExecutionCancelSignal as () => AbortSignal | undefined).call(context);
}

/** Reports made by earlier polls in this process count even when the state that recorded them was discarded. */
function withRememberedReports(key: string, result: PollResult): PollResult {
	for (const problem of result.problems) {
		const at = triggerMemory.reportedAt(key, problem.channel);
		if (at === undefined || (problem.failure.reportedAt ?? 0) >= at) continue;
		problem.failure.reportedAt = at;
		const failure = result.state.channels[problem.channel]?.failure;
		if (failure) failure.reportedAt = at;
	}
	triggerMemory.forgetReported(key, new Set(result.problems.map((problem) => problem.channel)));
	return result;
}

/**
 * The new messages as one execution. Where the host's emit takes a deduplication key (newer n8n), the
 * trigger emits itself with the message ID as the key (one message; several: a hash of their IDs), so
 * the host refuses a second execution for the same messages, and returns null.
 */
function emitOrReturn(context: IPollFunctions, messages: Message[]): INodeExecutionData[][] | null {
	const data = [context.helpers.returnJsonArray(messages as unknown as IDataObject[])];
	const emit = context.__emit as unknown as ((...args: unknown[]) => void) | undefined;
	if (typeof emit !== 'function' || emit.length < 4) return data;
	emit.call(context, data, undefined, undefined, deduplicationKey(context, messages));
	return null;
}

function fingerprint(value: unknown): string {
	return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

function deduplicationKey(context: IPollFunctions, messages: Message[]): string {
	const node = context.getNode();
	const ids = messages.map((m) => m.id);
	const of = ids.length === 1 ? ids[0] : createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32);
	return `pumbleTrigger:${node.id ?? node.name}:${of}`;
}

function readConfig(context: IPollFunctions): PollConfig {
	const event = context.getNodeParameter('event', 'newMessage') as TriggerEvent;
	if (!isTriggerEvent(event)) {
		throw new NodeOperationError(context.getNode(), `"${String(event)}" is not a Pumble Trigger event`, {
			description: 'Choose New Message, New Thread Reply or New Mention.',
		});
	}
	const watch = context.getNodeParameter('watch', 'selected') as string;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	let channels: string[] | 'all' = 'all';
	if (watch !== 'all') {
		channels = toList(context.getNodeParameter('channels', []));
		if (channels.length === 0) {
			throw new NodeOperationError(context.getNode(), 'No channel to watch', {
				description: 'Choose at least one channel or direct message under "Channels", or set "Watch" to "All My Channels and DMs".',
			});
		}
	}
	const textFilter = typeof options.textFilter === 'string' ? options.textFilter : undefined;
	return {
		event,
		channels,
		includeOwn: options.includeOwnMessages === true,
		includeBots: options.includeBotMessages === true,
		...(textFilter ? { textFilter } : {}),
		...(typeof options.includeReplies === 'boolean' ? { includeReplies: options.includeReplies } : {}),
		...(options.threadWindow !== undefined ? { threadWindow: Number(options.threadWindow) } : {}),
	};
}

/** Channels from the list, an expression's array, or a comma-separated string. */
function toList(value: unknown): string[] {
	const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return raw.map((entry) => String(entry).trim()).filter(Boolean);
}

function channelCount(config: PollConfig, problems: ChannelProblem[]): number | undefined {
	return config.channels === 'all' ? undefined : Math.max(new Set(config.channels).size, problems.length);
}

function toTriggerError(context: IPollFunctions, error: unknown) {
	const converted = toNodeError(context.getNode(), error, 0);
	// A poll has no items: drop the "[item 0]" the action nodes' converter appends.
	converted.message = converted.message.replace(/ \[item 0\]$/, '');
	return converted;
}

/** One error naming every channel that cannot be read, what Pumble said, and what happens next. */
function channelsError(
	context: IPollFunctions,
	problems: ChannelProblem[],
	total: number | undefined,
	running: boolean,
	withheld = false,
): NodeOperationError {
	const of = total !== undefined ? ` of ${total}` : '';
	const list = problems.map((p) => `${p.channel}: ${p.failure.message}`).join('; ');
	const message = `Pumble Trigger cannot read ${problems.length}${of} channel${(total ?? problems.length) === 1 ? '' : 's'} — ${list}`;
	const hints = problems
		.map((p) => (p.error && typeof p.error === 'object' && 'hint' in p.error ? String((p.error as { hint: unknown }).hint) : ''))
		.filter((hint, index, all) => hint && all.indexOf(hint) === index);
	const what = running
		? `The other channels are still watched${withheld ? ' (their new messages come with the next poll)' : ''}. A failing channel keeps its place: once it can be read again, the messages it missed follow. This is reported when a channel starts failing and then once every ${REPORT_EVERY_MS / 60_000} minutes while it keeps failing.`
		: 'Check that each channel still exists and that the API key\'s user can read it (private channels and DMs need membership), or remove it from "Channels".';
	return new NodeOperationError(context.getNode(), message, { description: [...hints, what].join(' ') });
}
