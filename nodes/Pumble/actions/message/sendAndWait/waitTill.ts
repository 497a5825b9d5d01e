/** Options → Limit Wait Time as the date n8n resumes the execution on its own (n8n's convention: none = indefinitely). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';
import { getDate } from '../../../helpers/params';

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

export function waitTillDate(context: IExecuteFunctions, now = Date.now()): Date {
	const limit = context.getNodeParameter('options.limitWaitTime.values', 0, {}) as IDataObject;
	if (!limit || Object.keys(limit).length === 0) return WAIT_INDEFINITELY;
	const fail = (message: string, description: string) =>
		new NodeOperationError(context.getNode(), message, { itemIndex: 0, description });
	if ((limit.limitType ?? 'afterTimeInterval') === 'afterTimeInterval') {
		const amount = Number(limit.resumeAmount ?? 1);
		const unit = UNIT_MS[String(limit.resumeUnit ?? 'hours')];
		if (!Number.isFinite(amount) || amount < 0 || unit === undefined) {
			throw fail('Could not configure Limit Wait Time', `"${String(limit.resumeAmount)} ${String(limit.resumeUnit)}" is not a time interval: give a number of minutes, hours or days.`);
		}
		return new Date(now + amount * unit);
	}
	let at: number;
	try {
		at = getDate(context, limit.maxDateAndTime, 'options.limitWaitTime.maxDateAndTime');
	} catch (error) {
		throw fail('Could not configure Limit Wait Time', (error as Error).message);
	}
	if (at <= now) {
		throw fail('The wait limit is in the past', `Max Date and Time is ${new Date(at).toISOString()}: give a later time, or remove the limit.`);
	}
	return new Date(at);
}
