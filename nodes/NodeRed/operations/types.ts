import type { Params } from '../lib/params';

/**
 * One operation of the `pumble` node: how a message's parameters become the neutral input of its catalogue
 * entry (core/operations/). The entry checks that input, names its lane and runs it; what the operation is
 * (reads, returns many, keeps order) is the entry's.
 */
export interface FieldMap {
	/** The message's parameters (read once per message) as the entry's neutral input. */
	input(params: Params): unknown;
	/** Node-RED's names of the input's fields where they differ from the entry's (e.g. `userIds` → `users`), for error messages. */
	fields?: Readonly<Record<string, string>>;
}

export type ResourceFieldMaps = Record<string, FieldMap>;
