import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ChannelInput } from '../../../../core';
import { channelLocator, forOperation } from '../../helpers/fields';
import { channelInput } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [channelLocator()];

export const get: PumbleOperation = {
	description: forOperation('channel', 'get', properties),
	input(this: IExecuteFunctions, i: number): { channel: ChannelInput } {
		return { channel: channelInput(this, i) };
	},
};
