/**
 * What Pumble POSTs to an app, and the readable item made of it.
 *
 * Shapes: CAKE-com/pumble-node-sdk pumble-sdk/src/core/types/payloads.ts (the envelope: `messageType`,
 * `eventType`, `workspaceId`, `workspaceUserIds`, `body`; slash command, shortcut and block interaction
 * payloads) and pumble-sdk/src/core/types/pumble-events.ts (the event bodies' short field names), described in
 * docs/triggers-reference.md. AddonHttpListener.ts parses `body` as a JSON string (`JSON.parse(message.body)`);
 * apet97/pumble-python-sdk src/pumble_keys/pumble_app/events.py accepts it as a string or an object. Both are
 * accepted here.
 */

/** Pumble events (pumble-events.ts `EventMap`). */
export const PUMBLE_EVENT_TYPES = [
	'NEW_MESSAGE',
	'UPDATED_MESSAGE',
	'REACTION_ADDED',
	'CHANNEL_CREATED',
	'CHANNEL_ARCHIVED',
	'CHANNEL_DELETED',
	'WORKSPACE_USER_JOINED',
	'WORKSPACE_USER_UPDATED',
	'WORKSPACE_USER_GROUP_CREATED',
	'WORKSPACE_USER_GROUP_UPDATED',
	'APP_UNINSTALLED',
	'APP_UNAUTHORIZED',
] as const;

/** App triggers (payloads.ts `MessageType` and the `isGlobalShortcut` / `isMessageShortcut` / `isBlockInteraction` guards). */
export const APP_TRIGGER_TYPES = ['SLASH_COMMAND', 'GLOBAL_SHORTCUT', 'MESSAGE_SHORTCUT', 'BUTTON_CLICK', 'BLOCK_INTERACTION'] as const;

export type PumbleEventType = (typeof PUMBLE_EVENT_TYPES)[number];
export type AppTriggerType = (typeof APP_TRIGGER_TYPES)[number];
export type AppEventName = PumbleEventType | AppTriggerType;
export const APP_EVENT_NAMES: readonly AppEventName[] = [...PUMBLE_EVENT_TYPES, ...APP_TRIGGER_TYPES];

/** Triggers a user waits on: Pumble expects an answer within 3 s and may show its `message` (docs/triggers-reference.md). */
export function isInteractive(name: AppEventName): boolean {
	return (APP_TRIGGER_TYPES as readonly string[]).includes(name);
}

export interface AppEvent {
	/** The event name: a Pumble event type, or SLASH_COMMAND, GLOBAL_SHORTCUT, MESSAGE_SHORTCUT, BUTTON_CLICK, BLOCK_INTERACTION. */
	event: AppEventName;
	workspaceId?: string;
	/** The channel it happened in, when it has one (for the channel filter). */
	channelId?: string;
	/** Who caused it, when known (author, reacting user, invoking user). */
	userId?: string;
	/** Readable fields, then `raw`: the envelope as received, with `body` parsed. */
	item: Record<string, unknown>;
}

export class MalformedEvent extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MalformedEvent';
	}
}

/**
 * Short names per event body (pumble-events.ts comments; docs/triggers-reference.md's tables). One table per
 * shape, because a short name means different things in different bodies (`st` is a message's subtype but a
 * user's status; `au` affected users or "active until"). A name not listed keeps its short form.
 */
const MESSAGE_FIELDS: Record<string, string> = {
	mId: 'messageId', wId: 'workspaceId', cId: 'channelId', trId: 'threadRootId', stc: 'alsoSentToChannel',
	trMt: 'threadRootText', aId: 'authorId', tx: 'text', bl: 'blocks', ty: 'type', ts: 'timestamp',
	tsm: 'timestampMilli', st: 'subtype', rid: 'requestId', f: 'files', lId: 'localId', att: 'attachments',
	sm: 'sharedMessage', mm: 'meta', md: 'mentionedUserIds', mc: 'channelMentionUserIds', mu: 'groupMentionUserIds',
	au: 'affectedUsers', e: 'edited', eph: 'ephemeral',
};
const REACTION_FIELDS: Record<string, string> = {
	wId: 'workspaceId', cId: 'channelId', mId: 'messageId', mat: 'messageAuthorId', uId: 'userId', rc: 'reaction',
	ty: 'type', rid: 'requestId',
};
const CHANNEL_FIELDS: Record<string, string> = {
	wId: 'workspaceId', cId: 'channelId', cN: 'channelName', cU: 'memberIds', cT: 'channelType', m: 'memberIds',
	v: 'archived', uId: 'userId', ty: 'type', rid: 'requestId',
};
const USER_FIELDS: Record<string, string> = {
	uN: 'name', uE: 'email', uId: 'userId', afp: 'avatarUrl', asp: 'avatarScaledUrl', wId: 'workspaceId', ty: 'type',
	tz: 'timeZone', sts: 'notificationsPausedUntil', pt: 'title', pp: 'phone', cs: 'customStatus', rid: 'requestId',
	st: 'status', ro: 'role', au: 'activeUntil', ib: 'invitedById', cb: 'changedById', atz: 'automaticTimeZone',
};
const CUSTOM_STATUS_FIELDS: Record<string, string> = { st: 'status', co: 'code', ex: 'expiration', ea: 'expiresAt', su: 'shownUntil' };
const GROUP_FIELDS: Record<string, string> = {
	wId: 'workspaceId', cbId: 'createdById', id: 'groupId', n: 'name', h: 'handle', d: 'description', di: 'disabled',
	uIds: 'userIds', cIds: 'channelIds', uId: 'updatedById', ty: 'type', rid: 'requestId',
};

const FIELDS_BY_EVENT: Partial<Record<PumbleEventType, Record<string, string>>> = {
	NEW_MESSAGE: MESSAGE_FIELDS,
	UPDATED_MESSAGE: MESSAGE_FIELDS,
	REACTION_ADDED: REACTION_FIELDS,
	CHANNEL_CREATED: CHANNEL_FIELDS,
	CHANNEL_ARCHIVED: CHANNEL_FIELDS,
	CHANNEL_DELETED: CHANNEL_FIELDS,
	WORKSPACE_USER_JOINED: USER_FIELDS,
	WORKSPACE_USER_UPDATED: USER_FIELDS,
	WORKSPACE_USER_GROUP_CREATED: GROUP_FIELDS,
	WORKSPACE_USER_GROUP_UPDATED: GROUP_FIELDS,
	// APP_UNINSTALLED and APP_UNAUTHORIZED bodies already have readable names (pumble-events.ts).
};

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rename(body: Record<string, unknown>, names: Record<string, string>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(body)) {
		const name = names[key] ?? key;
		out[name] = name === 'customStatus' && isObject(value) ? rename(value, CUSTOM_STATUS_FIELDS) : value;
	}
	return out;
}

function str(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A JSON text or an object (the two readings of `body` and of a block interaction's `payload`). */
function objectOf(value: unknown, what: string): Record<string, unknown> {
	if (isObject(value)) return value;
	if (typeof value === 'string') {
		let parsed: unknown;
		try {
			parsed = JSON.parse(value);
		} catch {
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the core knows no n8n node; the host words it
			throw new MalformedEvent(`${what} is not valid JSON`);
		}
		if (isObject(parsed)) return parsed;
	}
	throw new MalformedEvent(`${what} is not a JSON object`);
}

/** The request body, parsed. */
export function parseEnvelope(rawBody: string | Buffer): Record<string, unknown> {
	const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
	return objectOf(text, 'The request body');
}

/**
 * The readable event, or undefined for a well-formed message this package does not start workflows for
 * (view actions and dynamic menus, which need an answer a workflow cannot give in time; unknown types).
 */
export function normalizeEvent(envelope: Record<string, unknown>): AppEvent | undefined {
	const messageType = envelope.messageType;
	if (messageType === 'PUMBLE_EVENT' || messageType === 'APP_EVENT') return pumbleEvent(envelope);
	if (messageType === 'SLASH_COMMAND') return trigger('SLASH_COMMAND', envelope, {});
	if (messageType === 'SHORTCUT') {
		const type = envelope.type;
		if (type === 'GLOBAL') return trigger('GLOBAL_SHORTCUT', envelope, {});
		if (type === 'ON_MESSAGE') return trigger('MESSAGE_SHORTCUT', envelope, {});
		return undefined;
	}
	if (messageType === 'BLOCK_INTERACTION') return blockInteraction(envelope);
	if (typeof messageType !== 'string') throw new MalformedEvent('The request has no messageType');
	return undefined;
}

function pumbleEvent(envelope: Record<string, unknown>): AppEvent | undefined {
	const eventType = envelope.eventType;
	if (typeof eventType !== 'string') throw new MalformedEvent('The event has no eventType');
	const body = objectOf(envelope.body, 'The event body');
	const raw = { ...envelope, body };
	if (!(PUMBLE_EVENT_TYPES as readonly string[]).includes(eventType)) return undefined;
	const name = eventType as PumbleEventType;
	const names = FIELDS_BY_EVENT[name];
	const readable = names ? rename(body, names) : { ...body };
	const workspaceId = str(envelope.workspaceId) ?? str(readable.workspaceId) ?? str(body.workspace);
	const item: Record<string, unknown> = {
		event: name,
		...readable,
		workspaceId,
		workspaceUserIds: Array.isArray(envelope.workspaceUserIds) ? envelope.workspaceUserIds : [],
		raw,
	};
	return {
		event: name,
		workspaceId,
		channelId: str(readable.channelId),
		userId: str(readable.authorId) ?? str(readable.userId) ?? str(body.workspaceUser),
		item,
	};
}

function trigger(name: AppTriggerType, envelope: Record<string, unknown>, extra: Record<string, unknown>): AppEvent {
	const { messageType: _messageType, ...fields } = envelope;
	return {
		event: name,
		workspaceId: str(envelope.workspaceId),
		channelId: str(envelope.channelId),
		userId: str(envelope.userId),
		item: { event: name, ...fields, ...extra, raw: envelope },
	};
}

/**
 * A block interaction; a button's is BUTTON_CLICK. `actionType` is `BUTTON` in docs/triggers-reference.md and
 * `button` in docs/interactivity.md: compared case-insensitively. `payload` is a JSON string (triggers-reference.md)
 * holding `value` (interactivity.md): it is parsed, and its `value` lifted out.
 */
function blockInteraction(envelope: Record<string, unknown>): AppEvent {
	const isButton = typeof envelope.actionType === 'string' && envelope.actionType.toLowerCase() === 'button';
	let payload: Record<string, unknown> | undefined;
	try {
		payload = envelope.payload === undefined ? undefined : objectOf(envelope.payload, 'payload');
	} catch {
		payload = undefined;
	}
	return trigger(isButton ? 'BUTTON_CLICK' : 'BLOCK_INTERACTION', envelope, {
		payload: payload ?? envelope.payload,
		value: payload?.value,
	});
}
