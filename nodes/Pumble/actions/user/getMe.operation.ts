import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { forOperation, simplifyField } from '../../helpers/fields';
import { getSimplify } from '../../helpers/params';
import { usersOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [simplifyField];

export const getMe: PumbleOperation = {
	description: forOperation('user', 'getMe', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		// Fresh, not the cached identity: the status or name may have just changed (e.g. Set Custom Status).
		return usersOut([await api.myInfo({ fresh: true })], getSimplify(this, i));
	},
};
