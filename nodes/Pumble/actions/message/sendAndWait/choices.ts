/**
 * The links of the message, from the response type and labels: n8n's signed resume URLs of this waiting
 * execution and node (`?approved=true|false&channel=…&message=…&signature=…`), so a guessed or altered URL
 * resumes nothing. They name the message they sit in: n8n drops the waiting run's output before the answer
 * arrives, so the URL is what tells the answering half which message to edit.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { ID_PATTERN } from '../../../../../core/constants';
import type { Choice } from './rendering';

export type ResponseType = 'approval' | 'freeText' | 'customForm';

/** The message the links sit in. */
export interface MessageRef {
	channelId: string;
	messageId: string;
}

function resumeUrl(context: IExecuteFunctions, approved: boolean, ref: MessageRef): string {
	const parameters = { approved: String(approved), channel: ref.channelId, message: ref.messageId };
	if (typeof context.getSignedResumeUrl === 'function') return context.getSignedResumeUrl(parameters);
	// An n8n without signing: $execution.resumeUrl + '/' + node ID, as n8n's own nodes did.
	const base = String(context.evaluateExpression('{{ $execution?.resumeUrl }}', 0));
	return `${base}/${context.getNode().id}?${new URLSearchParams(parameters).toString()}`;
}

/** The message a request to the waiting URL is about (from its signed query), if it names one. */
export function messageRefOf(query: Record<string, unknown>): MessageRef | undefined {
	const channelId = typeof query.channel === 'string' ? query.channel : '';
	const messageId = typeof query.message === 'string' ? query.message : '';
	return ID_PATTERN.test(channelId) && ID_PATTERN.test(messageId) ? { channelId, messageId } : undefined;
}

export function choicesOf(context: IExecuteFunctions, ref: MessageRef): Choice[] {
	context.setSignatureValidationRequired?.();
	const responseType = context.getNodeParameter('responseType', 0, 'approval') as ResponseType;
	if (responseType === 'freeText' || responseType === 'customForm') {
		const label = context.getNodeParameter('options.messageButtonLabel', 0, 'Respond') as string;
		return [{ kind: 'respond', label: label || 'Respond', url: resumeUrl(context, true, ref) }];
	}
	const values = context.getNodeParameter('approvalOptions.values', 0, {}) as IDataObject;
	const approve: Choice = { kind: 'approve', label: String(values.approveLabel || 'Approve'), url: resumeUrl(context, true, ref) };
	if (values.approvalType !== 'double') return [approve];
	return [approve, { kind: 'decline', label: String(values.disapproveLabel || 'Decline'), url: resumeUrl(context, false, ref) }];
}
