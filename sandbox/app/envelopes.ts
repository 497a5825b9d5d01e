/**
 * What Pumble's App platform POSTs, built from sandbox records: the envelope of CAKE-com/pumble-node-sdk
 * pumble-sdk/src/core/types/payloads.ts (`PumbleEventPayload` with `body` as a JSON string, as
 * AddonHttpListener.ts parses it; `SlashCommandPayload`, `GlobalShortcutPayload`, `MessageShortcutPayload`,
 * `BlockInteractionPayload`) and the short-named bodies of pumble-events.ts. The sandbox imports nothing from
 * the core, so these shapes are written here from the SDK, not from core/app/events.ts.
 */
import type { ChannelRecord, MessageRecord } from '../workspace';

export type Envelope = Record<string, unknown>;

let requestCounter = 0;
function requestId(): string {
	requestCounter += 1;
	return `sandbox-rid-${Date.now().toString(36)}-${requestCounter}`;
}

export function pumbleEvent(eventType: string, workspaceId: string, workspaceUserIds: string[], body: Record<string, unknown>): Envelope {
	const messageType = eventType === 'APP_UNINSTALLED' || eventType === 'APP_UNAUTHORIZED' ? 'APP_EVENT' : 'PUMBLE_EVENT';
	return { messageType, eventType, workspaceId, workspaceUserIds, body: JSON.stringify(body) };
}

/** NEW_MESSAGE / UPDATED_MESSAGE body (pumble-events.ts `NotificationMessage`). */
export function messageBody(eventType: 'NEW_MESSAGE' | 'UPDATED_MESSAGE', workspaceId: string, m: MessageRecord, roots: { text?: string }): Record<string, unknown> {
	return {
		mId: m.id,
		wId: workspaceId,
		cId: m.channelId,
		...(m.threadRootId ? { trId: m.threadRootId, stc: m.sentToChannel, trMt: roots.text ?? '' } : {}),
		aId: m.author,
		tx: m.text,
		bl: m.blocks ?? [],
		ty: eventType,
		ts: new Date(m.timestampMilli).toISOString(),
		tsm: m.timestampMilli,
		rid: requestId(),
		f: [],
		att: {},
		md: [],
		mc: [],
		mu: [],
		e: m.edited,
		eph: false,
	};
}

/** REACTION_ADDED body (`NotificationReaction`). */
export function reactionBody(workspaceId: string, m: MessageRecord, userId: string, code: string): Record<string, unknown> {
	return { wId: workspaceId, cId: m.channelId, mId: m.id, mat: m.author, uId: userId, rc: code, ty: 'REACTION_ADDED', rid: requestId() };
}

/** CHANNEL_CREATED body (`NotificationChannel`). */
export function channelBody(workspaceId: string, c: ChannelRecord): Record<string, unknown> {
	return { wId: workspaceId, cId: c.id, cN: c.name, cU: [...c.members], cT: c.channelType, ty: 'CHANNEL_CREATED', rid: requestId() };
}

export interface SlashCommandInput {
	command: string;
	text?: string;
	userId: string;
	channelId: string;
	threadRootId?: string;
}

export function slashCommand(workspaceId: string, input: SlashCommandInput, triggerId: string): Envelope {
	return {
		messageType: 'SLASH_COMMAND',
		slashCommand: input.command,
		text: input.text ?? '',
		userId: input.userId,
		channelId: input.channelId,
		...(input.threadRootId ? { threadRootId: input.threadRootId } : {}),
		workspaceId,
		triggerId,
	};
}

export interface BlockInteractionInput {
	userId: string;
	channelId: string;
	messageId: string;
	onAction: string;
	value?: string;
	actionType?: string;
	sourceType?: 'MESSAGE' | 'EPHEMERAL_MESSAGE';
}

export function blockInteraction(workspaceId: string, input: BlockInteractionInput, triggerId: string): Envelope {
	return {
		messageType: 'BLOCK_INTERACTION',
		workspaceId,
		userId: input.userId,
		channelId: input.channelId,
		sourceType: input.sourceType ?? 'MESSAGE',
		sourceId: input.messageId,
		actionType: input.actionType ?? 'BUTTON',
		onAction: input.onAction,
		payload: JSON.stringify({ value: input.value ?? '' }),
		triggerId,
		loadingTimeout: 0,
	};
}

export interface ShortcutInput {
	shortcut: string;
	userId: string;
	channelId: string;
	messageId?: string;
}

export function shortcut(workspaceId: string, input: ShortcutInput, triggerId: string): Envelope {
	const type = input.messageId ? 'ON_MESSAGE' : 'GLOBAL';
	return {
		messageType: 'SHORTCUT',
		type,
		shortcut: input.shortcut,
		userId: input.userId,
		channelId: input.channelId,
		...(input.messageId ? { messageId: input.messageId } : {}),
		workspaceId,
		triggerId,
	};
}
