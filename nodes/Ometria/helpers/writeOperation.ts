import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPairedItemData,
} from 'n8n-workflow';

import { checkRecordSize, type PlannedRecord, type PushRecord } from '../logic/batching';
import type { MappingResult } from '../logic/contactMapping';
import { describeRejection, type PushError } from '../logic/pushErrors';
import type { FieldError } from '../logic/values';
import { parameterReader, type ParameterReader } from './parameters';
import { runPush, type PushRunResult, type PushSettings } from './pushEngine';

/**
 * What every write operation shares: map and check each item, push the records, and sort the
 * items onto the Success and Rejected outputs, with a summary item on request.
 */

export interface WriteOperation {
	/** Names the operation in messages and the summary, e.g. `contact.upsert`. */
	name: string;
	recordType: 'contact' | 'custom_event';
	/** Maps one input item; reads its parameters with `parameter` for this item index. */
	buildRecord(
		this: IExecuteFunctions,
		itemIndex: number,
		parameter: ParameterReader,
	): MappingResult<PushRecord>;
}

export type RejectionStage = 'validation' | 'push' | 'verification';

interface Rejection {
	itemIndex: number;
	stage: RejectionStage;
	reason: string;
	field?: string;
	errorPath?: string;
	record?: PushRecord;
	requestId?: string;
	errors?: FieldError[];
}

interface PushOptions {
	verify?: boolean;
	verifyWaitSeconds?: number;
	includeSummary?: boolean;
	concurrency?: number;
	maxRequestsPerSecond?: number;
	maxRetries?: number;
	maxRetryTimeSeconds?: number;
	recordsPerRequest?: number;
	timeoutSeconds?: number;
}

export function pushSettings(options: PushOptions, continueOnFail: boolean): PushSettings {
	return {
		maxRatePerSecond: options.maxRequestsPerSecond ?? 8,
		concurrency: options.concurrency ?? 3,
		recordsPerRequest: options.recordsPerRequest ?? 100,
		policy: {
			maxAttempts: (options.maxRetries ?? 7) + 1,
			baseDelayMs: 500,
			maxDelayMs: 20_000,
			maxTotalWaitMs: (options.maxRetryTimeSeconds ?? 120) * 1000,
		},
		timeoutMs: (options.timeoutSeconds ?? 30) * 1000,
		verify: options.verify ?? true,
		verifyWaitMs: (options.verifyWaitSeconds ?? 5) * 1000,
		verifyReadIntervalMs: 2000,
		stopOnRequestFailure: !continueOnFail,
	};
}

/** `properties.annex_x` → `root > properties > annex_x`, Ometria's way of naming a field. */
export function errorPathOf(field: string): string {
	return ['root', ...field.split('.')].join(' > ');
}

function describeErrors(errors: FieldError[]): string {
	return errors.map((error) => `${error.field}: ${error.message}`).join('; ');
}

export async function executeWrite(
	this: IExecuteFunctions,
	operation: WriteOperation,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const options = this.getNodeParameter('options', 0, {}) as PushOptions;
	const settings = pushSettings(options, continueOnFail);

	const parameter = parameterReader(this);
	const planned: PlannedRecord[] = [];
	const rejections: Rejection[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let mapped: MappingResult<PushRecord>;
		try {
			mapped = operation.buildRecord.call(this, itemIndex, parameter);
		} catch (error) {
			if (!continueOnFail)
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			rejections.push({ itemIndex, stage: 'validation', reason: (error as Error).message });
			continue;
		}
		const sizeError = mapped.record ? checkRecordSize(mapped.record) : undefined;
		const errors = sizeError ? [sizeError] : mapped.errors;
		if (errors.length || !mapped.record) {
			if (!continueOnFail) {
				throw new NodeOperationError(
					this.getNode(),
					`Item ${itemIndex}: ${describeErrors(errors.slice(0, 1))}`,
					{
						itemIndex,
						description: `The item was not sent. ${describeErrors(errors)}`,
					},
				);
			}
			rejections.push({
				itemIndex,
				stage: 'validation',
				reason: describeErrors(errors),
				field: errors[0]?.field,
				errorPath: errors[0] ? errorPathOf(errors[0].field) : undefined,
				record: mapped.record,
				errors,
			});
			continue;
		}
		planned.push({ itemIndex, record: mapped.record });
	}

	const run = planned.length ? await runPush.call(this, planned, settings) : undefined;
	const verified = settings.verify && !run?.verificationError;
	if (run?.verificationError) {
		if (!continueOnFail) throw run.verificationError;
		this.addExecutionHints({
			message: `The records were sent, but Ometria's push errors could not be read to check for rejections: ${run.verificationError.message}`,
			location: 'outputPane',
		});
	}
	if (run) {
		for (const failed of run.failed) {
			rejections.push({
				itemIndex: failed.itemIndex,
				stage: 'push',
				reason: failed.error.message,
				record: failed.record,
			});
		}
		const firstRejected = [...run.rejected.keys()].sort((a, b) => a - b)[0];
		if (firstRejected !== undefined && !continueOnFail) {
			throw rejectionError.call(this, operation, firstRejected, run);
		}
	}

	const success: INodeExecutionData[] = [];
	for (const delivered of run?.delivered ?? []) {
		const error = run?.rejected.get(delivered.itemIndex);
		if (error) {
			rejections.push(
				fromPushError(delivered.itemIndex, error, delivered.record, delivered.requestId),
			);
			continue;
		}
		success.push({
			json: {
				status: verified ? 'verified' : 'accepted',
				recordType: operation.recordType,
				recordId: delivered.record.id,
				requestId: delivered.requestId,
				record: delivered.record,
			},
			pairedItem: { item: delivered.itemIndex },
		});
	}
	success.sort(
		(a, b) => (a.pairedItem as IPairedItemData).item - (b.pairedItem as IPairedItemData).item,
	);
	rejections.sort((a, b) => a.itemIndex - b.itemIndex);
	const rejected: INodeExecutionData[] = rejections.map((rejection) => ({
		json: rejectionJson(operation, rejection),
		pairedItem: { item: rejection.itemIndex },
	}));

	if (run?.unmatchedErrors.length || run?.verificationMayBeIncomplete) {
		this.addExecutionHints({
			message: run.verificationMayBeIncomplete
				? 'Ometria keeps only its 100 most recent push errors and this run filled them: some rejections may not be shown'
				: `${run.unmatchedErrors.length} push error(s) of this run name no record that was sent: ${run.unmatchedErrors
						.slice(0, 3)
						.map(describeRejection)
						.join('; ')}`,
			location: 'outputPane',
		});
	}
	if (options.includeSummary) {
		success.push({
			json: {
				summary: summaryOf(operation, items.length, success.length, rejections, run, verified),
			},
			pairedItem: items.map((_, item) => ({ item })),
		});
	}
	return [success, rejected];
}

function fromPushError(
	itemIndex: number,
	error: PushError,
	record: PushRecord,
	requestId: string,
): Rejection {
	return {
		itemIndex,
		stage: 'verification',
		reason: describeRejection(error),
		field: error.field,
		errorPath: error.errorPath,
		record,
		requestId,
	};
}

function rejectionJson(operation: WriteOperation, rejection: Rejection): IDataObject {
	return {
		reason: rejection.reason,
		error_path: rejection.errorPath ?? null,
		field: rejection.field ?? null,
		stage: rejection.stage,
		recordType: operation.recordType,
		recordId: rejection.record?.id ?? null,
		requestId: rejection.requestId ?? null,
		record: rejection.record ?? null,
		...(rejection.errors ? { errors: rejection.errors as unknown as IDataObject[] } : {}),
	};
}

function rejectionError(
	this: IExecuteFunctions,
	operation: WriteOperation,
	itemIndex: number,
	run: PushRunResult,
): NodeOperationError {
	const error = run.rejected.get(itemIndex) as PushError;
	const record = run.delivered.find((entry) => entry.itemIndex === itemIndex)?.record;
	const others = run.rejected.size - 1;
	const field = error.field ? ` in field ${error.field}` : '';
	return new NodeOperationError(
		this.getNode(),
		`Ometria rejected item ${itemIndex} (${operation.recordType} ${String(record?.id ?? error.recordId)})${field}: ${error.message}`,
		{
			itemIndex,
			description:
				`Error path: ${error.errorPath ?? 'not given'}. Request ${error.requestId}.` +
				(others > 0 ? ` ${others} other item(s) were rejected too.` : '') +
				' The other records were sent. Turn on "Continue (using error output)" or "Continue" under Settings › On Error to get rejected items on the Rejected output instead.',
		},
	);
}

export interface PushSummary extends IDataObject {
	operation: string;
	items: number;
	sent: number;
	accepted: number;
	rejected: number;
	rejectedBeforeSending: number;
	rejectedByOmetria: number;
	failedToSend: number;
	requests: number;
	failedRequests: number;
	attempts: number;
	retries: number;
	throttled429: number;
	serverErrors: number;
	networkErrors: number;
	throttledMs: number;
	rateLimitWaitMs: number;
	retryWaitMs: number;
	durationMs: number;
	recordsPerSecond: number;
	verified: boolean;
	/** Ometria keeps 100 errors: this run may have had more rejections than it could see. */
	verificationMayBeIncomplete: boolean;
}

function summaryOf(
	operation: WriteOperation,
	itemCount: number,
	accepted: number,
	rejections: Rejection[],
	run: PushRunResult | undefined,
	verified: boolean,
): PushSummary {
	const count = (stage: RejectionStage) =>
		rejections.filter((rejection) => rejection.stage === stage).length;
	const tally = run?.tally;
	const sent = run?.delivered.length ?? 0;
	const durationMs = run?.durationMs ?? 0;
	return {
		operation: operation.name,
		items: itemCount,
		sent,
		accepted,
		rejected: rejections.length,
		rejectedBeforeSending: count('validation'),
		rejectedByOmetria: count('verification'),
		failedToSend: count('push'),
		requests: run?.requests ?? 0,
		failedRequests: run?.failedRequests ?? 0,
		attempts: tally?.attempts ?? 0,
		retries: Math.max(
			0,
			(tally?.attempts ?? 0) - (run?.requests ?? 0) - (run?.failedRequests ?? 0),
		),
		throttled429: tally?.throttled429 ?? 0,
		serverErrors: tally?.serverErrors ?? 0,
		networkErrors: tally?.networkErrors ?? 0,
		throttledMs: Math.round((tally?.rateLimitWaitMs ?? 0) + (tally?.throttledBackoffMs ?? 0)),
		rateLimitWaitMs: Math.round(tally?.rateLimitWaitMs ?? 0),
		retryWaitMs: Math.round(tally?.retryWaitMs ?? 0),
		durationMs,
		recordsPerSecond: durationMs > 0 ? Math.round((sent / durationMs) * 100_000) / 100 : 0,
		verified,
		verificationMayBeIncomplete: run?.verificationMayBeIncomplete ?? false,
	};
}
