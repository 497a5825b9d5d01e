/**
 * How a slash command's reply reaches the person who ran it, the same in every host (n8n's App Trigger,
 * Node-RED's pumble-app-events): in the answer to Pumble's request (`response`, as the Pumble SDK acknowledges
 * it), or as an ephemeral message through the App API with the bot token (`api`), in the command's thread when
 * it was run in one. docs/pumble-app.md says why there are two ways.
 */
import type { PumbleAppApi } from './api';
import type { AppEvent } from './events';

export type ReplyVia = 'response' | 'api';

/** A host's setting as the way: `api`, or the answer to Pumble (the default). */
export const replyViaOf = (value: unknown): ReplyVia => (value === 'api' ? 'api' : 'response');

/** The text the answer to Pumble carries (the receiver's `slashCommandReply`): the reply when that is its way. */
export const answeredReply = (reply: string, via: ReplyVia): string => (via === 'response' ? reply : '');

/**
 * The reply of a started slash command, posted through the App API when that is its way (false when there is
 * nothing to post). A failure rejects: the host logs it, the event has started its flow either way.
 */
export async function postSlashReply(api: Pick<PumbleAppApi, 'postEphemeral'> | undefined, event: AppEvent, reply: string, via: ReplyVia): Promise<boolean> {
	if (via !== 'api' || !reply || !api || event.event !== 'SLASH_COMMAND' || !event.channelId || !event.userId) return false;
	const threadRootId = typeof event.item.threadRootId === 'string' && event.item.threadRootId !== '' ? event.item.threadRootId : undefined;
	await api.postEphemeral(event.channelId, reply, [event.userId], { threadRootId });
	return true;
}
