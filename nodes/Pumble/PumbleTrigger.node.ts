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

import {
	DEFAULT_THREAD_WINDOW,
	dueReports,
	exclusive,
	markReported,
	MAX_THREAD_WINDOW,
	poll,
	pollSourceFor,
	REPORT_EVERY_MS,
	sample,
	withholding,
	type ChannelProblem,
	type PollConfig,
	type TriggerEvent,
	type TriggerState,
} from './core/poller';
import { toNodeError } from './helpers/errors';
import { getTriggerChannels } from './methods/triggerChannels';
import { getPumbleApi } from './transport';

const EXPRESSION_LINK = '<a href="https://docs.n8n.io/code/expressions/">expression</a>';
const EVENTS: TriggerEvent[] = ['newMessage', 'newReply', 'mention'];

export class PumbleTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pumble Trigger',
		name: 'pumbleTrigger',
		icon: { light: 'file:pumble.svg', dark: 'file:pumble.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ {"newMessage": "New Message", "newReply": "New Thread Reply", "mention": "New Mention"}[$parameter["event"]] }}',
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
				options: [
					{
						name: 'New Message',
						value: 'newMessage',
						description: 'A new message in a watched channel or direct message',
					},
					{
						name: 'New Thread Reply',
						value: 'newReply',
						description: 'A new reply in a thread of a watched channel',
					},
					{
						name: 'New Mention',
						value: 'mention',
						description: "A new message that mentions the API key's user, or a user group they belong to",
					},
				],
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
				typeOptions: { loadOptionsMethod: 'getTriggerChannels' },
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
		loadOptions: { getTriggerChannels },
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

		const staticData = this.getWorkflowStaticData('node');
		const key = `${this.getWorkflow().id ?? ''}:${node.id ?? node.name}`;
		const ran = await exclusive(key, async () => {
			const previous = staticData.state as unknown as TriggerState | undefined;
			let result: Awaited<ReturnType<typeof poll>>;
			try {
				result = await poll(source, config, previous);
			} catch (error) {
				// Nothing could be read (bad key, the channel list failed): the state stays as it was.
				throw toTriggerError(this, error);
			}
			for (const note of result.notes) this.logger.warn(`Pumble Trigger: ${note}`);
			for (const channel of result.recovered) this.logger.info(`Pumble Trigger: channel ${channel} can be read again`);

			if (result.firstRun) {
				// Activation: fail it now if a channel cannot be read, so the user sees why at once.
				if (result.problems.length > 0) throw channelsError(this, result.problems, channelCount(config, result.problems), false);
				staticData.state = result.state as unknown as IDataObject;
				return null;
			}
			const due = dueReports(result);
			if (due.length > 0) {
				// A channel started failing (or failed for another hour): say so now, even when other channels
				// have news — their messages are withheld, not lost: they come with the next poll.
				const state = withholding(previous, result);
				markReported(state, due);
				staticData.state = state as unknown as IDataObject;
				throw channelsError(this, result.problems, channelCount(config, result.problems), true, result.messages.length > 0);
			}
			staticData.state = result.state as unknown as IDataObject;
			return result.messages.length > 0 ? [this.helpers.returnJsonArray(result.messages as unknown as IDataObject[])] : null;
		});
		if (ran === undefined) {
			this.logger.warn('Pumble Trigger: the previous poll of this workflow is still running; skipping this one');
			return null;
		}
		return ran;
	}
}

function readConfig(context: IPollFunctions): PollConfig {
	const event = context.getNodeParameter('event', 'newMessage') as TriggerEvent;
	if (!EVENTS.includes(event)) {
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
