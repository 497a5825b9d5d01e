/**
 * Send and Wait, the answering half: n8n calls this for a request to the waiting execution's URL, after
 * checking its signature. Opening a link only shows a page (confirmation or form); the answer is the POST
 * from that page. It edits the message to show the outcome (links removed) and resumes the workflow with
 * n8n's output shape: `{ data: { approved } }`, `{ data: { text } }` or `{ data: { <field>: value } }`.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { cancelExpiry, choiceLabel, type Outcome, renderAnswered } from './rendering';
import { getPumbleApi } from '../../../transport';
import { messageRefOf, type ResponseType } from './choices';
import { waitingKey } from './execute';
import { fieldHtml, type FormField, parseJsonFields, readAnswers } from './formFields';
import { confirmPage, formPage, recordedPage } from './html';

const FREE_TEXT_FIELD: FormField = { fieldLabel: 'Response', fieldType: 'textarea', requiredField: true };

const STATUS: Record<Outcome, string> = { approved: '✅ Approved', declined: '❌ Declined', responded: 'Responded', expired: 'Expired' };

async function answer(context: IWebhookFunctions, outcome: Outcome, data: IDataObject): Promise<IWebhookResponseData> {
	const waiting = messageRefOf(context.getRequestObject().query as Record<string, unknown>);
	if (waiting) {
		cancelExpiry(waitingKey(context.getExecutionId(), context.getNode().id));
		const message = String(context.getNodeParameter('message', ''));
		try {
			const api = await getPumbleApi(context);
			const answered = renderAnswered({ message, outcome, at: Date.now(), timeZone: context.getTimezone() });
			await api.editMessage({ channel: { id: waiting.channelId }, messageId: waiting.messageId, ...answered });
		} catch (error) {
			context.logger?.warn(`Pumble: the answer was recorded, but message ${waiting.messageId} could not be updated (${(error as Error).message})`);
		}
	} else {
		context.logger?.warn('Pumble: the answer was recorded; its link named no message to update');
	}
	return { webhookResponse: recordedPage(STATUS[outcome]), workflowData: [[{ json: { data } }]] };
}

function sendPage(context: IWebhookFunctions, html: string, status = 200): IWebhookResponseData {
	const res = context.getResponseObject();
	res.status(status).setHeader('Content-Type', 'text/html; charset=utf-8');
	res.setHeader('Cache-Control', 'no-store');
	res.end(html);
	return { noWebhookResponse: true };
}

function formFields(context: IWebhookFunctions, responseType: ResponseType): FormField[] {
	if (responseType === 'freeText') return [FREE_TEXT_FIELD];
	if (context.getNodeParameter('defineForm', 'fields') === 'json') {
		try {
			return parseJsonFields(context.getNodeParameter('jsonOutput', '[]'));
		} catch (error) {
			throw new NodeOperationError(context.getNode(), `The form's JSON is not a list of fields: ${(error as Error).message}`);
		}
	}
	return context.getNodeParameter('formFields.values', []) as FormField[];
}

export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const responseType = this.getNodeParameter('responseType', 'approval') as ResponseType;
	const message = String(this.getNodeParameter('message', ''));
	const action = req.originalUrl ?? req.url;
	const isPost = req.method === 'POST';

	if (responseType === 'approval') {
		const approved = String((req.query as IDataObject).approved) === 'true';
		if (!isPost) {
			const values = this.getNodeParameter('approvalOptions.values', {}) as IDataObject;
			const label = approved
				? choiceLabel({ kind: 'approve', label: String(values.approveLabel || 'Approve') })
				: choiceLabel({ kind: 'decline', label: String(values.disapproveLabel || 'Decline') });
			return sendPage(this, confirmPage({ message, label, approved, action }));
		}
		return await answer(this, approved ? 'approved' : 'declined', { approved });
	}

	const fields = formFields(this, responseType);
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const show = (problem?: string) =>
		sendPage(
			this,
			formPage({
				title: String(options.responseFormTitle || ''),
				description: String(options.responseFormDescription || message),
				fieldsHtml: fields.map(fieldHtml),
				buttonLabel: String(options.responseFormButtonLabel || 'Submit'),
				action,
				problem,
			}),
			problem ? 400 : 200,
		);
	if (!isPost) return show();
	const { values, missing } = readAnswers(fields, this.getBodyData());
	if (missing.length > 0) return show(`Please fill in: ${missing.join(', ')}`);
	return await answer(this, 'responded', responseType === 'freeText' ? { text: values[FREE_TEXT_FIELD.fieldLabel] as string } : (values as IDataObject));
}
