/** Scheduled messages: create, read, list, edit (read-modify-write: Pumble wants every field) and delete. */
import type { PumbleClient } from '../http/client';
import { PAGE_SIZE } from '../constants';
import { ENDPOINTS } from '../http/endpoints';
import { PumbleInputError } from '../errors';
import { optionalBlocks, optionalId, requireId, requireInteger, requireText } from '../input/normalize';
import { collectByCursor } from './pagination';
import { ChannelRef, MessageReceipt, Recurrence, RECURRENCE_TYPES, ScheduledMessage } from '../types';
import type { Directory } from './directory';
import type { DeletedScheduledMessageReceipt } from './shape';

export interface RecurrenceInput {
	type: unknown;
	endAfterOccurrences?: unknown;
	endDate?: number;
}

export interface CreateScheduledInput {
	channel: ChannelRef;
	text: unknown;
	sendAt: number;
	threadRootId?: unknown;
	alsoSendToChannel?: boolean;
	recurrence?: RecurrenceInput;
	blocks?: unknown;
}

export interface EditScheduledInput {
	scheduledMessageId: unknown;
	channel?: ChannelRef;
	text?: unknown;
	sendAt?: number;
	/** null: "Does Not Repeat". */
	recurrence?: RecurrenceInput | null;
}

export class ScheduledMessages {
	constructor(
		private readonly client: PumbleClient,
		private readonly directory: Directory,
	) {}

	async createScheduledMessage(input: CreateScheduledInput): Promise<MessageReceipt> {
		const text = requireText(input.text);
		requireFuture(input.sendAt, 'sendAt');
		const threadRootId = optionalId(input.threadRootId, 'threadRootId', 'message ID');
		const recurrence = toRecurrence(input.recurrence);
		const blocks = optionalBlocks(input.blocks, 'blocks');
		const channelId = await this.directory.channelId(input.channel);
		return this.client.call<MessageReceipt>(ENDPOINTS.createScheduledMessage, {
			body: {
				channelId,
				text,
				sendAt: input.sendAt,
				...(threadRootId ? { threadRootId } : {}),
				...(input.alsoSendToChannel ? { alsoSendToChannel: true } : {}),
				...(recurrence ? { recurrence } : {}),
				...(blocks ? { blocks } : {}),
			},
		});
	}

	fetchScheduledMessage(id: unknown): Promise<ScheduledMessage> {
		const scheduledMessageId = requireId(id, 'scheduledMessageId', 'scheduled message ID');
		return this.client.call<ScheduledMessage>(ENDPOINTS.fetchScheduledMessage, { query: { scheduledMessageId } });
	}

	async listScheduledMessages(input: { channel?: ChannelRef; limit?: number } = {}): Promise<ScheduledMessage[]> {
		const channelId = input.channel ? await this.directory.channelId(input.channel) : undefined;
		return collectByCursor<ScheduledMessage>({
			pageSize: PAGE_SIZE,
			limit: input.limit,
			fetchPage: async (cursor, pageSize) => {
				const page = await this.client.call<{ scheduledMessages?: ScheduledMessage[]; hasMore?: boolean }>(ENDPOINTS.fetchScheduledMessages, {
					query: { ...(channelId ? { channelId } : {}), ...(cursor ? { cursor } : {}), limit: pageSize },
				});
				return { items: page.scheduledMessages ?? [], hasMore: page.hasMore ?? false };
			},
		});
	}

	/**
	 * Pumble needs channel, text and sendAt on every edit, so unchanged fields are read first.
	 * `recurrence: null` ("Does Not Repeat") is sent as `null`: Pumble's own add-on description lists null, a
	 * third-party OpenAPI description does not, and no live recording shows either way (README: unverified).
	 */
	async editScheduledMessage(input: EditScheduledInput): Promise<ScheduledMessage> {
		const scheduledMessageId = requireId(input.scheduledMessageId, 'scheduledMessageId', 'scheduled message ID');
		const text = input.text !== undefined ? requireText(input.text, 'text') : undefined;
		if (input.sendAt !== undefined) requireFuture(input.sendAt, 'sendAt');
		const recurrence = input.recurrence ? toRecurrence(input.recurrence) : input.recurrence;
		const channelId = input.channel ? await this.directory.channelId(input.channel) : undefined;
		const current = await this.fetchScheduledMessage(scheduledMessageId);
		return this.client.call<ScheduledMessage>(ENDPOINTS.editScheduledMessage, {
			body: {
				scheduledMessageId,
				channelId: channelId ?? current.channelId,
				text: text ?? current.text,
				sendAt: input.sendAt ?? current.sendAt,
				// null stops the repetition; left out, Pumble keeps the current one.
				...(recurrence !== undefined ? { recurrence } : current.recurrence ? { recurrence: current.recurrence } : {}),
				...(current.blocks && text === undefined ? { blocks: current.blocks } : {}),
			},
		});
	}

	async deleteScheduledMessage(id: unknown): Promise<DeletedScheduledMessageReceipt> {
		const scheduledMessageId = requireId(id, 'scheduledMessageId', 'scheduled message ID');
		await this.client.call(ENDPOINTS.deleteScheduledMessage, { query: { scheduledMessageId } });
		return { deleted: true, scheduledMessageId };
	}
}

/** A scheduled time must be in the future. */
export function requireFuture(epochMs: number, parameter: string): void {
	if (epochMs <= Date.now()) {
		throw new PumbleInputError(parameter, `${new Date(epochMs).toISOString()} is in the past`, `Pumble sends scheduled messages only in the future: set "${parameter}" to a later time.`);
	}
}

/** A recurrence as Pumble takes it; undefined when there is none. `parameter` names the field in errors. */
export function toRecurrence(input: RecurrenceInput | undefined, parameter = 'recurrence'): Recurrence | undefined {
	if (!input || input.type === undefined || input.type === '' || input.type === 'none') return undefined;
	const recurrenceType = String(input.type).toUpperCase() as Recurrence['recurrenceType'];
	if (!RECURRENCE_TYPES.includes(recurrenceType)) {
		throw new PumbleInputError(parameter, `"${String(input.type)}" is not a recurrence`, `Choose one of ${RECURRENCE_TYPES.join(', ')}.`);
	}
	const endAfterOccurrences =
		input.endAfterOccurrences !== undefined && input.endAfterOccurrences !== '' && input.endAfterOccurrences !== 0
			? requireInteger(input.endAfterOccurrences, `${parameter}.endAfterOccurrences`, 1, 9999)
			: undefined;
	return {
		recurrenceType,
		...(endAfterOccurrences ? { endAfterOccurrences } : {}),
		...(input.endDate !== undefined ? { endDate: input.endDate } : {}),
	};
}
