/** Field limits several operations share (from the OpenAPI description), and the emoji-code check. */
import { validationError } from '../validation';

export const TEXT_MAX = 10_000;
/** `limit` of listMessages, fetchThreadReplies and fetchScheduledMessages. */
export const MESSAGE_PAGE = { min: 1, max: 200 } as const;

const EMOJI_CODE = /^:[a-z0-9_+-]+:$/;

export function validateEmojiCode(name: string, code: string, maxLength: number): void {
	if (!EMOJI_CODE.test(code)) throw validationError(`${name} must be an emoji code in :name: form, e.g. :+1:`);
	if (code.length < 3 || code.length > maxLength) {
		throw validationError(`${name} size must be between 3 and ${maxLength}`);
	}
}
