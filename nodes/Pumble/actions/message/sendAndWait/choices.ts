/**
 * The links of the message, from the response type and labels: n8n's signed resume URLs of this waiting
 * execution and node (`?approved=true|false&signature=…`), so a guessed or altered URL resumes nothing.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { Choice } from '../../../core/sendAndWait';

export type ResponseType = 'approval' | 'freeText' | 'customForm';

function resumeUrl(context: IExecuteFunctions, approved: boolean): string {
	if (typeof context.getSignedResumeUrl === 'function') return context.getSignedResumeUrl({ approved: String(approved) });
	// An n8n without signing: $execution.resumeUrl + '/' + node ID, as n8n's own nodes did.
	const base = String(context.evaluateExpression('{{ $execution?.resumeUrl }}', 0));
	return `${base}/${context.getNode().id}?approved=${approved}`;
}

export function choicesOf(context: IExecuteFunctions): Choice[] {
	context.setSignatureValidationRequired?.();
	const responseType = context.getNodeParameter('responseType', 0, 'approval') as ResponseType;
	if (responseType === 'freeText' || responseType === 'customForm') {
		const label = context.getNodeParameter('options.messageButtonLabel', 0, 'Respond') as string;
		return [{ kind: 'respond', label: label || 'Respond', url: resumeUrl(context, true) }];
	}
	const values = context.getNodeParameter('approvalOptions.values', 0, {}) as IDataObject;
	const approve: Choice = { kind: 'approve', label: String(values.approveLabel || 'Approve'), url: resumeUrl(context, true) };
	if (values.approvalType !== 'double') return [approve];
	return [approve, { kind: 'decline', label: String(values.disapproveLabel || 'Decline'), url: resumeUrl(context, false) }];
}
