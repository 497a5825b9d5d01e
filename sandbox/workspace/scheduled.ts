/** Scheduled-message operations: create, fetch one or a page, edit, delete. They are never delivered. */
import { legacyError, notFound, validationError } from '../validation';
import type { Input } from '../validation';
import { threadRoot, visibleChannel } from './access';
import type { Receipt, ScheduledMessage } from './apiObjects';
import { MESSAGE_PAGE, TEXT_MAX } from './fieldRules';
import { RECURRENCE_TYPES } from './records';
import type { Recurrence, ScheduledRecord, User } from './records';
import { renderScheduled } from './render';
import type { WorkspaceState } from './state';

export function createScheduledMessage(ws: WorkspaceState, actor: User, input: Input): Receipt {
	const channelId = input.string('channelId');
	const text = input.text('text', TEXT_MAX);
	const sendAt = futureSendAt(ws, input);
	const blocks = input.optionalArray('blocks') ?? null;
	const threadRootId = input.optionalString('threadRootId') ?? null;
	const alsoSendToChannel = input.bool('alsoSendToChannel');
	const recurrence = readRecurrence(input);
	const channel = visibleChannel(ws, actor, channelId);
	if (threadRootId !== null) threadRoot(ws, channel, threadRootId);
	const record: ScheduledRecord = {
		id: ws.newId(),
		seq: ws.nextSeq(),
		channelId: channel.id,
		author: actor.id,
		text,
		sendAt,
		blocks,
		threadRootId,
		alsoSendToChannel,
		recurrence,
	};
	ws.scheduled.push(record);
	return { id: record.id, channelId: record.channelId };
}

export function fetchScheduledMessages(
	ws: WorkspaceState,
	actor: User,
	input: Input,
): { scheduledMessages: ScheduledMessage[]; hasMore: boolean } {
	const channelId = input.optionalString('channelId');
	const cursor = input.optionalString('cursor');
	const limit = input.optionalInt('limit', MESSAGE_PAGE) ?? 100;
	if (channelId !== undefined) visibleChannel(ws, actor, channelId);
	const mine = ws.scheduled
		.filter((s) => s.author === actor.id && (channelId === undefined || s.channelId === channelId))
		.sort((a, b) => a.sendAt - b.sendAt || a.seq - b.seq);
	let start = 0;
	if (cursor !== undefined) {
		const index = mine.findIndex((s) => s.id === cursor);
		if (index < 0) throw notFound();
		start = ws.env.cursorInclusive() ? index : index + 1;
	}
	const end = Math.min(mine.length, start + limit);
	return {
		scheduledMessages: mine.slice(start, end).map((s) => renderScheduled(ws, s)),
		hasMore: end < mine.length,
	};
}

export function fetchScheduledMessage(ws: WorkspaceState, actor: User, input: Input): ScheduledMessage {
	return renderScheduled(ws, ownScheduled(ws, actor, input.string('scheduledMessageId')));
}

export function editScheduledMessage(ws: WorkspaceState, actor: User, input: Input): ScheduledMessage {
	// The server insists on all four even when unchanged; report every missing one at once.
	const missing = ['scheduledMessageId', 'channelId', 'text', 'sendAt'].filter((name) => !input.has(name));
	if (missing.length > 0) throw validationError(missing.map((name) => `${name} must not be null`).join(', '));
	const id = input.string('scheduledMessageId');
	const channelId = input.string('channelId');
	const text = input.text('text', TEXT_MAX);
	const sendAt = futureSendAt(ws, input);
	const blocks = input.optionalArray('blocks');
	// Left out: keep the current recurrence; null: stop repeating.
	const recurrence = input.isNull('recurrence') ? null : input.has('recurrence') ? readRecurrence(input) : undefined;
	const record = ownScheduled(ws, actor, id);
	const channel = visibleChannel(ws, actor, channelId);
	if (record.threadRootId !== null && channel.id !== record.channelId) {
		throw legacyError('A scheduled thread reply cannot move to another channel');
	}
	record.channelId = channel.id;
	record.text = text;
	record.sendAt = sendAt;
	if (blocks !== undefined) record.blocks = blocks;
	if (recurrence !== undefined) record.recurrence = recurrence;
	return renderScheduled(ws, record);
}

export function deleteScheduledMessage(ws: WorkspaceState, actor: User, input: Input): void {
	const record = ownScheduled(ws, actor, input.string('scheduledMessageId'));
	ws.scheduled.splice(ws.scheduled.indexOf(record), 1);
}

function futureSendAt(ws: WorkspaceState, input: Input): number {
	const sendAt = input.int('sendAt', { min: 0, max: 4_000_000_000_000 });
	if (sendAt <= ws.env.now()) throw validationError('sendAt must be in the future');
	return sendAt;
}

function readRecurrence(input: Input): Recurrence | null {
	const recurrence = input.optionalObject('recurrence');
	if (!recurrence) return null;
	return {
		recurrenceType: recurrence.enum('recurrenceType', RECURRENCE_TYPES),
		endAfterOccurrences: recurrence.optionalInt('endAfterOccurrences', { min: 0, max: 9999 }) ?? null,
		endDate: recurrence.optionalInt('endDate', { min: 0 }) ?? null,
	};
}

function ownScheduled(ws: WorkspaceState, actor: User, id: string): ScheduledRecord {
	const record = ws.scheduled.find((s) => s.id === id && s.author === actor.id);
	if (!record) throw notFound();
	return record;
}
