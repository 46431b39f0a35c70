import type { INodeProperties } from 'n8n-workflow';

import { campaignRecordProperties } from './campaignRecord';
import { benefitUsageProperties, benefitUsageReportType } from './benefitUsage';
import { optionsCollection } from '../../shared/descriptions';

export const loyaltyReportProperties: INodeProperties[] = [
	{
		displayName: 'Report Type',
		name: 'reportType',
		type: 'options',
		noDataExpression: true,
		options: [
			benefitUsageReportType,
			{
				name: 'Campaign Review',
				value: 'campaignReview',
				description:
					'Funnel rates, new GMV, upsell, ROI, retention lift against a holdout, channel performance and suggestions',
			},
			{
				name: 'Campaign Review From Record',
				value: 'campaignRecord',
				description:
					'One review per campaign from the campaign record rows, Ometria export events, Annex Cloud activity, earlier reviews and survey answers (all items at once)',
			},
			{
				name: 'Report Library',
				value: 'reportLibrary',
				description:
					'The latest review of every campaign and its report adoption rate, from knowledge-base and report-open rows',
			},
			{
				name: 'Sync Alerts',
				value: 'syncAlerts',
				description:
					'Checks run history rows and failed-workflow items against the alert rules: one message item per problem',
			},
			{
				name: 'Sync Health',
				value: 'syncHealth',
				description:
					'Push success rate, rejections by reason, member-state consistency between Annex Cloud and Ometria, and the run history trend',
			},
		],
		default: 'campaignReview',
	},
	{
		displayName: 'Checks',
		name: 'alertChecks',
		type: 'multiOptions',
		options: [
			{
				name: 'Failed or Stopped Run',
				value: 'runFailed',
				description:
					'A run row with status failed or stopped, or an Error Trigger item of a failed workflow',
			},
			{
				name: 'Feed File Missing or Old',
				value: 'sourceFile',
				description: 'A run row with no source file, or a file older than the feed age limit',
			},
			{
				name: 'No Recent Success',
				value: 'noRecentSuccess',
				description:
					'The watchdog: no row with status success ended within the hours allowed (feed it the latest successful run)',
			},
			{
				name: 'Rejected Share',
				value: 'rejectedShare',
				description: 'A run that rejected more records or feed rows than the share allowed',
			},
		],
		default: ['runFailed', 'rejectedShare', 'sourceFile'],
		description: 'Which rules raise an alert. Every input item goes into one check.',
		displayOptions: { show: { reportType: ['syncAlerts'] } },
	},
	{
		displayName: 'Max Rejected Share (%)',
		name: 'maxRejectedPercent',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 2 },
		default: 1,
		description: 'Alert when a run rejects more than this share of its records or feed rows',
		displayOptions: { show: { reportType: ['syncAlerts'] } },
	},
	{
		displayName: 'Max Feed Age (Hours)',
		name: 'maxFeedAgeHours',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 26,
		description: "Alert when the run's feed file is older than this when the run starts",
		displayOptions: { show: { reportType: ['syncAlerts'] } },
	},
	{
		displayName: 'Max Hours Without Success',
		name: 'maxHoursWithoutSuccess',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 26,
		description: 'The watchdog alerts when no run has succeeded for longer than this',
		displayOptions: { show: { reportType: ['syncAlerts'] } },
	},
	...campaignRecordProperties,
	{
		displayName: 'Input',
		name: 'inputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'One Report for All Items',
				value: 'allItems',
				description:
					'Merge the items into one report: channel rows and member records are collected, push counts summed',
			},
			{
				name: 'One Report per Item',
				value: 'eachItem',
				description: 'Each item holds the complete input of one report',
			},
		],
		default: 'eachItem',
		displayOptions: { hide: { reportType: ['syncAlerts', 'campaignRecord', 'reportLibrary'] } },
	},
	{
		displayName: 'Formats',
		name: 'formats',
		type: 'multiOptions',
		options: [
			{ name: 'CSV', value: 'csv' },
			{ name: 'HTML', value: 'html' },
			{ name: 'PDF', value: 'pdf' },
		],
		default: ['pdf'],
		description: 'Report files to attach as binary data; the figures are always in the JSON',
		displayOptions: { hide: { reportType: ['syncAlerts'] } },
	},
	optionsCollection(
		[
			{
				displayName: 'Compare Fields',
				name: 'compareFields',
				type: 'string',
				default: '',
				placeholder: 'e.g. email, tier, points',
				description:
					'Comma-separated member fields to reconcile. Empty compares every field of the Annex Cloud records except the member ID.',
				displayOptions: { show: { '/reportType': ['syncHealth'] } },
			},
			{
				displayName: 'CSV Output Field',
				name: 'csvBinaryProperty',
				type: 'string',
				default: 'csv',
				description: 'Binary property that receives the CSV file',
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. may-win-back-review',
				description:
					'File name without extension. Empty uses the report type and the campaign name.',
			},
			{
				displayName: 'HTML Output Field',
				name: 'htmlBinaryProperty',
				type: 'string',
				default: 'html',
				description: 'Binary property that receives the HTML file',
			},
			{
				displayName: 'Input Data Field',
				name: 'dataField',
				type: 'string',
				default: '',
				placeholder: 'e.g. campaign',
				description:
					'Dot path to the report input inside each item, e.g. "campaign.results". Empty uses the whole item.',
			},
			{
				displayName: 'Member ID Field',
				name: 'memberIdField',
				type: 'string',
				default: 'id',
				description: 'Field holding the member ID in both member lists',
				displayOptions: { show: { '/reportType': ['syncHealth'] } },
			},
			{
				displayName: 'PDF Output Field',
				name: 'pdfBinaryProperty',
				type: 'string',
				default: 'pdf',
				description: 'Binary property that receives the PDF file',
			},
			{
				displayName: 'Sample Size',
				name: 'sampleSize',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 20,
				description: 'How many example member IDs and field differences the report lists',
				displayOptions: { show: { '/reportType': ['syncHealth'] } },
			},
			{
				displayName: 'Trend Runs',
				name: 'trendRuns',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
				description:
					'How many of the most recent run history rows the trend shows (rows are items with runId and status)',
				displayOptions: { show: { '/reportType': ['syncHealth'] } },
			},
		],
		{ displayOptions: { hide: { reportType: ['syncAlerts'] } } },
	),
	...benefitUsageProperties,
];
