/**
 * The answer form: its fields as n8n's Form node names them (defined in the node or as JSON), their HTML
 * inputs, and the submitted values read back as `{ <field label>: value }`.
 */
import type { FormFieldsParameter, INodeProperties } from 'n8n-workflow';
import { tryToParseJsonToFormFields } from 'n8n-workflow';
import { escapeHtml } from './html';

export type FormField = FormFieldsParameter[number];

const FIELD_TYPES = ['text', 'textarea', 'number', 'email', 'password', 'date', 'dropdown', 'radio', 'checkbox'] as const;

export const formFieldsProperties: INodeProperties[] = [
	{
		displayName: 'Define Form',
		name: 'defineForm',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'fields',
	},
	{
		displayName: 'Form Fields',
		name: 'jsonOutput',
		type: 'json',
		typeOptions: { rows: 5 },
		default: '[\n  {\n    "fieldLabel": "Name",\n    "placeholder": "e.g. Ada",\n    "requiredField": true\n  }\n]',
		description: 'A JSON array of fields: fieldLabel, fieldType (text, textarea, number, email, password, date, dropdown, radio, checkbox), placeholder, requiredField, fieldOptions.values[].option',
		displayOptions: { show: { defineForm: ['json'] } },
	},
	{
		displayName: 'Form Elements',
		name: 'formFields',
		placeholder: 'Add Form Element',
		type: 'fixedCollection',
		default: {},
		typeOptions: { multipleValues: true, sortable: true },
		displayOptions: { show: { defineForm: ['fields'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Element Type',
						name: 'fieldType',
						type: 'options',
						default: 'text',
						options: [
							{ name: 'Checkboxes', value: 'checkbox' },
							{ name: 'Date', value: 'date' },
							{ name: 'Dropdown List', value: 'dropdown' },
							{ name: 'Email', value: 'email' },
							{ name: 'Number', value: 'number' },
							{ name: 'Password', value: 'password' },
							{ name: 'Radio Buttons', value: 'radio' },
							{ name: 'Text', value: 'text' },
							{ name: 'Textarea', value: 'textarea' },
						],
					},
					{ displayName: 'Field Name', name: 'fieldLabel', type: 'string', default: '', placeholder: 'e.g. What is your name?', required: true },
					{
						displayName: 'Field Options',
						name: 'fieldOptions',
						placeholder: 'Add Field Option',
						type: 'fixedCollection',
						default: { values: [{ option: '' }] },
						required: true,
						displayOptions: { show: { fieldType: ['dropdown', 'radio', 'checkbox'] } },
						typeOptions: { multipleValues: true, sortable: true },
						options: [{ displayName: 'Values', name: 'values', values: [{ displayName: 'Option', name: 'option', type: 'string', default: '' }] }],
					},
					{
						displayName: 'Placeholder',
						name: 'placeholder',
						type: 'string',
						default: '',
						displayOptions: { show: { fieldType: ['text', 'textarea', 'number', 'email', 'password'] } },
					},
					{
						displayName: 'Required Field',
						name: 'requiredField',
						type: 'boolean',
						default: false,
						description: 'Whether to require the user to enter a value for this field before submitting the form',
					},
				],
			},
		],
	},
];

/** The fields from the node's JSON parameter (throws with a readable message when it is not a field list). */
export function parseJsonFields(json: unknown): FormField[] {
	return tryToParseJsonToFormFields(typeof json === 'string' ? json : JSON.stringify(json));
}

const inputName = (index: number) => `field-${index}`;
const typeOf = (field: FormField): (typeof FIELD_TYPES)[number] =>
	(FIELD_TYPES as readonly string[]).includes(field.fieldType ?? 'text') ? (field.fieldType as (typeof FIELD_TYPES)[number]) : 'text';
const optionsOf = (field: FormField): string[] => (field.fieldOptions?.values ?? []).map((value) => String(value.option ?? ''));

/** The HTML of one field: its label and input, named `field-<index>`. */
export function fieldHtml(field: FormField, index: number): string {
	const name = inputName(index);
	const label = escapeHtml(field.fieldLabel);
	const required = field.requiredField ? ' required' : '';
	const placeholder = field.placeholder ? ` placeholder="${escapeHtml(field.placeholder)}"` : '';
	const type = typeOf(field);
	if (type === 'textarea') return `<label for="${name}">${label}</label><textarea id="${name}" name="${name}" rows="5"${placeholder}${required}></textarea>`;
	if (type === 'dropdown') {
		const options = optionsOf(field).map((option) => `<option value="${escapeHtml(option)}">${escapeHtml(option)}</option>`);
		return `<label for="${name}">${label}</label><select id="${name}" name="${name}"${required}><option value=""></option>${options.join('')}</select>`;
	}
	if (type === 'radio' || type === 'checkbox') {
		const choices = optionsOf(field).map(
			(option, i) =>
				`<label class="choice"><input type="${type}" name="${name}" value="${escapeHtml(option)}"${type === 'radio' && field.requiredField && i === 0 ? ' required' : ''}> ${escapeHtml(option)}</label>`,
		);
		return `<fieldset><legend>${label}</legend>${choices.join('')}</fieldset>`;
	}
	return `<label for="${name}">${label}</label><input id="${name}" name="${name}" type="${type}"${placeholder}${required}>`;
}

/** The submitted body (urlencoded, or n8n's `{ data }` shape) as `{ <label>: value }`; a list of problems if required fields are empty. */
export function readAnswers(fields: FormField[], body: unknown): { values: Record<string, unknown>; missing: string[] } {
	const source = (body && typeof body === 'object' && 'data' in body ? (body as { data: unknown }).data : body) as Record<string, unknown> | undefined;
	const values: Record<string, unknown> = {};
	const missing: string[] = [];
	fields.forEach((field, index) => {
		const raw = source?.[inputName(index)];
		const list = (Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw]).map(String);
		const type = typeOf(field);
		let value: unknown;
		if (type === 'checkbox') value = list;
		else if (type === 'number') value = list.length ? Number(list[0]) : null;
		else value = list[0] ?? '';
		if (field.requiredField && (list.length === 0 || list[0].trim() === '')) missing.push(field.fieldLabel);
		values[field.fieldLabel] = value;
	});
	return { values, missing };
}
