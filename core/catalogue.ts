/**
 * Every operation of the Pumble node, declared once for both hosts (one file per resource in
 * core/operations/): its endpoint, whether it only reads (reads are never remembered for Retry On Fail nor
 * listed as sent), whether it returns many results (n8n: one item each; Node-RED: one message each), the
 * lane a write keeps its order in (one per conversation: core/lanes/key.ts), the check of its neutral input
 * before anything is sent, and its run against PumbleApi. The n8n actions and Node-RED's operation table map
 * their parameters to that input and offer exactly these operations; the Node-RED editor's list is written from
 * this catalogue at build (gulpfile.js), and test/integration/catalogue.parity.test.ts checks the built package.
 */
import { channel } from './operations/channel';
import { message } from './operations/message';
import { reaction } from './operations/reaction';
import { scheduledMessage } from './operations/scheduledMessage';
import type { Operation } from './operations/types';
import { user, userGroup } from './operations/user';

export type { ChannelInput, InputContext, ListInput, Operation, OperationEntry, UserInput, UserRef } from './operations/types';
export type { CreateChannelInput, ChannelsInput } from './operations/channel';
export type { ListMessagesInput, MessageInput, RepliesInput, ReplyInput, SearchInput as SearchMessagesInput, SendInput, SendTo, UpdateInput } from './operations/message';
export type { ReactionInput } from './operations/reaction';
export type { CreateScheduledInput as CreateScheduledMessageInput, UpdateScheduledInput } from './operations/scheduledMessage';
export type { SetStatusInput, UsersInput } from './operations/user';
export type { RecurrenceGiven } from './operations/inputs';

/** An operation's entry, as the hosts hold it. */
export type CatalogueEntry = Operation;

export const CATALOGUE = { message, reaction, channel, scheduledMessage, user, userGroup } as const satisfies Record<string, Record<string, Operation>>;

export type CatalogueResource = keyof typeof CATALOGUE;

/** The entry of `resource.operation`, or undefined for an operation that does not exist. */
export function catalogueEntry(resource: unknown, operation: unknown): CatalogueEntry | undefined {
	const entries = (CATALOGUE as Record<string, Record<string, CatalogueEntry>>)[String(resource)];
	return entries && Object.hasOwn(entries, String(operation)) ? entries[String(operation)] : undefined;
}
