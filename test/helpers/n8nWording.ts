/**
 * n8n's syntax and labels, which no text a Node-RED user sees may carry (issue #24): a finding names the
 * text, where it comes from, and which of these it names.
 */
export const N8N_WORDING: ReadonlyArray<{ name: string; pattern: RegExp }> = [
	{ name: 'an n8n expression ({{ }})', pattern: /\{\{|\}\}/ },
	{ name: "n8n's expression variables ($json, $node, $parameter, $('…'))", pattern: /\$json\b|\$node\b|\$parameter\b|\$\(['"]/ },
	{ name: '"workflow"', pattern: /\bworkflows?\b/i },
	{ name: '"execution"', pattern: /\bexecutions?\b/i },
	// Node-RED has credentials too: its own word, "a Node-RED credential", is allowed.
	{ name: '"credential" (n8n\'s)', pattern: /(?<!Node-RED )\bcredentials?\b/i },
	{ name: 'n8n\'s label "Send as Bot"', pattern: /Send as Bot/i },
	{ name: 'n8n\'s label "Update Fields"', pattern: /Update Fields/i },
	{ name: "an n8n setting (N8N_…, QUEUE_BULL_…, EXECUTIONS_MODE)", pattern: /\bN8N_|QUEUE_BULL_|EXECUTIONS_MODE/ },
];

export interface Finding {
	source: string;
	text: string;
	names: string;
}

/** Each of `texts` (by where it comes from) that names n8n's syntax or labels. */
export function n8nWordingIn(texts: ReadonlyArray<{ source: string; text: string }>): Finding[] {
	return texts.flatMap(({ source, text }) => N8N_WORDING.filter(({ pattern }) => pattern.test(text)).map(({ name }) => ({ source, text, names: name })));
}

/** What a user reads of a node's editor HTML: its help and its dialog, without the editor's script code. */
export function visibleHtmlText(html: string): string {
	return html
		.replace(/<script type="text\/javascript">[\s\S]*?<\/script>/g, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, '&')
		.replace(/\s+/g, ' ');
}
