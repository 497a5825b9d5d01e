/**
 * Each parameter of each item is evaluated once per execution. The input check, the lanes and the run
 * all read the same values, and n8n's expression evaluation is the node's largest CPU cost per item
 * (most of it outside the node: n8n sets up an expression sandbox per evaluation).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

export function withParameterMemo(context: IExecuteFunctions): IExecuteFunctions {
	const memo = new Map<string, unknown>();
	const evaluate = context.getNodeParameter.bind(context) as (...args: unknown[]) => unknown;
	const memoized = Object.create(context) as IExecuteFunctions;
	memoized.getNodeParameter = ((...args: unknown[]) => {
		const key = JSON.stringify(args);
		if (memo.has(key)) return memo.get(key);
		const value = evaluate(...args); // an expression that throws is not remembered: it throws again
		memo.set(key, value);
		return value;
	}) as IExecuteFunctions['getNodeParameter'];
	return memoized;
}
