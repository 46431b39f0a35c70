import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { toStringList } from '../shared/memberValues';
import { alertItems } from './helpers/alertItems';
import { recordReviewItems, reportBinary, reportLibraryItems } from './helpers/recordItems';
import { loyaltyReportProperties } from './descriptions/properties';
import { ReportInputError, reportInputAt } from './logic/inputValues';
import {
	buildReport,
	mergeReportParts,
	type ReportFormat,
	type ReportRequest,
	type ReportType,
} from './logic/reportFiles';
import { DEFAULT_SYNC_HEALTH_OPTIONS } from './logic/syncHealth';
import { DEFAULT_BENEFIT_USAGE_OPTIONS, type PeriodUnit } from './logic/benefitUsage';
import { errorItem } from '../shared/errorItem';

interface ReportOptions {
	compareFields?: string;
	csvBinaryProperty?: string;
	dataField?: string;
	fileName?: string;
	htmlBinaryProperty?: string;
	memberIdField?: string;
	pdfBinaryProperty?: string;
	sampleSize?: number;
	trendRuns?: number;
}

function benefitUsageOptions(context: IExecuteFunctions, itemIndex: number) {
	return {
		...DEFAULT_BENEFIT_USAGE_OPTIONS,
		periodUnit: context.getNodeParameter('benefitPeriodUnit', itemIndex, 'month') as PeriodUnit,
		from: String(context.getNodeParameter('benefitFrom', itemIndex, '')).trim(),
		to: String(context.getNodeParameter('benefitTo', itemIndex, '')).trim(),
	};
}

function readOptions(context: IExecuteFunctions, itemIndex: number) {
	const options = context.getNodeParameter('options', itemIndex, {}) as ReportOptions;
	const request: ReportRequest = {
		reportType: context.getNodeParameter('reportType', itemIndex) as ReportType,
		formats: context.getNodeParameter('formats', itemIndex, []) as ReportFormat[],
		sync: {
			idField: options.memberIdField?.trim() || DEFAULT_SYNC_HEALTH_OPTIONS.idField,
			compareFields: toStringList(options.compareFields ?? ''),
			sampleLimit: options.sampleSize ?? DEFAULT_SYNC_HEALTH_OPTIONS.sampleLimit,
			trendRuns: options.trendRuns ?? DEFAULT_SYNC_HEALTH_OPTIONS.trendRuns,
		},
		fileName: options.fileName ?? '',
		now: new Date(),
	};
	if (request.reportType === 'benefitUsage')
		request.benefitUsage = benefitUsageOptions(context, itemIndex);
	const binaryProperty: Record<ReportFormat, string> = {
		csv: options.csvBinaryProperty?.trim() || 'csv',
		html: options.htmlBinaryProperty?.trim() || 'html',
		pdf: options.pdfBinaryProperty?.trim() || 'pdf',
	};
	return { request, binaryProperty, dataField: options.dataField?.trim() ?? '' };
}

export class LoyaltyReport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Loyalty Report',
		name: 'loyaltyReport',
		icon: { light: 'file:loyaltyReport.svg', dark: 'file:loyaltyReport.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"syncHealth": "Sync Health", "syncAlerts": "Sync Alerts", "campaignRecord": "Campaign Review from Record", "reportLibrary": "Report Library", "benefitUsage": "Benefit Usage"}[$parameter["reportType"]] ?? "Campaign Review" }}',
		description:
			'Builds campaign review, sync health and benefit usage reports as JSON figures plus PDF, HTML and CSV files, and sync alerts',
		defaults: { name: 'Loyalty Report' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: loyaltyReportProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		const inputMode = this.getNodeParameter('inputMode', 0, 'eachItem') as 'eachItem' | 'allItems';

		type PairedItem = INodeExecutionData['pairedItem'];
		const report = async (input: unknown, itemIndex: number, pairedItem: PairedItem) => {
			const { request, binaryProperty } = readOptions(this, itemIndex);
			const built = buildReport(input, request);
			const binary = await reportBinary(this, built.files, binaryProperty);
			const json = JSON.parse(JSON.stringify(built.figures)) as IDataObject;
			returnData.push({
				json,
				...(built.files.length > 0 ? { binary } : {}),
				pairedItem,
			});
		};

		const fail = (error: Error, itemIndex: number, pairedItem: PairedItem) => {
			const field = error instanceof ReportInputError ? error.field : undefined;
			const operationError =
				field === undefined
					? new NodeOperationError(this.getNode(), error, { itemIndex })
					: new NodeOperationError(
							this.getNode(),
							`Item ${itemIndex}, field "${field}": ${error.message}`,
							{
								itemIndex,
								description: `Check "${field}" in the report input of item ${itemIndex}.`,
							},
						);
			if (!this.continueOnFail()) throw operationError;
			const details = field === undefined ? undefined : { field };
			returnData.push(errorItem(operationError, pairedItem, details));
		};

		if (this.getNodeParameter('reportType', 0) === 'syncAlerts') {
			try {
				returnData.push(...alertItems.call(this));
			} catch (error) {
				const allItems = items.map((_, item) => ({ item }));
				fail(error, error instanceof ReportInputError ? (error.part ?? 0) : 0, allItems);
			}
			return [returnData];
		}

		const reportType = this.getNodeParameter('reportType', 0);
		if (reportType === 'campaignRecord' || reportType === 'reportLibrary') {
			try {
				const build = reportType === 'campaignRecord' ? recordReviewItems : reportLibraryItems;
				returnData.push(...(await build.call(this)));
			} catch (error) {
				fail(
					error,
					0,
					items.map((_, item) => ({ item })),
				);
			}
			return [returnData];
		}

		if (inputMode === 'allItems') {
			const allItems = items.map((_, item) => ({ item }));
			try {
				const { request, dataField } = readOptions(this, 0);
				const parts = items.map((item, index) => reportInputAt(item.json, dataField, index));
				await report(mergeReportParts(request.reportType, parts, request.sync), 0, allItems);
			} catch (error) {
				fail(error, error instanceof ReportInputError ? (error.part ?? 0) : 0, allItems);
			}
			return [returnData];
		}

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const { dataField } = readOptions(this, itemIndex);
				const input = reportInputAt(items[itemIndex].json, dataField, itemIndex);
				await report(input, itemIndex, { item: itemIndex });
			} catch (error) {
				fail(error, itemIndex, { item: itemIndex });
			}
		}
		return [returnData];
	}
}
