import type { INodeProperties } from 'n8n-workflow';

/** Defaults match DEFAULT_RECORD_REVIEW_SETTINGS (the linter wants literals here). */
const show = { show: { reportType: ['campaignRecord'] } };

/** Settings of the campaign review from the campaign record. */
export const campaignRecordProperties: INodeProperties[] = [
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: 'EUR',
		description: 'Currency of the purchase values and campaign costs',
		displayOptions: show,
	},
	{
		displayName: 'Points per Currency Unit',
		name: 'pointsPerCurrencyUnit',
		type: 'number',
		typeOptions: { minValue: 0.0001, numberPrecision: 4 },
		default: 1,
		description:
			"Points a purchase earns per currency unit in your Annex Cloud program: an activity line carries the points, so a purchase's value is its points divided by this",
		displayOptions: show,
	},
	{
		displayName: 'Purchase Action IDs',
		name: 'purchaseActionIds',
		type: 'string',
		default: '109',
		description: 'Comma-separated Annex Cloud action IDs that are purchases',
		displayOptions: show,
	},
	{
		displayName: 'Max Plausible Lift (Points)',
		name: 'maxPlausibleLiftPoints',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 25,
		description: 'Alert when conversion is more than this many percentage points above the holdout',
		displayOptions: show,
	},
	{
		displayName: 'Significance Level',
		name: 'significanceLevel',
		type: 'number',
		typeOptions: { minValue: 0.001, maxValue: 0.5, numberPrecision: 3 },
		default: 0.05,
		description: 'Two-sided level at which the lift over the holdout counts as real',
		displayOptions: show,
	},
	{
		displayName: 'Earlier Campaigns Cited',
		name: 'earlierCampaigns',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 3,
		description: 'How many earlier reviews of the same segment the suggestions cite',
		displayOptions: show,
	},
];
