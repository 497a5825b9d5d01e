import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { PumbleApi } from '../../../../core';
import { forOperation, limitField, returnAllField } from '../../helpers/fields';
import { getLimit } from '../../helpers/params';
import type { PumbleOperation } from '../types';

const properties: INodeProperties[] = [returnAllField, limitField()];

export const getAll: PumbleOperation = {
	description: forOperation('userGroup', 'getAll', properties),
	readOnly: true,
	async execute(this: IExecuteFunctions, api: PumbleApi, i: number) {
		const limit = getLimit(this, i);
		// /listUserGroups has no paging: everything comes at once, so slice here.
		const groups = await api.listUserGroups();
		return (limit === undefined ? groups : groups.slice(0, limit)) as unknown as IDataObject[];
	},
};
