import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { toStringList } from '../../shared/memberValues';
import { DEFAULT_RECORD_REVIEW_SETTINGS } from '../logic/campaignRecord';
import { buildRecordReviews, buildReportLibrary, type ReportFile } from '../logic/reportFiles';
import type { ReportFormat } from '../logic/reportFiles';

/** Excel reads a CSV as UTF-8 only when it starts with a byte order mark. */
const UTF8_BOM = '\ufeff';

/** The report files as binary properties, named per format. */
export async function reportBinary(
	context: IExecuteFunctions,
	files: readonly ReportFile[],
	property: Record<ReportFormat, string>,
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	for (const file of files) {
		const data =
			typeof file.content === 'string'
				? Buffer.from(file.format === 'csv' ? UTF8_BOM + file.content : file.content, 'utf8')
				: Buffer.from(file.content);
		binary[property[file.format]] = await context.helpers.prepareBinaryData(
			data,
			file.fileName,
			file.mimeType,
		);
	}
	return binary;
}

function binaryProperties(context: IExecuteFunctions): Record<ReportFormat, string> {
	const options = context.getNodeParameter('options', 0, {}) as Record<string, string>;
	return {
		csv: options.csvBinaryProperty?.trim() || 'csv',
		html: options.htmlBinaryProperty?.trim() || 'html',
		pdf: options.pdfBinaryProperty?.trim() || 'pdf',
	};
}

/**
 * Campaign Review from Record: all input items are rows of the campaign record; one review item
 * per campaign row, paired with that row.
 */
export async function recordReviewItems(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const parameter = <T>(name: string, fallback: T) => this.getNodeParameter(name, 0, fallback) as T;
	const actionIds = toStringList(parameter('purchaseActionIds', '109')).map(Number);
	const badId = actionIds.find((id) => !Number.isInteger(id));
	if (badId !== undefined) throw new Error('Purchase Action IDs must be whole numbers');
	const reviews = buildRecordReviews(
		this.getInputData().map((item) => item.json),
		{
			purchaseActionIds: actionIds,
			pointsPerCurrencyUnit: parameter(
				'pointsPerCurrencyUnit',
				DEFAULT_RECORD_REVIEW_SETTINGS.pointsPerCurrencyUnit,
			),
			currency: parameter('currency', DEFAULT_RECORD_REVIEW_SETTINGS.currency),
			maxPlausibleLift:
				parameter('maxPlausibleLiftPoints', DEFAULT_RECORD_REVIEW_SETTINGS.maxPlausibleLift * 100) /
				100,
			significanceLevel: parameter(
				'significanceLevel',
				DEFAULT_RECORD_REVIEW_SETTINGS.significanceLevel,
			),
			earlierCampaigns: parameter(
				'earlierCampaigns',
				DEFAULT_RECORD_REVIEW_SETTINGS.earlierCampaigns,
			),
			now: new Date(),
		},
		parameter<ReportFormat[]>('formats', []),
	);
	const property = binaryProperties(this);
	const items: INodeExecutionData[] = [];
	for (const { figures, files } of reviews) {
		const { campaignRow, ...review } = figures;
		items.push({
			json: JSON.parse(JSON.stringify(review)) as IDataObject,
			...(files.length > 0 ? { binary: await reportBinary(this, files, property) } : {}),
			pairedItem: { item: campaignRow },
		});
	}
	return items;
}

/** Report Library: knowledge-base and report-open rows in, one page item out. */
export async function reportLibraryItems(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const input = this.getInputData();
	const { figures, files } = buildReportLibrary(
		input.map((item) => item.json),
		this.getNodeParameter('formats', 0, []) as ReportFormat[],
		new Date(),
	);
	const html = files.find((file) => file.format === 'html');
	return [
		{
			json: {
				...(JSON.parse(JSON.stringify(figures)) as IDataObject),
				...(typeof html?.content === 'string' ? { html: html.content } : {}),
			},
			...(files.length > 0
				? { binary: await reportBinary(this, files, binaryProperties(this)) }
				: {}),
			pairedItem: input.map((_, item) => ({ item })),
		},
	];
}
