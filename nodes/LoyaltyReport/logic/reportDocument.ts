import type { CampaignFigures } from './campaignReview';
import type { SyncHealthFigures } from './syncHealth';

/**
 * The report as a format-neutral document: the PDF, HTML and CSV renderers all draw from it,
 * so the three downloads always show the same figures in the same order.
 */

export type ValueFormat = 'count' | 'money' | 'percent' | 'points' | 'text';
export type CellValue = number | string | null;

export interface MetricRow {
	label: string;
	value: CellValue;
	format: ValueFormat;
}

export interface ReportColumn {
	label: string;
	format: ValueFormat;
}

export type ReportSection =
	| { kind: 'metrics'; heading: string; rows: MetricRow[] }
	| {
			kind: 'table';
			heading: string;
			subjectLabel: string;
			columns: ReportColumn[];
			rows: Array<{ subject: string; values: CellValue[] }>;
			empty: string;
	  }
	| {
			kind: 'bars';
			heading: string;
			format: ValueFormat;
			bars: Array<{ label: string; value: number | null }>;
			empty: string;
	  }
	| {
			kind: 'notes';
			heading: string;
			tone: 'suggestion' | 'warning' | 'missing' | 'info';
			items: string[];
			empty: string;
	  };

export interface ReportDocument {
	title: string;
	subtitle: string;
	currency: string | null;
	generatedAt: string;
	sections: ReportSection[];
}

export const NOT_AVAILABLE = 'n/a';

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat('en-US', {
	minimumFractionDigits: 1,
	maximumFractionDigits: 1,
});
const moneyFormat = new Intl.NumberFormat('en-US', {
	minimumFractionDigits: 2,
	maximumFractionDigits: 2,
});

/** Display text for a value; `currency` is appended to money when given. */
export function formatValue(value: CellValue, format: ValueFormat, currency?: string | null) {
	if (value === null) return NOT_AVAILABLE;
	if (typeof value === 'string') return value;
	switch (format) {
		case 'count':
			return countFormat.format(value);
		case 'money':
			return `${moneyFormat.format(value)}${currency ? ` ${currency}` : ''}`;
		case 'percent':
			return `${percentFormat.format(value * 100)}%`;
		case 'points':
			return `${value > 0 ? '+' : ''}${percentFormat.format(value * 100)} pp`;
		default:
			return String(value);
	}
}

function periodText(period: CampaignFigures['campaign']['period']): string {
	if (!period) return 'period missing';
	return `${period.start ?? 'start missing'} to ${period.end ?? 'end missing'}`;
}

function qualityNotes(figures: { missing: string[]; warnings: string[]; suggestions: string[] }) {
	return [
		{
			kind: 'notes',
			heading: 'Suggestions',
			tone: 'suggestion',
			items: figures.suggestions,
			empty: 'No rule produced a suggestion.',
		},
		{
			kind: 'notes',
			heading: 'Warnings',
			tone: 'warning',
			items: figures.warnings,
			empty: 'No abnormal values found.',
		},
		{
			kind: 'notes',
			heading: 'Missing data',
			tone: 'missing',
			items: figures.missing,
			empty: 'All inputs were provided.',
		},
	] satisfies ReportSection[];
}

export function campaignReviewDocument(f: CampaignFigures, generatedAt: string): ReportDocument {
	const currency = f.campaign.currency;
	const moneyLabel = (label: string) => (currency ? `${label} (${currency})` : label);
	return {
		title: `Campaign review: ${f.campaign.name ?? 'unnamed campaign'}`,
		subtitle: `Period ${periodText(f.campaign.period)}. Generated ${generatedAt}.`,
		currency,
		generatedAt,
		sections: [
			...qualityNotes(f),
			{
				kind: 'metrics',
				heading: 'Reach and engagement',
				rows: [
					{ label: 'Audience size', value: f.audience.audienceSize, format: 'count' },
					{ label: 'Members reached', value: f.audience.reached, format: 'count' },
					{ label: 'Coverage rate', value: f.audience.coverageRate, format: 'percent' },
					{ label: 'Messages sent', value: f.totals.sent, format: 'count' },
					{ label: 'Delivery rate', value: f.rates.deliveryRate, format: 'percent' },
					{ label: 'Open rate', value: f.rates.openRate, format: 'percent' },
					{ label: 'Click rate', value: f.rates.clickRate, format: 'percent' },
					{ label: 'Click-to-open rate', value: f.rates.clickToOpenRate, format: 'percent' },
					{ label: 'Conversions', value: f.totals.converted, format: 'count' },
					{ label: 'Conversion rate', value: f.rates.conversionRate, format: 'percent' },
					{ label: 'Excluded before sending', value: f.totals.excluded, format: 'count' },
				],
			},
			{
				kind: 'metrics',
				heading: 'Revenue and ROI',
				rows: [
					{ label: 'Attributed revenue', value: f.revenue.attributedRevenue, format: 'money' },
					{ label: 'Baseline revenue', value: f.revenue.baselineRevenue, format: 'money' },
					{ label: 'New GMV', value: f.revenue.newGmv, format: 'money' },
					{ label: 'Upsell revenue', value: f.revenue.upsellRevenue, format: 'money' },
					{ label: 'Campaign cost', value: f.revenue.cost, format: 'money' },
					{ label: 'ROI', value: f.revenue.roi, format: 'percent' },
					{ label: 'Cost per conversion', value: f.revenue.costPerConversion, format: 'money' },
					{ label: 'Best channel (conversions per cost)', value: f.bestChannel, format: 'text' },
				],
			},
			{
				kind: 'metrics',
				heading: 'Retention against the holdout',
				rows: [
					{ label: 'Treated members', value: f.retention.treatedMembers, format: 'count' },
					{ label: 'Treated retained', value: f.retention.treatedRetained, format: 'count' },
					{
						label: 'Treated retention rate',
						value: f.retention.treatedRetentionRate,
						format: 'percent',
					},
					{ label: 'Holdout members', value: f.retention.holdoutMembers, format: 'count' },
					{ label: 'Holdout retained', value: f.retention.holdoutRetained, format: 'count' },
					{
						label: 'Holdout retention rate',
						value: f.retention.holdoutRetentionRate,
						format: 'percent',
					},
					{ label: 'Retention lift', value: f.retention.lift, format: 'points' },
					{ label: 'Relative lift', value: f.retention.relativeLift, format: 'percent' },
				],
			},
			{
				kind: 'bars',
				heading: 'Conversion rate by channel',
				format: 'percent',
				bars: f.channels.map((c) => ({ label: c.channel, value: c.conversionRate })),
				empty: 'No channel data.',
			},
			{
				kind: 'table',
				heading: 'Channel funnel',
				subjectLabel: 'Channel',
				columns: [
					{ label: 'Sent', format: 'count' },
					{ label: 'Delivered', format: 'count' },
					{ label: 'Opened', format: 'count' },
					{ label: 'Clicked', format: 'count' },
					{ label: 'Converted', format: 'count' },
					{ label: 'Delivery', format: 'percent' },
					{ label: 'Open', format: 'percent' },
					{ label: 'Click', format: 'percent' },
					{ label: 'Conversion', format: 'percent' },
				],
				rows: f.channels.map((c) => ({
					subject: c.channel,
					values: [
						c.sent,
						c.delivered,
						c.opened,
						c.clicked,
						c.converted,
						c.deliveryRate,
						c.openRate,
						c.clickRate,
						c.conversionRate,
					],
				})),
				empty: 'No channel data.',
			},
			{
				kind: 'table',
				heading: 'Channel economics',
				subjectLabel: 'Channel',
				columns: [
					{ label: moneyLabel('Revenue'), format: 'money' },
					{ label: moneyLabel('Upsell'), format: 'money' },
					{ label: moneyLabel('Cost'), format: 'money' },
					{ label: 'ROI', format: 'percent' },
					{ label: moneyLabel('Cost / conv.'), format: 'money' },
					{ label: 'Excluded', format: 'count' },
				],
				rows: f.channels.map((c) => ({
					subject: c.channel,
					values: [c.revenue, c.upsellRevenue, c.cost, c.roi, c.costPerConversion, c.excluded],
				})),
				empty: 'No channel data.',
			},
		],
	};
}

export function syncHealthDocument(f: SyncHealthFigures, generatedAt: string): ReportDocument {
	const rec = f.reconciliation;
	return {
		title: 'Sync health: Annex Cloud to Ometria',
		subtitle: `Generated ${generatedAt}.`,
		currency: null,
		generatedAt,
		sections: [
			...qualityNotes(f),
			{
				kind: 'bars',
				heading: 'Health scores',
				format: 'percent',
				bars: [
					{ label: 'Push success rate', value: f.push.successRate },
					{ label: 'Consistency score', value: rec.consistencyScore },
					{ label: 'Field accuracy', value: rec.fieldAccuracyRate },
				],
				empty: 'No scores.',
			},
			{
				kind: 'metrics',
				heading: 'Push to Ometria',
				rows: [
					{ label: 'Records sent', value: f.push.sent, format: 'count' },
					{ label: 'Accepted', value: f.push.accepted, format: 'count' },
					{ label: 'Rejected', value: f.push.rejected, format: 'count' },
					{ label: 'Success rate', value: f.push.successRate, format: 'percent' },
				],
			},
			{
				kind: 'metrics',
				heading: 'Reconciliation of member states',
				rows: [
					{ label: 'Annex Cloud members', value: rec.sourceMembers, format: 'count' },
					{ label: 'Ometria contacts', value: rec.targetMembers, format: 'count' },
					{ label: 'Consistent members', value: rec.consistentMembers, format: 'count' },
					{ label: 'Consistency score', value: rec.consistencyScore, format: 'percent' },
					{ label: 'Mismatched members', value: rec.mismatchedMembers, format: 'count' },
					{ label: 'Field accuracy', value: rec.fieldAccuracyRate, format: 'percent' },
					{ label: 'Missing in Ometria', value: rec.missingInTarget, format: 'count' },
					{ label: 'Only in Ometria', value: rec.extraInTarget, format: 'count' },
					{
						label: 'Compared fields',
						value: rec.comparedFields.join(', ') || null,
						format: 'text',
					},
				],
			},
			{
				kind: 'table',
				heading: 'Rejected records by reason',
				subjectLabel: 'Reason',
				columns: [
					{ label: 'Records', format: 'count' },
					{ label: 'Share', format: 'percent' },
				],
				rows: f.push.rejectedByReason.map((r) => ({
					subject: r.reason,
					values: [r.count, r.share],
				})),
				empty: 'No rejections reported.',
			},
			{
				kind: 'table',
				heading: 'Mismatches by field',
				subjectLabel: 'Field',
				columns: [{ label: 'Members', format: 'count' }],
				rows: rec.mismatchesByField.map((m) => ({ subject: m.field, values: [m.count] })),
				empty: 'No field differences.',
			},
			{
				kind: 'table',
				heading: 'Sample differences',
				subjectLabel: 'Member',
				columns: [
					{ label: 'Field', format: 'text' },
					{ label: 'Annex Cloud', format: 'text' },
					{ label: 'Ometria', format: 'text' },
				],
				rows: rec.mismatchSample.map((d) => ({
					subject: d.memberId,
					values: [d.field, sampleText(d.source), sampleText(d.target)],
				})),
				empty: 'No field differences.',
			},
			{
				kind: 'notes',
				heading: 'Sample members missing in Ometria',
				tone: 'info',
				items: rec.missingInTargetSample,
				empty: 'None.',
			},
		],
	};
}

function sampleText(value: unknown): string {
	if (value === null || value === undefined) return '(empty)';
	return typeof value === 'string' ? value : JSON.stringify(value);
}
