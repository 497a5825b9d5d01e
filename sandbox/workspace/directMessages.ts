/**
 * dmUser and dmGroup: the DM channel is opened or reused, and `asBot` follows the `botDm` switch.
 */
import { legacyError, validationError } from '../validation';
import type { Input } from '../validation';
import { activeUser, activeUserByEmail, botOf } from './access';
import type { Receipt } from './apiObjects';
import { TEXT_MAX } from './fieldRules';
import type { User } from './records';
import type { WorkspaceState } from './state';

const DM_MAX_OTHERS = 8;

export function dmUser(ws: WorkspaceState, actor: User, input: Input): Receipt {
	const userId = input.optionalString('userId');
	const email = input.optionalString('email');
	const text = input.text('text', TEXT_MAX);
	const asBot = input.bool('asBot');
	if (userId === undefined && email === undefined) throw validationError('userId must not be null');
	const other = userId !== undefined ? activeUser(ws, userId) : activeUserByEmail(ws, email ?? '');
	if (other.id === actor.id) throw legacyError('You cannot send a direct message to yourself');
	return sendDm(ws, actor, [other.id], text, asBot);
}

export function dmGroup(ws: WorkspaceState, actor: User, input: Input): Receipt {
	const userIds = input.optionalStringArray('userIds');
	const emails = input.optionalStringArray('emails');
	const text = input.text('text', TEXT_MAX);
	const asBot = input.bool('asBot');
	if (userIds === undefined && emails === undefined) throw validationError('userIds must not be null');
	const others = (userIds ?? []).map((id) => activeUser(ws, id).id);
	for (const email of emails ?? []) others.push(activeUserByEmail(ws, email).id);
	// Naming yourself among the recipients is tolerated: you are in the conversation anyway.
	const recipients = others.filter((id) => id !== actor.id);
	if (new Set(recipients).size !== recipients.length) throw validationError('userIds must be distinct');
	if (recipients.length < 1 || recipients.length > DM_MAX_OTHERS) {
		throw validationError(`userIds must name between 1 and ${DM_MAX_OTHERS} other users`);
	}
	return sendDm(ws, actor, recipients, text, asBot);
}

/**
 * A DM as the `botDm` switch says: `botInUserDm` — the add-on bot posts in the user's own DM with the
 * recipients; `asUser` — `asBot` is ignored; `botOwnDm` — the bot posts in a DM of its own with the
 * recipients, which the key's user is not a member of and so cannot list or read.
 */
function sendDm(ws: WorkspaceState, actor: User, recipients: string[], text: string, asBot: boolean): Receipt {
	const mode = asBot ? ws.env.botDm() : 'asUser';
	const author = mode === 'asUser' ? actor.id : botOf(actor);
	const channel = ws.directChannel(mode === 'botOwnDm' ? author : actor.id, recipients);
	const message = ws.insert(channel, author, text, {});
	return { id: message.id, channelId: channel.id };
}
