/**
 * The Pumble Trigger's channel list: every channel and direct message the key can see, labelled as in
 * the Pumble node's channel locator ("#general", "🔒 leadership", "DM: Bob", "Notes to self").
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { searchChannels } from './listSearch';

export async function getTriggerChannels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { results } = await searchChannels.call(this);
	return results.map(({ name, value }) => ({ name, value }));
}
