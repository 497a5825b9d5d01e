import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ReactionInput } from '../../../../core';
import { channelLocator, emojiField, forOperation, messageIdField } from '../../helpers/fields';
import { channelInput } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [channelLocator(), messageIdField(), emojiField()];

export const add: PumbleOperation = {
	description: forOperation('reaction', 'add', properties),
	input(this: IExecuteFunctions, i: number): ReactionInput {
		return { channel: channelInput(this, i), messageId: this.getNodeParameter('messageId', i), emoji: this.getNodeParameter('emoji', i) };
	},
};
