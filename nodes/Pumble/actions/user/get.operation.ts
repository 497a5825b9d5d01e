import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { User, UserInput } from '../../../../core';
import { forOperation, simplifyField, userLocator } from '../../helpers/fields';
import { getSimplify, userInput } from '../../helpers/params';
import { usersOut } from '../../helpers/simplify';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [userLocator(), simplifyField];

export const get: PumbleOperation = {
	description: forOperation('user', 'get', properties),
	input(this: IExecuteFunctions, i: number): { user: UserInput } {
		return { user: userInput(this, i) };
	},
	output(this: IExecuteFunctions, user: unknown, i: number) {
		return usersOut([user as User], getSimplify(this, i));
	},
};
