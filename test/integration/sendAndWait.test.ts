/**
 * Message → Send and Wait for Response against the sandbox over HTTP: what is posted (labelled links in
 * blocks, bare URLs in the text), what following a link does (a page only; the answer is the POST), the
 * output n8n resumes with, the edit of the message after the answer, and expiry.
 * The execute and webhook halves run in n8n-core's real contexts (test/helpers/runSendAndWait).
 */
import { NodeOperationError, WAIT_INDEFINITELY, type INodeParameters } from 'n8n-workflow';

import { PumbleApi, PumbleClient, createAxiosTransport, identityOf } from '../../core/withAxios';
import { expireAt, pendingExpiries, renderAnswered, renderWaiting } from '../../nodes/Pumble/actions/message/sendAndWait/rendering';
import { runSendAndWait, type SendAndWaitRun } from '../helpers/runSendAndWait';
import { byId, sandboxSuite } from '../helpers/sandboxSuite';

const suite = sandboxSuite('send-and-wait');
const ids = () => suite.sandbox.ids;
const messageById = (id: string) => suite.sandbox.state.messages.find((m) => m.id === id)!;
const linksIn = (blocks: unknown) => JSON.stringify(blocks ?? []).match(/"type":"link"/g)?.length ?? 0;
const urlsIn = (text: string) => text.match(/https?:\/\/\S+/g) ?? [];
/** The links of a message's text, in order (an empty string where there is none). */
const linkUrls = (text: string): [string, string] => [urlsIn(text)[0] ?? '', urlsIn(text)[1] ?? ''];

async function start(parameters: Record<string, unknown>): Promise<SendAndWaitRun & { messageId: string }> {
	const run = await runSendAndWait({
		parameters: { resource: 'message', operation: 'sendAndWait', ...parameters } as unknown as INodeParameters,
		credentials: { apiKey: suite.apiKey, baseUrl: suite.sandbox.url },
	});
	if (run.error) throw run.error;
	return { ...run, messageId: String(run.output[0].json.messageId) };
}

const toGeneral = { select: 'channel', channel: byId('') };
beforeEach(() => {
	toGeneral.channel = byId(ids().general);
});

async function waitFor(check: () => boolean): Promise<void> {
	while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('approval', () => {
	const approval = (approvalType: 'single' | 'double') => ({
		...toGeneral,
		message: 'Publish the **release notes**?',
		responseType: 'approval',
		approvalOptions: { values: { approvalType, approveLabel: 'Approve', disapproveLabel: 'Decline' } },
	});

	it('posts labelled links in blocks and the bare signed URLs in the text, then waits indefinitely', async () => {
		const run = await start(approval('double'));
		const posted = messageById(run.messageId);
		const [approveUrl, declineUrl] = linkUrls(posted.text);
		expect(new URL(approveUrl).searchParams.get('approved')).toBe('true');
		expect(new URL(declineUrl).searchParams.get('approved')).toBe('false');
		for (const url of [approveUrl, declineUrl]) {
			const query = new URL(url).searchParams;
			expect(query.get('signature')).toMatch(/^[0-9a-f]{64}$/);
			// the links name their message: the answering half edits it from there
			expect([query.get('channel'), query.get('message')]).toEqual([ids().general, run.messageId]);
		}
		expect(suite.calls().map((c) => c.path)).toEqual(['/sendMessage', '/editMessage']);
		expect(posted.text).toContain(`✅ Approve: ${approveUrl}`);
		expect(posted.text).toContain(`❌ Decline: ${declineUrl}`);
		expect(posted.blocks).toEqual(renderWaiting({ message: 'Publish the **release notes**?', choices: [
			{ kind: 'approve', label: 'Approve', url: approveUrl },
			{ kind: 'decline', label: 'Decline', url: declineUrl },
		] }).blocks);
		expect(run.waitTill).toEqual(WAIT_INDEFINITELY);
		expect(run.output).toEqual([
			{ json: { status: 'waiting', messageId: run.messageId, channelId: ids().general, waitingUntil: null }, pairedItem: { item: 0 } },
		]);
	});

	it('opening the approve link shows a confirmation page and records nothing; pressing it resumes with approved: true and edits the message', async () => {
		const run = await start(approval('double'));
		const waitingText = messageById(run.messageId).text;
		const [approveUrl] = linkUrls(waitingText);
		const opened = await run.follow(approveUrl, 'GET');
		expect(opened.resumedWith).toBeUndefined();
		expect(opened.html).toContain('<form method="post"');
		expect(messageById(run.messageId).text).toBe(waitingText);

		const pressed = await run.follow(approveUrl, 'POST');
		expect(pressed.resumedWith).toEqual([{ data: { approved: true } }]);
		const edited = messageById(run.messageId);
		expect(edited.text).toMatch(/^Publish the \*\*release notes\*\*\?\n\n✅ Approved · \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC$/);
		expect(urlsIn(edited.text)).toEqual([]);
		expect(linksIn(edited.blocks)).toBe(0);
	});

	it('the decline link resumes with approved: false and the message says declined', async () => {
		const run = await start(approval('double'));
		const [, declineUrl] = linkUrls(messageById(run.messageId).text);
		expect((await run.follow(declineUrl, 'POST')).resumedWith).toEqual([{ data: { approved: false } }]);
		expect(messageById(run.messageId).text).toContain('❌ Declined · ');
	});

	it('"Approve Only" offers one link', async () => {
		const run = await start(approval('single'));
		expect(urlsIn(messageById(run.messageId).text)).toHaveLength(1);
		expect(linksIn(messageById(run.messageId).blocks)).toBe(1);
	});

	it('to a user: a direct message, given its labelled links by an edit', async () => {
		const run = await start({ ...approval('double'), select: 'user', user: byId(ids().bob) });
		const posted = messageById(run.messageId);
		expect(posted.channelId).toBe(ids().adaBobDm);
		expect(linksIn(posted.blocks)).toBe(2);
		expect(suite.calls().map((c) => c.path)).toEqual(['/dmUser', '/editMessage']);
	});

	it('under a thread root when asked', async () => {
		const root = suite.sandbox.state.messages.find((m) => m.channelId === ids().general)!;
		const run = await start({ ...approval('single'), threadRootId: root.id });
		expect(messageById(run.messageId).threadRootId).toBe(root.id);
	});
});

describe('free text and custom forms', () => {
	it('free text: the link opens a form; an empty answer is refused; the text resumes the workflow', async () => {
		const run = await start({ ...toGeneral, message: 'What should the release be called?', responseType: 'freeText' });
		const [respondUrl] = linkUrls(messageById(run.messageId).text);
		expect(messageById(run.messageId).text).toContain(`Respond: ${respondUrl}`);
		const form = await run.follow(respondUrl, 'GET');
		expect(form.html).toContain('<textarea id="field-0" name="field-0"');
		expect(form.html).toContain('What should the release be called?');

		const empty = await run.follow(respondUrl, 'POST', { 'field-0': '  ' });
		expect(empty.status).toBe(400);
		expect(empty.resumedWith).toBeUndefined();

		const answered = await run.follow(respondUrl, 'POST', { 'field-0': 'Aurora' });
		expect(answered.resumedWith).toEqual([{ data: { text: 'Aurora' } }]);
		expect(messageById(run.messageId).text).toContain('\n\nResponded · ');
	});

	it('custom form: fields defined in the node come back under their labels, typed', async () => {
		const run = await start({
			...toGeneral,
			message: 'Order lunch',
			responseType: 'customForm',
			formFields: {
				values: [
					{ fieldLabel: 'Name', fieldType: 'text', requiredField: true },
					{ fieldLabel: 'Portions', fieldType: 'number' },
					{ fieldLabel: 'Extras', fieldType: 'checkbox', fieldOptions: { values: [{ option: 'Salad' }, { option: 'Soup' }] } },
				],
			},
			options: { messageButtonLabel: 'Order', responseFormTitle: 'Lunch' },
		});
		const [url] = linkUrls(messageById(run.messageId).text);
		expect(messageById(run.messageId).text).toContain(`Order: ${url}`);
		expect((await run.follow(url, 'GET')).html).toContain('<h1>Lunch</h1>');
		const answered = await run.follow(url, 'POST', { 'field-0': 'Ada', 'field-1': '2', 'field-2': ['Salad', 'Soup'] });
		expect(answered.resumedWith).toEqual([{ data: { Name: 'Ada', Portions: 2, Extras: ['Salad', 'Soup'] } }]);
	});

	it('custom form: fields given as JSON', async () => {
		const run = await start({
			...toGeneral,
			message: 'Rate it',
			responseType: 'customForm',
			defineForm: 'json',
			jsonOutput: JSON.stringify([{ fieldLabel: 'Score', fieldType: 'dropdown', fieldOptions: { values: [{ option: 'good' }, { option: 'bad' }] } }]),
		});
		const [url] = linkUrls(messageById(run.messageId).text);
		expect((await run.follow(url, 'POST', { 'field-0': 'good' })).resumedWith).toEqual([{ data: { Score: 'good' } }]);
	});
});

describe('the wait limit', () => {
	it('a limit is announced in the message and marks it expired when it passes without an answer', async () => {
		const run = await start({
			...toGeneral,
			message: 'Quick one?',
			responseType: 'approval',
			options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0.01, resumeUnit: 'minutes' } } },
		});
		expect(run.waitTill!.getTime()).toBeLessThan(WAIT_INDEFINITELY.getTime());
		expect(run.output[0].json.waitingUntil).toBe(run.waitTill!.toISOString());
		expect(messageById(run.messageId).text).toContain('Answer by ');
		await waitFor(() => messageById(run.messageId).text.includes('Expired'));
		expect(messageById(run.messageId).text).toMatch(/\n\n⌛ Expired: no answer in time · /);
		expect(linksIn(messageById(run.messageId).blocks)).toBe(0);
	});

	it('an answer before the limit stops the timer', async () => {
		const run = await start({
			...toGeneral,
			message: 'Later?',
			responseType: 'approval',
			options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'hours' } } },
		});
		expect(pendingExpiries()).toBe(1);
		await run.follow(linkUrls(messageById(run.messageId).text)[0], 'POST');
		expect(pendingExpiries()).toBe(0);
	});

	it('a timer that fires after an answer given elsewhere leaves the answer standing', async () => {
		const api = new PumbleApi(new PumbleClient({ transport: createAxiosTransport({ baseUrl: suite.sandbox.url, apiKey: suite.apiKey }), identity: identityOf(suite.apiKey) }));
		const choices = [{ kind: 'approve' as const, label: 'Approve', url: 'https://n8n.example.com/webhook-waiting/7/n?approved=true&signature=x' }];
		const sent = await api.sendMessage({ channel: { id: ids().general }, ...renderWaiting({ message: 'Go?', choices }) });
		const answered = renderAnswered({ message: 'Go?', outcome: 'approved', at: Date.now() });
		await api.editMessage({ channel: { id: sent.channelId }, messageId: sent.id, ...answered });
		const outcome = await expireAt('elsewhere', { api, channelId: sent.channelId, messageId: sent.id, message: 'Go?', choices, at: Date.now() });
		expect(outcome).toBe('answered');
		expect(messageById(sent.id).text).toBe(answered.text);
	});

	it('a limit in the past is refused before anything is sent', async () => {
		const run = await runSendAndWait({
			parameters: {
				resource: 'message',
				operation: 'sendAndWait',
				...toGeneral,
				message: 'Too late?',
				options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2020-01-01T00:00:00Z' } } },
			} as unknown as INodeParameters,
			credentials: { apiKey: suite.apiKey, baseUrl: suite.sandbox.url },
		});
		expect(run.error).toBeInstanceOf(NodeOperationError);
		expect(run.error!.message).toBe('The wait limit is in the past');
		expect(suite.calls()).toEqual([]);
	});
});
