import type { INodeProperties } from 'n8n-workflow';

export const loyaltyReportProperties: INodeProperties[] = [
	{
		displayName: 'Report Type',
		name: 'reportType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Campaign Review',
				value: 'campaignReview',
				description:
					'Funnel rates, new GMV, upsell, ROI, retention lift against a holdout, channel performance and suggestions',
			},
			{
				name: 'Sync Health',
				value: 'syncHealth',
				description:
					'Push success rate, rejections by reason and member-state consistency between Annex Cloud and Ometria',
			},
		],
		default: 'campaignReview',
	},
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
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
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
		],
	},
];
