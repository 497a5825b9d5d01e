import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ListInput } from '../../../../core';
import { forOperation, limitField, returnAllField } from '../../helpers/fields';
import { listInput } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [returnAllField, limitField()];

export const getAll: PumbleOperation = {
	description: forOperation('userGroup', 'getAll', properties),
	input(this: IExecuteFunctions, i: number): ListInput {
		return listInput(this, i);
	},
};
