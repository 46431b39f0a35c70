import type { INodeProperties } from 'n8n-workflow';

import {
	asOfOption,
	feb29Option,
	optionsCollection,
	timeZoneOption,
} from '../../shared/descriptions';

const tierLadder: INodeProperties = {
	displayName: 'Tier Ladder',
	name: 'tiers',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Tier',
	description:
		'Tiers from lowest to highest. A member holds the highest tier whose threshold the qualifying value reaches (a value equal to the threshold qualifies).',
	default: {
		tier: [
			{ name: 'Bronze', threshold: 0 },
			{ name: 'Silver', threshold: 1000 },
			{ name: 'Gold', threshold: 5000 },
			{ name: 'Platinum', threshold: 10000 },
		],
	},
	options: [
		{
			displayName: 'Tier',
			name: 'tier',
			values: [
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. Gold',
				},
				{
					displayName: 'Threshold',
					name: 'threshold',
					type: 'number',
					default: 0,
					description: 'Qualifying value needed to hold this tier',
				},
			],
		},
	],
};

const entitlementCatalog: INodeProperties = {
	displayName: 'Entitlement Catalog',
	name: 'entitlements',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Entitlement',
	description: 'Benefits that come with each tier, granted and revoked as members change tier',
	default: {},
	options: [
		{
			displayName: 'Entitlement',
			name: 'entitlement',
			values: [
				{
					displayName: 'Benefit ID',
					name: 'benefitId',
					type: 'string',
					default: '',
					placeholder: 'e.g. free-shipping',
				},
				{
					displayName: 'Benefit Name',
					name: 'benefitName',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Quantity',
					name: 'quantity',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 1,
				},
				{
					displayName: 'Tier',
					name: 'tier',
					type: 'string',
					default: '',
					placeholder: 'e.g. Gold',
					description: 'Name of the tier in the ladder that carries this benefit',
				},
				{
					displayName: 'Validity (Days)',
					name: 'validityDays',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 365,
					description:
						'Days a granted benefit stays usable, counting the grant day. 0 means it does not expire.',
				},
			],
		},
	],
};

const options: INodeProperties = optionsCollection([
	asOfOption,
	{
		displayName: 'Cumulative Entitlements',
		name: 'cumulativeEntitlements',
		type: 'boolean',
		default: false,
		description: 'Whether higher tiers also hold the benefits of the tiers below them',
	},
	feb29Option('When a February 29 tier anniversary falls in a year without February 29'),
	{
		displayName: 'Order Amount Field',
		name: 'orderAmountField',
		type: 'string',
		default: 'amount',
		description: 'For spend in a rolling window: the amount field of each order',
	},
	{
		displayName: 'Order Date Field',
		name: 'orderDateField',
		type: 'string',
		default: 'date',
		description: 'For spend in a rolling window: the date field of each order',
	},
	{
		displayName: 'Output Field',
		name: 'outputField',
		type: 'string',
		default: 'tierEvaluation',
		description: 'Field of the output item that receives the evaluation',
	},
	{
		displayName: 'Rolling Window (Days)',
		name: 'rollingWindowDays',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 365,
		description: 'For spend in a rolling window: orders from this many days up to today count',
	},
	timeZoneOption,
	{
		displayName: 'Time Zone Field',
		name: 'timeZoneField',
		type: 'string',
		default: '',
		placeholder: 'e.g. timeZone',
		description: 'Member field holding the member’s own IANA time zone',
	},
]);

export const tierEvaluateProperties: INodeProperties[] = [
	{
		displayName: 'Member ID Field',
		name: 'memberIdField',
		type: 'string',
		default: 'id',
		required: true,
		description: 'Dot path of the member ID in each item, e.g. member.loyaltyId',
	},
	{
		displayName: 'Qualifying Value',
		name: 'qualifyingBasis',
		type: 'options',
		options: [
			{ name: 'Lifetime Points', value: 'lifetimePoints' },
			{ name: 'Points Balance', value: 'pointsBalance' },
			{ name: 'Spend', value: 'spend', description: 'A spend total the member item already holds' },
			{
				name: 'Spend in Rolling Window',
				value: 'rollingSpend',
				description: 'The field holds a list of orders; those inside the rolling window are summed',
			},
		],
		default: 'lifetimePoints',
		description: 'What the tier thresholds measure',
	},
	{
		displayName: 'Qualifying Value Field',
		name: 'qualifyingValueField',
		type: 'string',
		default: 'lifetimePoints',
		required: true,
		description: 'Dot path of the points or spend (or the order list) in each item',
	},
	{
		displayName: 'Current Tier Field',
		name: 'currentTierField',
		type: 'string',
		default: 'tier',
		description: 'Dot path of the member’s current tier name; empty values mean no tier yet',
	},
	{
		displayName: 'Tier Achieved Date Field',
		name: 'tierAchievedDateField',
		type: 'string',
		default: 'tierAchievedDate',
		description: 'Dot path of the date the current tier was reached (YYYY-MM-DD or ISO 8601)',
	},
	{
		displayName: 'Enrollment Date Field',
		name: 'enrollmentDateField',
		type: 'string',
		default: 'optInDate',
		description: 'Dot path of the enrollment date, used when the tier achieved date is missing',
	},
	tierLadder,
	{
		displayName: 'Close to Upgrade Margin Type',
		name: 'closeMarginType',
		type: 'options',
		options: [
			{ name: 'Percent of Next Threshold', value: 'percent' },
			{ name: 'Points', value: 'points' },
		],
		default: 'percent',
	},
	{
		displayName: 'Close to Upgrade Margin',
		name: 'closeMargin',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 10,
		description:
			'A member this close to the next tier gets the close_to_tier_upgrade event. 0 turns the event off.',
	},
	{
		displayName: 'Downgrade Protection',
		name: 'downgradeProtection',
		type: 'options',
		options: [
			{
				name: 'Grace Period',
				value: 'gracePeriod',
				description:
					'The tier is held for its tier year (until the first anniversary of reaching it) plus the grace days',
			},
			{
				name: 'Minimum Time in Tier',
				value: 'minimumTimeInTier',
				description: 'No downgrade until this many days after the tier was reached',
			},
			{ name: 'None', value: 'none', description: 'Downgrade as soon as the value drops' },
		],
		default: 'none',
	},
	{
		displayName: 'Protection (Days)',
		name: 'protectionDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
		displayOptions: { show: { downgradeProtection: ['gracePeriod', 'minimumTimeInTier'] } },
	},
	entitlementCatalog,
	options,
];
