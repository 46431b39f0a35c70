import {
	benefitUsage,
	benefitUsageDocument,
	mergeBenefitUsageParts,
	type BenefitUsageFigures,
	type BenefitUsageOptions,
} from './benefitUsage';
import { mergeCampaignParts, reviewCampaign, type CampaignFigures } from './campaignReview';
import type { PlainObject } from './inputValues';
import {
	reviewCampaignRecords,
	type RecordReview,
	type RecordReviewSettings,
} from './campaignRecord';
import {
	campaignRecordDocument,
	campaignReviewDocument,
	syncHealthDocument,
	type ReportDocument,
} from './reportDocument';
import { reportLibrary, reportLibraryDocument, type ReportLibrary } from './reportLibrary';
import { renderCsv, renderHtml, renderPdf } from './render';
import {
	checkSyncHealth,
	mergeSyncHealthParts,
	type SyncHealthFigures,
	type SyncHealthOptions,
} from './syncHealth';

/** From report input to figures and the downloadable files, with no n8n types involved. */

export type ReportType = 'benefitUsage' | 'campaignReview' | 'syncHealth';
export type ReportFormat = 'csv' | 'html' | 'pdf';

export interface ReportRequest {
	reportType: ReportType;
	formats: readonly ReportFormat[];
	sync: SyncHealthOptions;
	benefitUsage?: BenefitUsageOptions;
	/** File name without extension; empty derives one from the report. */
	fileName: string;
	now: Date;
}

export interface ReportFile {
	format: ReportFormat;
	fileName: string;
	mimeType: string;
	/** PDF bytes, or UTF-8 text for HTML and CSV. */
	content: Uint8Array | string;
}

export interface BuiltReport {
	figures: CampaignFigures | SyncHealthFigures | BenefitUsageFigures;
	files: ReportFile[];
}

const MIME_TYPES: Record<ReportFormat, string> = {
	csv: 'text/csv',
	html: 'text/html',
	pdf: 'application/pdf',
};

function slug(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60);
}

/** "2026-06-02 09:00 UTC" */
function generatedAtText(now: Date): string {
	return `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function mergeReportParts(
	reportType: ReportType,
	parts: readonly unknown[],
	sync: SyncHealthOptions,
): PlainObject {
	if (reportType === 'benefitUsage') return mergeBenefitUsageParts(parts);
	return reportType === 'campaignReview'
		? mergeCampaignParts(parts)
		: mergeSyncHealthParts(parts, sync.idField);
}

export function buildReport(input: unknown, request: ReportRequest): BuiltReport {
	const generatedAt = generatedAtText(request.now);
	let figures: CampaignFigures | SyncHealthFigures | BenefitUsageFigures;
	let document;
	let defaultName: string;
	if (request.reportType === 'benefitUsage') {
		const usage = benefitUsage(input, request.benefitUsage);
		figures = usage;
		document = benefitUsageDocument(usage, generatedAt);
		defaultName = `benefit-usage-${request.now.toISOString().slice(0, 10)}`;
	} else if (request.reportType === 'campaignReview') {
		const campaign = reviewCampaign(input);
		figures = campaign;
		document = campaignReviewDocument(campaign, generatedAt);
		defaultName = `campaign-review-${slug(campaign.campaign.name ?? '') || 'unnamed'}`;
	} else {
		const health = checkSyncHealth(input, request.sync);
		figures = health;
		document = syncHealthDocument(health, generatedAt);
		defaultName = `sync-health-${request.now.toISOString().slice(0, 10)}`;
	}
	const baseName = request.fileName.trim() || defaultName;
	return { figures, files: renderFiles(document, request.formats, baseName, request.now) };
}

function renderFiles(
	document: ReportDocument,
	formats: readonly ReportFormat[],
	baseName: string,
	now: Date,
): ReportFile[] {
	const render: Record<ReportFormat, () => Uint8Array | string> = {
		csv: () => renderCsv(document),
		html: () => renderHtml(document),
		pdf: () => renderPdf(document, now),
	};
	return [...new Set(formats)].map((format) => ({
		format,
		fileName: `${baseName}.${format}`,
		mimeType: MIME_TYPES[format],
		content: render[format](),
	}));
}

/** One review per recorded campaign, its files named `<campaignId>-v<version>`. */
export function buildRecordReviews(
	rows: readonly unknown[],
	settings: RecordReviewSettings,
	formats: readonly ReportFormat[],
): Array<{ figures: RecordReview; files: ReportFile[] }> {
	const generatedAt = generatedAtText(settings.now);
	return reviewCampaignRecords(rows, settings).map((review) => ({
		figures: review,
		files: renderFiles(
			campaignRecordDocument(review, generatedAt),
			formats,
			`${slug(review.campaignId) || 'campaign'}-v${review.version}`,
			settings.now,
		),
	}));
}

export function buildReportLibrary(
	rows: readonly unknown[],
	formats: readonly ReportFormat[],
	now: Date,
): { figures: ReportLibrary; files: ReportFile[] } {
	const figures = reportLibrary(rows);
	const document = reportLibraryDocument(figures, generatedAtText(now));
	return { figures, files: renderFiles(document, formats, 'report-library', now) };
}
