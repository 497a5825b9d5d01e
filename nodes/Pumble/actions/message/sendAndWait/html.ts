/**
 * The pages a person sees after following a link of the message: a confirmation page (a link only opens
 * it; the answer is recorded when its button is pressed, so link previews and scanners answer nothing),
 * the answer form, and the "recorded" page. Self-contained HTML, no scripts, no external resources.
 */

export function escapeHtml(value: unknown): string {
	return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f5f7;margin:0;padding:40px 16px;color:#1d1c1d}
main{max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:28px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:20px;margin:0 0 12px}p.message{white-space:pre-wrap;line-height:1.45}
label,legend{display:block;font-weight:600;margin:16px 0 6px}label.choice{font-weight:400;margin:4px 0}
input:not([type=radio]):not([type=checkbox]),select,textarea{width:100%;box-sizing:border-box;padding:8px;border:1px solid #c4c6cc;border-radius:4px;font:inherit}
fieldset{border:0;padding:0;margin:0}
button{margin-top:20px;padding:10px 18px;border:0;border-radius:4px;background:#2e6be6;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.decline{background:#b3261e}`;

function page(title: string, body: string): string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** `action` is the URL the page was opened with (path and signed query): the answer is posted back to it. */
export function confirmPage(input: { message: string; label: string; approved: boolean; action: string }): string {
	return page(
		input.label,
		`<h1>${escapeHtml(input.label)}?</h1><p class="message">${escapeHtml(input.message)}</p>` +
			`<form method="post" action="${escapeHtml(input.action)}"><input type="hidden" name="approved" value="${input.approved}">` +
			`<button type="submit"${input.approved ? '' : ' class="decline"'}>${escapeHtml(input.label)}</button></form>`,
	);
}

export function formPage(input: { title: string; description: string; fieldsHtml: string[]; buttonLabel: string; action: string; problem?: string }): string {
	return page(
		input.title || 'Your answer',
		`${input.title ? `<h1>${escapeHtml(input.title)}</h1>` : ''}<p class="message">${escapeHtml(input.description)}</p>` +
			(input.problem ? `<p role="alert"><strong>${escapeHtml(input.problem)}</strong></p>` : '') +
			`<form method="post" action="${escapeHtml(input.action)}">${input.fieldsHtml.join('')}<button type="submit">${escapeHtml(input.buttonLabel || 'Submit')}</button></form>`,
	);
}

export function recordedPage(status: string): string {
	return page('Answer recorded', `<h1>Got it, thanks</h1><p>${escapeHtml(status)}. This page can be closed now.</p>`);
}
