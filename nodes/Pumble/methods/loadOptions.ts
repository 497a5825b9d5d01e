/**
 * Option lists for multi-select fields (group DM recipients, users to add, search filters). Backed by
 * the same briefly cached workspace lists as the resource locators.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { searchChannels, searchUsers } from './listSearch';

/** Every user of the workspace: people first, then bots and deactivated accounts (marked as such). */
export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { results } = await searchUsers.call(this);
	return results.map(({ name, value }) => ({ name, value }));
}

/** Channels and direct messages visible to the key, labelled as in the channel list. */
export async function getChannels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { results } = await searchChannels.call(this);
	return results.map(({ name, value }) => ({ name, value }));
}
