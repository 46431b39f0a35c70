import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { asOfOption, feb29Option, timeZoneOption } from '../../shared/descriptions';

/**
 * Member field paths and their defaults. The defaults follow the Annex Cloud member shape the
 * package's Annex Cloud node and sandbox produce; a collection option the user never added is
 * absent from the parameters, so the node reads these same defaults.
 */
export const MEMBER_FIELD_DEFAULTS = {
	anniversaryField: 'anniversaryDate',
	birthdayField: 'birthDate',
	blocklistedField: '',
	emailConsentField: 'consent.email',
	expiringPointsField: 'pointsToExpire',
	interestsField: 'interests',
	lastActivityField: 'lastActivityDate',
	lastPurchaseField: 'lastPurchaseDate',
	phoneField: 'phone',
	pointsExpiryDateField: 'pointsToExpireDate',
	pointsField: 'availablePoints',
	previousMembershipField: '',
	pushConsentField: 'consent.push',
	pushTokenField: '',
	segmentsField: 'segments',
	smsConsentField: 'consent.sms',
	tierField: 'tier',
	timeZoneField: 'timeZone',
	touchHistoryField: 'touches',
	unsubscribedChannelsField: 'unsubscribedChannels',
	weeklyActivityField: 'weeklyActivity',
};

export type MemberFieldName = keyof typeof MEMBER_FIELD_DEFAULTS;

const memberField = (
	name: MemberFieldName,
	displayName: string,
	description: string,
): INodeProperties => {
	const fallback = MEMBER_FIELD_DEFAULTS[name];
	return { displayName, name, type: 'string', default: fallback, description };
};

const numberOperators: INodePropertyOptions[] = [
	{ name: 'Equals', value: 'equals' },
	{ name: 'Greater Than', value: 'gt' },
	{ name: 'Greater Than or Equal', value: 'gte' },
	{ name: 'Less Than', value: 'lt' },
	{ name: 'Less Than or Equal', value: 'lte' },
	{ name: 'Not Equals', value: 'notEquals' },
];

const channelOptions: INodePropertyOptions[] = [
	{ name: 'App Push', value: 'push' },
	{ name: 'Email', value: 'email' },
	{ name: 'SMS', value: 'sms' },
];

const keyDateOptions: INodePropertyOptions[] = [
	{ name: 'Anniversary', value: 'anniversary' },
	{ name: 'Birthday', value: 'birthday' },
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

const ruleGroups: INodeProperties = {
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

const keyDateSteps: INodeProperties = {
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

const outreachChannels: INodeProperties = {
	displayName: 'Outreach Channels',
	name: 'channels',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Channel',
	description:
		'Channels in order of preference, with the send time in the member’s time zone (the outreach rhythm)',
	default: {
		channel: [
			{ channel: 'email', time: '10:00', dayOffset: 0 },
			{ channel: 'sms', time: '10:00', dayOffset: 0 },
			{ channel: 'push', time: '10:00', dayOffset: 0 },
		],
	},
	options: [
		{
			displayName: 'Channel',
			name: 'channel',
			values: [
				{
					displayName: 'Channel',
					name: 'channel',
					type: 'options',
					options: channelOptions,
					default: 'email',
				},
				{
					displayName: 'Days After Today',
					name: 'dayOffset',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
				},
				{
					displayName: 'Send Time',
					name: 'time',
					type: 'string',
					default: '10:00',
					placeholder: 'HH:mm',
					description: 'Local time in the member’s time zone, 24-hour HH:mm',
				},
			],
		},
	],
};

const offerCatalog: INodeProperties = {
	displayName: 'Offer Catalog',
	name: 'offers',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Offer',
	description:
		'Gift packages or offers. Each member gets the best eligible one in stock: most interests matched, then highest expected value less cost.',
	default: {},
	options: [
		{
			displayName: 'Offer',
			name: 'offer',
			values: [
				{ displayName: 'Cost', name: 'cost', type: 'number', default: 0 },
				{
					displayName: 'Eligible Tiers',
					name: 'eligibleTiers',
					type: 'string',
					default: '',
					placeholder: 'e.g. Gold, Platinum',
					description: 'Comma-separated; empty means every tier',
				},
				{ displayName: 'Expected Value', name: 'expectedValue', type: 'number', default: 0 },
				{
					displayName: 'Interest Tags',
					name: 'interestTags',
					type: 'string',
					default: '',
					placeholder: 'e.g. travel, dining',
				},
				{
					displayName: 'Inventory',
					name: 'inventory',
					type: 'number',
					typeOptions: { minValue: -1 },
					default: -1,
					description: 'Units left; -1 means unlimited. Offers run out as members are given them.',
				},
				{ displayName: 'Offer ID', name: 'offerId', type: 'string', default: '' },
				{ displayName: 'Offer Name', name: 'offerName', type: 'string', default: '' },
				{
					displayName: 'Target Conversion (%)',
					name: 'targetConversion',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 100 },
					default: 0,
				},
			],
		},
	],
};

const memberFields: INodeProperties = {
	displayName: 'Member Fields',
	name: 'memberFields',
	type: 'collection',
	placeholder: 'Change Member Field',
	description: 'Dot paths of the member fields the rules, channels and guardrails read',
	default: {},
	options: [
		memberField('anniversaryField', 'Anniversary Field', 'Loyalty anniversary date'),
		memberField('birthdayField', 'Birthday Field', 'Birthday (YYYY-MM-DD, MM-DD or ISO 8601)'),
		memberField(
			'blocklistedField',
			'Blocklisted Flag Field',
			'A true value puts the member on the blocklist',
		),
		memberField(
			'emailConsentField',
			'Email Consent Field',
			'Email marketing consent (true/false, EXPLICITLY_OPTEDIN …)',
		),
		memberField('expiringPointsField', 'Expiring Points Field', 'Points that expire next'),
		memberField(
			'interestsField',
			'Interests Field',
			'Interest tags (list or comma-separated), for offers',
		),
		memberField('lastActivityField', 'Last Activity Date Field', 'Date of the last activity'),
		memberField('lastPurchaseField', 'Last Purchase Date Field', 'Date of the last purchase'),
		memberField('phoneField', 'Phone Field', 'Phone number for SMS'),
		memberField('pointsExpiryDateField', 'Points Expiry Date Field', 'Date the next points expire'),
		memberField('pointsField', 'Points Field', 'Points balance'),
		memberField(
			'previousMembershipField',
			'Previous Membership Field',
			'A true value means the member was in this segment last time',
		),
		memberField('pushConsentField', 'Push Consent Field', 'App push consent'),
		memberField(
			'pushTokenField',
			'Push Token Field',
			'Push token or app ID; when empty, push goes to members who gave push consent',
		),
		memberField(
			'segmentsField',
			'Segments Field',
			'Segments the member is in, checked against sensitive segments',
		),
		memberField('smsConsentField', 'SMS Consent Field', 'SMS marketing consent'),
		memberField('tierField', 'Tier Field', 'Tier name'),
		memberField(
			'timeZoneField',
			'Time Zone Field',
			'The member’s IANA time zone; empty values use the node time zone',
		),
		memberField(
			'touchHistoryField',
			'Touch History Field',
			'ISO timestamps of past touches, for the frequency cap',
		),
		memberField(
			'unsubscribedChannelsField',
			'Unsubscribed Channels Field',
			'Channels the member unsubscribed from (email, sms, push or all)',
		),
		memberField(
			'weeklyActivityField',
			'Weekly Activity Field',
			'Weekly series, oldest first: numbers or {week, count, points}',
		),
	],
};

const guardrails: INodeProperties = {
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
			description: 'At most this many touches per member in the cap days; 0 turns the cap off',
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
		{
			displayName: 'Use Stored Touches',
			name: 'useStoredTouches',
			type: 'boolean',
			default: false,
			description:
				'Whether to count and record touches in the workflow’s stored state (kept only for production executions, not manual runs)',
		},
	],
};

const options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		asOfOption,
		{
			displayName: 'Channels per Member',
			name: 'channelMode',
			type: 'options',
			options: [
				{ name: 'All Usable Channels', value: 'all' },
				{ name: 'Most Preferred Usable Channel', value: 'first' },
			],
			default: 'all',
		},
		{
			displayName: 'Default Target Conversion (%)',
			name: 'targetConversion',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 0,
			description: 'For offers without their own target conversion',
		},
		feb29Option('When a February 29 date falls in a year without February 29'),
		{
			displayName: 'Include Non-Matching Members',
			name: 'includeNonMatching',
			type: 'boolean',
			default: false,
			description: 'Whether members the rules do not match go to Excluded as rule_not_matched',
		},
		{
			displayName: 'Include Summary Item',
			name: 'includeSummary',
			type: 'boolean',
			default: false,
			description:
				'Whether to add one item with counts per exclusion reason (for the campaign log) at the end of the Excluded output',
		},
		{
			displayName: 'Key Dates in Plan',
			name: 'keyDates',
			type: 'multiOptions',
			options: keyDateOptions,
			default: [],
			description: 'Key dates whose step due today goes into each outreach plan',
		},
		{
			displayName: 'Previous Membership',
			name: 'membershipSource',
			type: 'options',
			options: [
				{ name: 'From Member Field', value: 'memberField' },
				{ name: 'From Stored State', value: 'storedState' },
				{ name: 'Not Tracked', value: 'none' },
			],
			default: 'none',
			description:
				'Where last run’s segment members come from, to report who entered and who exited',
		},
		{
			displayName: 'Recorded Offer Outcomes',
			name: 'offerOutcomes',
			type: 'json',
			default: '',
			placeholder: "e.g. {{ $('Recorded outcomes').all().map((item) => item.json) }}",
			description:
				'Rows of the loyalty_campaign_outcomes Data Table (campaignId, memberId, segment, offerId, outcome). Offers are then ranked on their conversion in this Segment Key, learned with the target conversion as prior; each offer shows the rate used.',
		},
		{
			displayName: 'Segment Key',
			name: 'segmentKey',
			type: 'string',
			default: 'default',
			description: 'Name under which the stored state keeps this segment’s members',
		},
		timeZoneOption,
	],
};

export const segmentBuildProperties: INodeProperties[] = [
	{
		displayName: 'Member ID Field',
		name: 'memberIdField',
		type: 'string',
		default: 'id',
		required: true,
		description: 'Dot path of the member ID in each item, for de-duplication, holdout and state',
	},
	{
		displayName: 'Email Field',
		name: 'emailField',
		type: 'string',
		default: 'email',
		description: 'Dot path of the email address, for the email channel and de-duplication',
	},
	{
		displayName: 'Match',
		name: 'combinator',
		type: 'options',
		options: [
			{ name: 'All Groups (AND)', value: 'and' },
			{ name: 'Any Group (OR)', value: 'or' },
		],
		default: 'and',
		description: 'How the rule groups combine',
	},
	ruleGroups,
	keyDateSteps,
	outreachChannels,
	offerCatalog,
	memberFields,
	guardrails,
	options,
];
