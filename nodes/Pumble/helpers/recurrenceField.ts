/** The repeat rule of a scheduled message: a type, and optionally an end (after N sends, or on a date). */
import type { INodeProperties } from 'n8n-workflow';

const RECURRENCE_TYPE_OPTIONS = [
	{ name: 'Daily', value: 'DAILY' },
	{ name: 'Every Weekday (Monday to Friday)', value: 'BUSINESSDAYS' },
	{ name: 'Weekly', value: 'WEEKLY' },
	{ name: 'Every Two Weeks', value: 'BIWEEKLY' },
	{ name: 'Monthly on the Same Weekday', value: 'MONTHLY_NTH_WEEKDAY', description: 'E.g. every second Tuesday.' },
	{ name: 'Monthly on the Last Weekday', value: 'MONTHLY_LAST_WEEKDAY', description: 'E.g. every last Friday.' },
	{ name: 'Quarterly on the Same Weekday', value: 'QUARTERLY_NTH_WEEKDAY' },
	{ name: 'Quarterly on the Last Weekday', value: 'QUARTERLY_LAST_WEEKDAY' },
	{ name: 'Annually', value: 'ANNUALLY' },
];

/** Without a "none" choice a rule always repeats: daily is the first choice. */
const repeatDefault = (allowNone: boolean | undefined): string => (allowNone ? 'none' : 'DAILY');

export const recurrenceField = (options: { allowNone?: boolean } = {}): INodeProperties => ({
	displayName: 'Recurrence',
	name: 'recurrence',
	type: 'fixedCollection',
	default: {},
	placeholder: 'Add recurrence',
	description: 'Send the message again on a schedule, starting at "Send At"',
	options: [
		{
			displayName: 'Rule',
			name: 'rule',
			values: [
				{
					displayName: 'Repeat',
					name: 'type',
					type: 'options',
					default: repeatDefault(options.allowNone),
					options: [
						...(options.allowNone
							? [{ name: 'Does Not Repeat', value: 'none', description: 'Remove the recurrence: send once' }]
							: []),
						...RECURRENCE_TYPE_OPTIONS,
					],
				},
				{
					displayName: 'End After (Occurrences)',
					name: 'endAfterOccurrences',
					type: 'number',
					default: 0,
					typeOptions: { minValue: 0, maxValue: 9999 },
					description: 'Stop after this many sends; 0 = no limit',
				},
				{
					displayName: 'End Date',
					name: 'endDate',
					type: 'dateTime',
					default: '',
					description: 'Stop repeating after this date; empty = no end date',
				},
			],
		},
	],
});
