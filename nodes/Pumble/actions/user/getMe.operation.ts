import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../core';
import { forOperation, simplifyField } from '../../helpers/fields';
import { getSimplify } from '../../helpers/params';
import { usersOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [simplifyField];

export const getMe: PumbleOperation = {
	description: forOperation('user', 'getMe', properties),
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		return usersOut([await api.myInfo()], getSimplify(this, i));
	},
};
