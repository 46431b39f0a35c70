import type { CampaignFigures } from './campaignReview';
import type { RecordReview } from './campaignRecord';
import type { RunHistoryFigures } from './runHistory';
import type { SyncHealthFigures } from './syncHealth';

/**
 * The report as a format-neutral document: the PDF, HTML and CSV renderers all draw from it,
 * so the three downloads always show the same figures in the same order.
 */

export type ValueFormat = 'count' | 'duration' | 'money' | 'percent' | 'points' | 'text';
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
		case 'duration':
			return durationText(value);
		default:
			return String(value);
	}
}

/** Milliseconds as "850 ms", "42 s", "3 min 05 s" or "2 h 07 min". */
export function durationText(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) return `${seconds} s`;
	const pad = (n: number) => String(n).padStart(2, '0');
	if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad(seconds % 60)} s`;
	return `${Math.floor(seconds / 3600)} h ${pad(Math.floor((seconds % 3600) / 60))} min`;
}

/** "2026-11-30 02:00 UTC" from an ISO timestamp. */
export function instantText(iso: string | null): string | null {
	return iso === null ? null : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
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

/** The review of a recorded campaign: the campaign review plus significance, alerts and history. */
export function campaignRecordDocument(r: RecordReview, generatedAt: string): ReportDocument {
	const base = campaignReviewDocument(r, generatedAt);
	const [suggestions, warnings, missing, ...figures] = base.sections;
	return {
		...base,
		title: `${base.title} (version ${r.version})`,
		subtitle:
			`Campaign ${r.campaignId}. ${base.subtitle}` +
			(r.complete ? '' : ' Incomplete: recomputed when the missing data arrives.'),
		sections: [
			suggestions,
			{
				kind: 'notes',
				heading: 'Alerts',
				tone: 'warning',
				items: r.alerts.flatMap((alert) => alert.findings),
				empty: 'No abnormal metric.',
			},
			warnings,
			missing,
			...figures,
			{
				kind: 'metrics',
				heading: 'Is the lift real? (two-proportion test)',
				rows: [
					{
						label: 'Difference treated - holdout',
						value: r.significance.difference,
						format: 'points',
					},
					{ label: 'z', value: r.significance.z, format: 'count' },
					{ label: 'p-value (two-sided)', value: r.significance.pValue, format: 'count' },
					{
						label: `Significant at ${r.significance.level}`,
						value:
							r.significance.significant === null
								? null
								: r.significance.significant
									? 'yes'
									: 'no',
						format: 'text',
					},
				],
			},
			{
				kind: 'table',
				heading: 'Earlier campaigns of this segment (knowledge base)',
				subjectLabel: 'Campaign',
				columns: [
					{ label: 'Reviewed', format: 'text' },
					{ label: 'ROI', format: 'percent' },
					{ label: 'Lift', format: 'points' },
					{ label: 'New GMV', format: 'money' },
				],
				rows: r.earlierCampaigns.map((c) => ({
					subject: c.campaignId,
					values: [c.reviewedAt.slice(0, 10), c.roi, c.lift, c.newGmv],
				})),
				empty: 'No earlier review of this segment.',
			},
			{
				kind: 'table',
				heading: 'Satisfaction with the offers (survey answers)',
				subjectLabel: 'Offer',
				columns: [
					{ label: 'Answers', format: 'count' },
					{ label: 'Average (1-5)', format: 'count' },
					{ label: 'Rated 4-5', format: 'count' },
					{ label: 'Rated 1-2', format: 'count' },
				],
				rows: r.satisfaction.byOffer.map((offer) => ({
					subject: offer.name === offer.offerId ? offer.name : `${offer.name} (${offer.offerId})`,
					values: [
						offer.responses,
						offer.averageRating,
						offer.ratings[3] + offer.ratings[4],
						offer.ratings[0] + offer.ratings[1],
					],
				})),
				empty: 'No survey answer about the offers of this campaign yet.',
			},
			{
				kind: 'notes',
				heading: 'What members said about the offers',
				tone: 'info',
				items: r.satisfaction.byOffer.flatMap((offer) =>
					offer.comments.map(
						(c) => `${c.answeredAt.slice(0, 10)} · ${offer.name} · ${c.rating}/5: ${c.comment}`,
					),
				),
				empty: 'No survey comments.',
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
			...(f.history ? runHistorySections(f.history) : []),
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

function runHistorySections(h: RunHistoryFigures): ReportSection[] {
	/** "11-30 02:00 failed": short enough for a chart label, the status when it is not success. */
	const runLabel = (run: RunHistoryFigures['runs'][number]) =>
		`${run.startedAt?.slice(5, 16).replace('T', ' ') ?? run.runId}` +
		(run.status === 'success' ? '' : ` ${run.status}`);
	return [
		{
			kind: 'metrics',
			heading: `Run history: the last ${h.trendRuns} run(s)`,
			rows: [
				{ label: 'Runs', value: h.trendRuns, format: 'count' },
				{ label: 'Succeeded', value: h.succeeded, format: 'count' },
				{ label: 'Failed', value: h.failed, format: 'count' },
				{ label: 'Stopped by a safety check', value: h.stopped, format: 'count' },
				{ label: 'Still running', value: h.running, format: 'count' },
				{ label: 'Run success rate', value: h.runSuccessRate, format: 'percent' },
				{ label: 'Last success', value: instantText(h.lastSuccessAt), format: 'text' },
				{ label: 'Average duration', value: h.averageDurationMs, format: 'duration' },
				{ label: 'Records sent', value: h.sent, format: 'count' },
				{ label: 'Records accepted', value: h.accepted, format: 'count' },
				{ label: 'Records rejected', value: h.rejected, format: 'count' },
				{ label: 'Rejected share', value: h.rejectedShare, format: 'percent' },
			],
		},
		{
			kind: 'bars',
			heading: 'Records sent per run',
			format: 'count',
			bars: h.runs.map((run) => ({ label: runLabel(run), value: run.sent })),
			empty: 'No runs recorded.',
		},
		{
			kind: 'bars',
			heading: 'Rejected share per run',
			format: 'percent',
			bars: h.runs.map((run) => ({ label: runLabel(run), value: run.rejectedShare })),
			empty: 'No runs recorded.',
		},
		{
			kind: 'table',
			heading: 'Runs, oldest first (times in UTC)',
			subjectLabel: 'Started',
			columns: [
				{ label: 'Run', format: 'text' },
				{ label: 'Status', format: 'text' },
				{ label: 'Read', format: 'count' },
				{ label: 'New', format: 'count' },
				{ label: 'Changed', format: 'count' },
				{ label: 'Removed', format: 'count' },
				{ label: 'Sent', format: 'count' },
				{ label: 'Rejected', format: 'count' },
				{ label: 'Rej. %', format: 'percent' },
				{ label: 'Duration', format: 'duration' },
			],
			rows: h.runs.map((run) => ({
				subject: run.startedAt?.slice(0, 16).replace('T', ' ') ?? 'not started',
				values: [
					run.runId,
					run.status,
					run.rowsRead,
					run.newMembers,
					run.changedMembers,
					run.removedMembers,
					run.sent,
					run.rejected,
					run.rejectedShare,
					run.durationMs,
				],
			})),
			empty: 'No runs recorded.',
		},
	];
}

function sampleText(value: unknown): string {
	if (value === null || value === undefined) return '(empty)';
	return typeof value === 'string' ? value : JSON.stringify(value);
}
