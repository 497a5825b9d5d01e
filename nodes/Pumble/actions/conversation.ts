import type { IExecuteFunctions } from 'n8n-workflow';
import type { Conversation } from '../../../core';
import { getChannelRef } from '../helpers/params';

/** The channel an item writes to, from its Channel locator (by ID, from the list, or by name). */
export function channelConversation(this: IExecuteFunctions, itemIndex: number): Conversation {
	return { channel: getChannelRef(this, itemIndex) };
}
