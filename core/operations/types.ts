/**
 * The shape of one catalogue entry: everything about an operation that does not depend on the host. A host
 * maps its own parameters (n8n's fields, a Node-RED message) to the operation's neutral input; the entry
 * checks that input before anything is sent (`validate`), names the lane its write keeps order in (`lane`)
 * and runs it against PumbleApi (`run`).
 */
import type { PumbleApi } from '../api';
import type { Endpoint } from '../http/endpoints';
import type { LaneDirectory } from '../lanes/key';

/** What validation needs from the host besides the input. */
export interface InputContext {
	/** How a date and time without an offset is read (n8n: the workflow's time zone; Node-RED: UTC). */
	timezone: string;
	/** The host's names for the input's fields where they differ (e.g. n8n's `filters.after` for `after`), for error messages. */
	fields?: Readonly<Record<string, string>>;
}

/** A channel as a host gives it: `by` when the host knows (n8n's locator mode); otherwise a value shaped like an ID is an ID, anything else a name. */
export interface ChannelInput {
	value: unknown;
	by?: 'id' | 'name';
}

/** A person as a host gives it: `by` when the host knows; otherwise a value with `@` is an email, anything else an ID. */
export interface UserInput {
	value: unknown;
	by?: 'id' | 'email';
}

/** A person, checked: by ID, or by email (looked up in the cached user list when the operation runs). */
export type UserRef = { id: string } | { email: string };

/** Get Many: every result, or at most `limit` (50 when not given). */
export interface ListInput {
	returnAll?: boolean;
	limit?: unknown;
}

export interface OperationEntry<Input, Valid> {
	/** The endpoint the operation calls (its main one where it may call several). */
	readonly endpoint: Endpoint;
	/** Reads change nothing: never remembered for a retry, never listed as sent, never ordered. */
	readonly readOnly: boolean;
	/** Returns a list (n8n: one item per result; Node-RED: one message per result). */
	readonly many: boolean;
	/** Writes to one conversation, in input order (`lane`). */
	readonly ordered: boolean;
	/** The neutral input, checked and normalized; a PumbleInputError (with its fix) when bad. Sends nothing. */
	validate(input: Input, context: InputContext): Valid;
	/** The lane of a write addressed to a conversation (core/lanes/key.ts), from its checked input. */
	lane?(directory: LaneDirectory, input: Valid): Promise<string | undefined>;
	/** The operation itself, with checked input: Pumble's answer or a receipt. */
	run(api: PumbleApi, input: Valid): Promise<unknown>;
}

/** An entry as the hosts hold it, whatever its input: they pass what their mapping built. */
export type Operation = OperationEntry<unknown, unknown>;

/** Declares an entry with its own input types, and hands it over in the hosts' shape. */
export const operation = <Input, Valid>(entry: OperationEntry<Input, Valid>): Operation => entry as unknown as Operation;

/** What an entry declares beyond its kind (the kinds below say whether it reads, returns many, keeps order). */
type Declared<Input, Valid> = Omit<OperationEntry<Input, Valid>, 'readOnly' | 'many' | 'ordered' | 'lane'>;

/** A read of one thing. */
export const read = <Input, Valid>(entry: Declared<Input, Valid>): Operation => operation({ ...entry, readOnly: true, many: false, ordered: false });

/** A read of a list (Get Many): one result each. */
export const readMany = <Input, Valid>(entry: Declared<Input, Valid>): Operation => operation({ ...entry, readOnly: true, many: true, ordered: false });

/** A write that needs no order (it is addressed to no conversation, or order does not matter). */
export const write = <Input, Valid>(entry: Declared<Input, Valid>): Operation => operation({ ...entry, readOnly: false, many: false, ordered: false });

/** A write to one conversation: writes to it run in input order, in the lane `lane` names. */
export const orderedWrite = <Input, Valid>(entry: Declared<Input, Valid> & Required<Pick<OperationEntry<Input, Valid>, 'lane'>>): Operation =>
	operation({ ...entry, readOnly: false, many: false, ordered: true });
