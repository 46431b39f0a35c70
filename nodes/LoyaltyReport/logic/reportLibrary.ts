import { isAbsent, isPlainObject, ratio, type PlainObject } from './inputValues';
import type { ReportDocument } from './reportDocument';

/**
 * The report library: the latest review of every campaign from the knowledge base
 * (`loyalty_campaign_insights`) and who opened it (`loyalty_report_opens`). The report adoption
 * rate is the share of a report's recipients who opened any version of it at least once.
 */

export interface LibraryEntry {
	campaignId: string;
	name: string;
	segment: string;
	version: number;
	reviewedAt: string;
	complete: boolean;
	pdfPath: string;
	recipients: number;
	openedBy: number;
	opens: number;
	adoptionRate: number | null;
}

export interface ReportLibrary {
	reportType: 'reportLibrary';
	reports: LibraryEntry[];
	recipients: number;
	openedBy: number;
	adoptionRate: number | null;
}

const text = (value: unknown) => (isAbsent(value) ? '' : String(value).trim());
const recipientList = (value: unknown) =>
	text(value)
		.split(/[,\n]/)
		.map((r) => r.trim().toLowerCase())
		.filter(Boolean);

export function reportLibrary(rows: readonly unknown[]): ReportLibrary {
	const latest = new Map<string, PlainObject>();
	const opens = new Map<string, { count: number; who: Set<string> }>();
	for (const row of rows) {
		if (!isPlainObject(row)) continue;
		const campaignId = text(row.campaignId);
		if ('insightKey' in row) {
			const current = latest.get(campaignId);
			if (!current || Number(row.version) > Number(current.version)) latest.set(campaignId, row);
		} else if ('openKey' in row) {
			const entry = opens.get(campaignId) ?? { count: 0, who: new Set<string>() };
			entry.count++;
			entry.who.add(text(row.recipient).toLowerCase());
			opens.set(campaignId, entry);
		}
	}
	let recipients = 0;
	let openedBy = 0;
	const reports = [...latest.values()]
		.map((row): LibraryEntry => {
			const campaignId = text(row.campaignId);
			const invited = new Set(recipientList(row.recipients));
			const opened = opens.get(campaignId);
			// Only the recipients the report was sent to count toward its adoption.
			const readers = [...(opened?.who ?? [])].filter((who) => invited.has(who)).length;
			recipients += invited.size;
			openedBy += readers;
			return {
				campaignId,
				name: text(row.campaignName) || campaignId,
				segment: text(row.segment),
				version: Number(row.version) || 1,
				reviewedAt: text(row.reviewedAt),
				complete: text(row.status) === 'complete',
				pdfPath: text(row.pdfPath),
				recipients: invited.size,
				openedBy: readers,
				opens: opened?.count ?? 0,
				adoptionRate: ratio(readers, invited.size),
			};
		})
		.sort((a, b) => b.reviewedAt.localeCompare(a.reviewedAt));
	return {
		reportType: 'reportLibrary',
		reports,
		recipients,
		openedBy,
		adoptionRate: ratio(openedBy, recipients),
	};
}

export function reportLibraryDocument(library: ReportLibrary, generatedAt: string): ReportDocument {
	return {
		title: 'Campaign review library',
		subtitle: `Latest review of every campaign. Generated ${generatedAt}.`,
		currency: null,
		generatedAt,
		sections: [
			{
				kind: 'metrics',
				heading: 'Report adoption',
				rows: [
					{ label: 'Reports', value: library.reports.length, format: 'count' },
					{ label: 'Recipients', value: library.recipients, format: 'count' },
					{ label: 'Recipients who opened', value: library.openedBy, format: 'count' },
					{ label: 'Report adoption rate', value: library.adoptionRate, format: 'percent' },
				],
			},
			{
				kind: 'table',
				heading: 'Reviews',
				subjectLabel: 'Campaign',
				columns: [
					{ label: 'Name', format: 'text' },
					{ label: 'Segment', format: 'text' },
					{ label: 'Version', format: 'count' },
					{ label: 'Reviewed', format: 'text' },
					{ label: 'Complete', format: 'text' },
					{ label: 'Recipients', format: 'count' },
					{ label: 'Opened by', format: 'count' },
					{ label: 'Adoption', format: 'percent' },
					{ label: 'PDF', format: 'text' },
				],
				rows: library.reports.map((r) => ({
					subject: r.campaignId,
					values: [
						r.name,
						r.segment,
						r.version,
						r.reviewedAt.slice(0, 16).replace('T', ' '),
						r.complete ? 'yes' : 'no, data missing',
						r.recipients,
						r.openedBy,
						r.adoptionRate,
						r.pdfPath,
					],
				})),
				empty: 'No campaign has been reviewed yet.',
			},
		],
	};
}
