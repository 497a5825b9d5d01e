import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { User } from '../../../../core';
import { forOperation, simplifyField } from '../../helpers/fields';
import { getSimplify } from '../../helpers/params';
import { usersOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [simplifyField];

export const getMe: PumbleOperation = {
	description: forOperation('user', 'getMe', properties),
	input: () => ({}),
	output(this: IExecuteFunctions, me: unknown, i: number) {
		return usersOut([me as User], getSimplify(this, i));
	},
};
