/**
 * Every operation of the Pumble node, declared once for both hosts: whether it only reads (reads are never
 * remembered for Retry On Fail nor listed as sent), whether it returns many results (n8n: one item each;
 * Node-RED: one message each), and whether it writes to a conversation (those writes keep their order,
 * one lane per conversation: core/lanes/key.ts). The n8n actions and Node-RED's operation table must offer
 * exactly these operations and agree with them (test/unit/catalogue.parity.test.ts).
 */

export interface CatalogueEntry {
	readOnly: boolean;
	many: boolean;
	/** Writes to one conversation (a channel, a person, a group) run one after another, in input order. */
	ordered: boolean;
}

const read = (many = false): CatalogueEntry => ({ readOnly: true, many, ordered: false });
const write = (ordered: boolean): CatalogueEntry => ({ readOnly: false, many: false, ordered });

export const CATALOGUE = {
	message: {
		send: write(true),
		reply: write(true),
		update: write(true),
		delete: write(true),
		get: read(),
		getAll: read(true),
		getReplies: read(true),
		search: read(true),
	},
	reaction: { add: write(true), remove: write(true) },
	channel: { create: write(false), get: read(), getAll: read(true), addUsers: write(true), removeUser: write(true) },
	scheduledMessage: { create: write(false), get: read(), getAll: read(true), update: write(false), delete: write(false) },
	user: { get: read(), getAll: read(true), getMe: read(), setStatus: write(false) },
	userGroup: { getAll: read(true) },
} as const satisfies Record<string, Record<string, CatalogueEntry>>;

export type CatalogueResource = keyof typeof CATALOGUE;

/** The entry of `resource.operation`, or undefined for an operation that does not exist. */
export function catalogueEntry(resource: unknown, operation: unknown): CatalogueEntry | undefined {
	const entries = (CATALOGUE as Record<string, Record<string, CatalogueEntry>>)[String(resource)];
	return entries && Object.hasOwn(entries, String(operation)) ? entries[String(operation)] : undefined;
}
