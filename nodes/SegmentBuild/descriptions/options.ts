import type { INodeProperties } from 'n8n-workflow';

import {
	asOfOption,
	feb29Option,
	optionsCollection,
	timeZoneOption,
} from '../../shared/descriptions';
import { keyDateOptions } from './common';

export const options: INodeProperties = optionsCollection([
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
		displayName: 'Earlier Campaign Reviews',
		name: 'offerKnowledgeBase',
		type: 'json',
		default: '',
		placeholder: "e.g. {{ $('Earlier reviews').all().map((item) => item.json) }}",
		description:
			'Rows of the loyalty_campaign_insights Data Table (the knowledge base: campaignId, reviewedAt, segment, offerId, version, metrics). Earlier campaigns of this Segment Key add their sends and conversions to the learning, and each offer cites them in offerEvidence.',
	},
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
			{ name: 'Not Tracked', value: 'none' },
		],
		default: 'none',
		description:
			'Whether last run’s segment membership comes from the Previous Membership Field (e.g. filled from a Data Table), to report who entered and who exited',
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
		description:
			'The segment this run builds, as recorded in the campaign record: recorded offer outcomes and earlier campaign reviews are counted for it',
	},
	timeZoneOption,
]);
