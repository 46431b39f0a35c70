import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';

/** The Benefit Usage report type: its entry in Report Type and its own parameters. */

export const benefitUsageReportType: INodePropertyOptions = {
	name: 'Benefit Usage',
	value: 'benefitUsage',
	description:
		'Entitlements granted, used and expired, redemptions per benefit, tier and period, utilisation, expiry losses and survey answers',
};

const showForBenefitUsage = { show: { reportType: ['benefitUsage'] } };

export const benefitUsageProperties: INodeProperties[] = [
	{
		displayName: 'Period Unit',
		name: 'benefitPeriodUnit',
		type: 'options',
		options: [
			{ name: 'Day', value: 'day' },
			{ name: 'Week', value: 'week' },
			{ name: 'Month', value: 'month' },
		],
		default: 'month',
		description: 'How the "by period" table groups grants and redemptions',
		displayOptions: showForBenefitUsage,
	},
	{
		displayName: 'From',
		name: 'benefitFrom',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-11-01',
		description:
			'First day counted (YYYY-MM-DD): grants by grant date, redemptions and answers by their date. Empty counts from the start.',
		displayOptions: showForBenefitUsage,
	},
	{
		displayName: 'To',
		name: 'benefitTo',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-11-30',
		description: 'Last day counted (YYYY-MM-DD). Empty counts up to today.',
		displayOptions: showForBenefitUsage,
	},
];
