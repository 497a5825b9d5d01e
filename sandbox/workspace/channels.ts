/** Channel operations: listChannels, getChannel, createChannel, addUsersToChannel, removeUserFromChannel. */
import { legacyError, validationError } from '../validation';
import type { Input } from '../validation';
import { activeUser, canSee, channelFrom, requireGroupChannel, visibleChannel } from './access';
import type { ChannelListEntry } from './apiObjects';
import type { ChannelRecord, User } from './records';
import { renderEntry } from './render';
import { wholeSeconds } from './state';
import type { WorkspaceState } from './state';

const CHANNEL_NAME = /^[a-z0-9_\- ]{1,80}$/;

export function listChannels(ws: WorkspaceState, actor: User): ChannelListEntry[] {
	return ws.channels.filter((c) => canSee(actor, c)).map((c) => renderEntry(ws, c, actor));
}

export function getChannel(ws: WorkspaceState, actor: User, input: Input): ChannelListEntry {
	return renderEntry(ws, channelFrom(ws, actor, input), actor);
}

export function createChannel(ws: WorkspaceState, actor: User, input: Input): { id: string; name: string } {
	const rawName = input.string('name').trim().toLowerCase();
	const type = input.enum('type', ['PUBLIC', 'PRIVATE'] as const);
	const description = input.optionalString('description') ?? '';
	if (!CHANNEL_NAME.test(rawName)) {
		throw validationError('name must be 1 to 80 characters of letters, digits, "_", "-" or spaces');
	}
	if (description.length > 250) throw validationError('description size must be between 0 and 250');
	const name = rawName.replace(/ /g, '-');
	if (ws.channels.some((c) => c.name === name && (c.channelType === 'PUBLIC' || c.channelType === 'PRIVATE'))) {
		throw legacyError('Channel name already taken');
	}
	const channel: ChannelRecord = {
		id: ws.newId(),
		name,
		channelType: type,
		description,
		creatorId: actor.id,
		createdMilli: wholeSeconds(ws.env.now()),
		members: [actor.id],
		isArchived: false,
		isMain: false,
	};
	ws.channels.push(channel);
	ws.notify({ kind: 'channelCreated', channel });
	return { id: channel.id, name: channel.name };
}

export function addUsersToChannel(ws: WorkspaceState, actor: User, input: Input): void {
	const channelId = input.string('channelId');
	const userIds = input.optionalStringArray('userIds');
	if (userIds === undefined || userIds.length === 0) throw validationError('userIds must not be empty');
	const channel = visibleChannel(ws, actor, channelId);
	requireGroupChannel(channel);
	const users = userIds.map((id) => activeUser(ws, id));
	for (const user of users) if (!channel.members.includes(user.id)) channel.members.push(user.id);
}

export function removeUserFromChannel(ws: WorkspaceState, actor: User, input: Input): void {
	const channelId = input.string('channelId');
	const userId = input.string('userId');
	const channel = visibleChannel(ws, actor, channelId);
	requireGroupChannel(channel);
	const index = channel.members.indexOf(userId);
	if (index < 0) throw legacyError('User is not a member of this channel');
	channel.members.splice(index, 1);
}
