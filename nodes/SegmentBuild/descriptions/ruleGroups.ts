import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { channelOptions, keyDateOptions } from './common';

const numberOperators: INodePropertyOptions[] = [
	{ name: 'Equals', value: 'equals' },
	{ name: 'Greater Than', value: 'gt' },
	{ name: 'Greater Than or Equal', value: 'gte' },
	{ name: 'Less Than', value: 'lt' },
	{ name: 'Less Than or Equal', value: 'lte' },
	{ name: 'Not Equals', value: 'notEquals' },
];

const conditionValues: INodeProperties[] = [
	{
		displayName: 'Rule',
		name: 'type',
		type: 'options',
		options: [
			{
				name: 'Activity Declining',
				value: 'activityDeclining',
				description: 'Weekly activity fell week on week for N weeks in a row',
			},
			{ name: 'Consent', value: 'consent', description: 'Consent for a channel is given or not' },
			{
				name: 'Days Since',
				value: 'daysSince',
				description: 'Days since the last purchase or activity (none counts as never)',
			},
			{ name: 'Field', value: 'field', description: 'Any member field compared with a value' },
			{
				name: 'Key Date Step Due Today',
				value: 'keyDateStep',
				description: 'A step of the key date cadence (warm-up, reminder, greeting) is due today',
			},
			{
				name: 'Key Date Within',
				value: 'keyDateWithin',
				description: 'Birthday or anniversary within the next N days, today included',
			},
			{ name: 'Points', value: 'points', description: 'Points compared with a number' },
			{
				name: 'Points Expiring Within',
				value: 'pointsExpiringWithin',
				description: 'Points expire within the next N days, today included',
			},
			{ name: 'Tier', value: 'tier', description: 'The member’s tier is or is not one of a list' },
		],
		default: 'tier',
	},
	{
		displayName: 'Tier Operator',
		name: 'tierOperator',
		type: 'options',
		options: [
			{ name: 'Is One Of', value: 'isIn' },
			{ name: 'Is Not One Of', value: 'isNotIn' },
		],
		default: 'isIn',
		displayOptions: { show: { type: ['tier'] } },
	},
	{
		displayName: 'Tiers',
		name: 'tiers',
		type: 'string',
		default: '',
		placeholder: 'e.g. Gold, Platinum',
		description: 'Comma-separated tier names, matched case-insensitively',
		displayOptions: { show: { type: ['tier'] } },
	},
	{
		displayName: 'Days Since',
		name: 'dateOf',
		type: 'options',
		options: [
			{ name: 'Last Activity', value: 'lastActivity' },
			{ name: 'Last Purchase', value: 'lastPurchase' },
		],
		default: 'lastPurchase',
		displayOptions: { show: { type: ['daysSince'] } },
	},
	{
		displayName: 'Key Date',
		name: 'keyDate',
		type: 'options',
		options: keyDateOptions,
		default: 'birthday',
		displayOptions: { show: { type: ['keyDateWithin', 'keyDateStep'] } },
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: channelOptions,
		default: 'email',
		displayOptions: { show: { type: ['consent'] } },
	},
	{
		displayName: 'Consent Given',
		name: 'consentGiven',
		type: 'boolean',
		default: true,
		description: 'Whether the rule matches members who gave consent (or members who did not)',
		displayOptions: { show: { type: ['consent'] } },
	},
	{
		displayName: 'Field',
		name: 'field',
		type: 'string',
		default: '',
		placeholder: 'e.g. profile.city',
		description:
			'Dot path of the member field. Empty uses the field set under Member Fields for this rule.',
	},
	{
		displayName: 'Operator',
		name: 'numberOperator',
		type: 'options',
		options: numberOperators,
		default: 'gt',
		displayOptions: { show: { type: ['points', 'daysSince'] } },
	},
	{
		displayName: 'Operator',
		name: 'fieldOperator',
		type: 'options',
		options: [
			{ name: 'Contains', value: 'contains' },
			{ name: 'Equals', value: 'equals' },
			{ name: 'Exists', value: 'exists' },
			{ name: 'Greater Than', value: 'gt' },
			{ name: 'Greater Than or Equal', value: 'gte' },
			{ name: 'Is Not One Of', value: 'isNotIn' },
			{ name: 'Is One Of', value: 'isIn' },
			{ name: 'Less Than', value: 'lt' },
			{ name: 'Less Than or Equal', value: 'lte' },
			{ name: 'Not Contains', value: 'notContains' },
			{ name: 'Not Equals', value: 'notEquals' },
			{ name: 'Not Exists', value: 'notExists' },
		],
		default: 'equals',
		displayOptions: { show: { type: ['field'] } },
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		description:
			'Compared as numbers when both sides are numbers, otherwise as text (case-insensitive)',
		displayOptions: { show: { type: ['points', 'daysSince', 'field'] } },
	},
	{
		displayName: 'Days',
		name: 'days',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 7,
		displayOptions: { show: { type: ['keyDateWithin', 'pointsExpiringWithin'] } },
	},
	{
		displayName: 'Weeks in a Row',
		name: 'weeks',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 3,
		description: 'Number of week-on-week declines at the end of the weekly series',
		displayOptions: { show: { type: ['activityDeclining'] } },
	},
	{
		displayName: 'Measure',
		name: 'metric',
		type: 'options',
		options: [
			{ name: 'Activity Count', value: 'count' },
			{ name: 'Points', value: 'points' },
		],
		default: 'count',
		description: 'For weekly entries that are objects: which number to follow',
		displayOptions: { show: { type: ['activityDeclining'] } },
	},
];

/** How the rule groups combine. */
export const groupCombinator: INodeProperties = {
	displayName: 'Match',
	name: 'combinator',
	type: 'options',
	options: [
		{ name: 'All Groups (AND)', value: 'and' },
		{ name: 'Any Group (OR)', value: 'or' },
	],
	default: 'and',
	description: 'How the rule groups combine',
};

export const ruleGroups: INodeProperties = {
	displayName: 'Rule Groups',
	name: 'groups',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Rule Group',
	default: {},
	description: 'No groups means every member matches (guardrails still apply)',
	options: [
		{
			displayName: 'Group',
			name: 'group',
			values: [
				{
					displayName: 'Match',
					name: 'combinator',
					type: 'options',
					options: [
						{ name: 'All Conditions (AND)', value: 'and' },
						{ name: 'Any Condition (OR)', value: 'or' },
					],
					default: 'and',
				},
				{
					displayName: 'Conditions',
					name: 'conditions',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					placeholder: 'Add Condition',
					default: {},
					options: [{ displayName: 'Condition', name: 'condition', values: conditionValues }],
				},
			],
		},
	],
};
