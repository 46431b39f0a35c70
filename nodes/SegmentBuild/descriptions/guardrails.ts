import type { INodeProperties } from 'n8n-workflow';

export const guardrails: INodeProperties = {
	displayName: 'Guardrails',
	name: 'guardrails',
	type: 'collection',
	placeholder: 'Add Guardrail',
	default: {},
	options: [
		{
			displayName: 'Blocklist Email Field',
			name: 'blocklistEmailField',
			type: 'string',
			default: 'email',
			description: 'Email field of the items on the Blocklist input',
		},
		{
			displayName: 'Blocklist Member ID Field',
			name: 'blocklistIdField',
			type: 'string',
			default: 'id',
			description: 'Member ID field of the items on the Blocklist input',
		},
		{
			displayName: 'De-Duplicate by Email',
			name: 'dedupeByEmail',
			type: 'boolean',
			default: true,
			description:
				'Whether a later member with the same email (trimmed, lower-case) counts as a duplicate',
		},
		{
			displayName: 'Frequency Cap Days',
			name: 'frequencyCapDays',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 7,
		},
		{
			displayName: 'Frequency Cap Touches',
			name: 'frequencyCapTouches',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'At most this many touches per member in the cap days (calendar days in the member’s time zone, today included), counted from the Touch History Field; 0 turns the cap off',
		},
		{
			displayName: 'Holdout Percent',
			name: 'holdoutPercent',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 2 },
			default: 0,
			description: 'Share of eligible members held out (same members every run) to measure lift',
		},
		{
			displayName: 'Holdout Salt',
			name: 'holdoutSalt',
			type: 'string',
			default: '',
			placeholder: 'e.g. spring-campaign',
			description: 'Changes which members are held out; use one per campaign',
		},
		{
			displayName: 'Require Opt-In',
			name: 'requireOptIn',
			type: 'boolean',
			default: false,
			description:
				'Whether a channel needs explicit consent; otherwise only an opt-out or unsubscribe blocks it',
		},
		{
			displayName: 'Sensitive Segments',
			name: 'sensitiveSegments',
			type: 'string',
			default: '',
			placeholder: 'e.g. vip-complaint, minors',
			description:
				'Members in any of these segments go to Excluded as needs_approval instead of being sent',
		},
	],
};
