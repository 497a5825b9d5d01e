import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { forOperation, simplifyField, userLocator } from '../../helpers/fields';
import { getSimplify, getUserId } from '../../helpers/params';
import { usersOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [userLocator(), simplifyField];

export const get: PumbleOperation = {
	description: forOperation('user', 'get', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		// Pumble has no "get user": it is found in the (briefly cached) workspace user list.
		const user = await api.getUser(await getUserId(this, api, i));
		return usersOut([user], getSimplify(this, i));
	},
};
