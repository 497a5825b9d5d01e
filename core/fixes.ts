/**
 * What a user can change to fix an error, named for the hosts to word. The core's hints are host-neutral
 * (no n8n labels, no `{{ }}`, no Node-RED fields); an error that a setting or a field can fix also carries a
 * `Fix`, and each host adds its own sentence for it: n8n names the credential's fields and its expressions,
 * Node-RED its config node's fields and `msg.payload`.
 */

export type FixCode =
	/** The API key: wrong, deleted, or not accepted. */
	| 'apiKey'
	/** The base URL of the API (a wrong endpoint, an unreachable host). */
	| 'baseUrl'
	/** The requests per minute this key may use (other tools share the key). */
	| 'requestsPerMinute'
	/** How long one request may take. */
	| 'timeout'
	/** Posting as the add-on bot: the bot must be a member of a private channel. */
	| 'asBot'
	/** `field` was given a value that is not text (an object, a list); the host says how to turn it into text. */
	| 'textValue'
	/** `field` should hold an ID (the host says where a computed value should point). */
	| 'idValue'
	/** `field` should hold a date (the host gives an example in its own syntax). */
	| 'dateValue'
	/** `field` names a channel or a user that a list in the editor can offer. */
	| 'pickFromList'
	/** The shared rate limit's Redis (its address or availability). */
	| 'redis'
	/** An update without any change: the host names the fields that can change. */
	| 'nothingToChange';

export interface Fix {
	code: FixCode;
	/** The parameter or field at fault, as the user knows it (e.g. `text`), where there is one. */
	field?: string;
}

/** A host's sentence for each fix it can word; a fix it leaves out adds nothing. */
export type FixWording = Partial<Record<FixCode, (fix: Fix) => string>>;

/** The error's neutral hint followed by the host's sentence for its fix. */
export function hintIn(error: { hint?: string; fix?: Fix }, wording: FixWording): string | undefined {
	const extra = error.fix ? wording[error.fix.code]?.(error.fix) : undefined;
	const parts = [error.hint, extra].filter((part): part is string => typeof part === 'string' && part.trim() !== '');
	return parts.length > 0 ? parts.join(' ') : undefined;
}
