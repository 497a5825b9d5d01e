/**
 * Pumble Trigger: a polling trigger (the API-key add-on has no webhooks or events). The poll logic is
 * host-agnostic in core/poller/; this file reads the parameters, keeps the poller's state in the
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
	DEFAULT_WATCH_WINDOW,
	dueReports,
	exclusive,
	isState,
	MAX_THREAD_WINDOW,
	MAX_WATCH_WINDOW,
	poll,
	pollSourceFor,
	sample,
	TRIGGER_EVENTS,
	triggerMemory,
	type PollResult,
} from '../../core/poller';
import { getChannels } from './methods/loadOptions';
import { cancelSignalOf, getPumbleApi } from './transport';
import { readConfig } from './trigger/config';
import { channelCount, channelsError, toTriggerError, withRememberedReports } from './trigger/errors';
import { emitOrReturn, fingerprint, pollDeadline } from './trigger/host';

export class PumbleTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pumble Trigger',
		name: 'pumbleTrigger',
		icon: { light: 'file:pumble.svg', dark: 'file:pumble.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: `={{ ${JSON.stringify(Object.fromEntries(TRIGGER_EVENTS.map(({ value, name }) => [value, name])))}[$parameter["event"]] }}`,
		description: 'Starts the workflow when new messages, thread replies, mentions, reactions or edits arrive in Pumble',
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
				description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'The channels and direct messages to watch. An expression may give channel names too.',
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
							"Whether to also trigger on messages written (for Reaction Added: reactions added) by the API key's own user. Off by default, so a workflow that posts or reacts in a watched channel does not trigger itself.",
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
						displayName: 'Messages to Watch',
						name: 'watchWindow',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: MAX_WATCH_WINDOW },
						default: DEFAULT_WATCH_WINDOW,
						description:
							"Reactions and edits are seen on each channel's newest this many messages, re-read at every poll. Every 100 more cost one more request per channel and poll.",
						displayOptions: { show: { '/event': ['reactionAdded', 'messageEdited'] } },
					},
					{
						displayName: 'Only These Reactions',
						name: 'reactions',
						type: 'string',
						default: '',
						placeholder: 'e.g. :white_check_mark:, 👍',
						description: 'Comma-separated emoji (a code such as :+1:, a name, or the emoji itself). Empty: every reaction.',
						displayOptions: { show: { '/event': ['reactionAdded'] } },
					},
					{
						displayName: 'Text Contains',
						name: 'textFilter',
						type: 'string',
						default: '',
						placeholder: 'e.g. invoice',
						description:
							'Only messages whose text contains this (case-insensitive; for reactions and edits, the text of the message). Write /pattern/flags for a regular expression, e.g. /^deploy\\b/i.',
					},
					{
						displayName: 'Threads to Watch',
						name: 'threadWindow',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: MAX_THREAD_WINDOW },
						default: DEFAULT_THREAD_WINDOW,
						description:
							"Replies are looked for in the threads of each channel's newest this many messages. Every 100 more cost one more request per channel and poll.",
						displayOptions: { show: { '/event': ['newMessage', 'newReply', 'mention'] } },
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
			if (!found.event) {
				throw new NodeOperationError(node, 'No message in the watched channels matches yet', {
					description:
						'A test run shows the newest message the trigger would start the workflow with. Post one that matches (another user, not a bot unless bots are included, with a mention for "New Mention", with a reaction for "Reaction Added", edited for "Message Edited"), then fetch again.',
				});
			}
			return [this.helpers.returnJsonArray([found.event.json as unknown as IDataObject])];
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
				result = await poll(source, config, previous, { deadline: pollDeadline(this), signal: cancelSignalOf(this) });
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
				throw channelsError(this, result.problems, channelCount(config, result.problems), true, result.events.length > 0);
			}
			staticData.state = result.state as unknown as IDataObject;
			if (result.events.length === 0) return null;
			return emitOrReturn(this, result.events);
		});
		if (ran === undefined) {
			this.logger.warn('Pumble Trigger: the previous poll of this workflow is still running; skipping this one');
			return null;
		}
		return ran;
	}
}
