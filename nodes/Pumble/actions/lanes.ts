import type { IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

/** Writes to one channel share a lane, so they reach Pumble in item order. */
export function channelLane(this: IExecuteFunctions, itemIndex: number): string {
	const locator = this.getNodeParameter('channel', itemIndex, '') as INodeParameterResourceLocator | string;
	const value = typeof locator === 'string' ? locator : String(locator?.value ?? '');
	return `channel:${value.trim().replace(/^#/, '').toLowerCase()}`;
}
