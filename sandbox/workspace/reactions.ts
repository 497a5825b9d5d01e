/** addReaction and removeReaction: one reaction per user and emoji code on a message. */
import type { Input } from '../validation';
import { visibleMessage } from './access';
import { validateEmojiCode } from './fieldRules';
import type { MessageRecord, User } from './records';
import type { WorkspaceState } from './state';

function reactionTarget(ws: WorkspaceState, actor: User, input: Input): { message: MessageRecord; code: string } {
	const messageId = input.string('messageId');
	const code = input.string('reaction');
	input.optionalInt('skinTone', { min: 1, max: 6 });
	validateEmojiCode('reaction', code, 100);
	return { message: visibleMessage(ws, actor, input, messageId), code };
}

export function addReaction(ws: WorkspaceState, actor: User, input: Input): { status: 'ok' } {
	const { message, code } = reactionTarget(ws, actor, input);
	if (!message.reactions.some((r) => r.user === actor.id && r.code === code)) {
		message.reactions.push({ user: actor.id, code });
		ws.notify({ kind: 'reactionAdded', message, userId: actor.id, code });
	}
	return { status: 'ok' };
}

export function removeReaction(ws: WorkspaceState, actor: User, input: Input): { status: 'ok' } {
	const { message, code } = reactionTarget(ws, actor, input);
	message.reactions = message.reactions.filter((r) => !(r.user === actor.id && r.code === code));
	return { status: 'ok' };
}
