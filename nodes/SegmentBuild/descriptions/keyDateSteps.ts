import type { INodeProperties } from 'n8n-workflow';

export const keyDateSteps: INodeProperties = {
	displayName: 'Key Date Steps',
	name: 'keyDateSteps',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Step',
	description:
		'What to send how many days before a birthday or anniversary. Each step is due on exactly one day, so nothing is sent twice.',
	default: {
		step: [
			{ daysBefore: 7, name: 'warm-up' },
			{ daysBefore: 3, name: 'reminder' },
			{ daysBefore: 1, name: 'reminder' },
			{ daysBefore: 0, name: 'greeting' },
		],
	},
	options: [
		{
			displayName: 'Step',
			name: 'step',
			values: [
				{
					displayName: 'Days Before',
					name: 'daysBefore',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
				},
				{
					displayName: 'Step Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. reminder',
				},
			],
		},
	],
};
