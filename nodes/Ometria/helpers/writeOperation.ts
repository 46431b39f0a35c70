import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPairedItemData,
} from 'n8n-workflow';

import { checkRecordSize, type PlannedRecord, type PushRecord } from '../logic/batching';
import type { MappingResult } from '../logic/contactMapping';
import { describeRejection, type PushError } from '../logic/pushErrors';
import { wallTimeMs } from '../logic/waitTime';
import type { FieldError } from '../logic/values';
import { resolveTimeZone } from './timeZone';
import { parameterReader, type ParameterReader } from './parameters';
import { runPush, type PushRunResult, type PushSettings } from './pushEngine';

/**
 * What every write operation shares: map and check each item, push the records, and sort the
 * items onto the Success and Rejected outputs, with a summary item on request.
 */

/** What every item of one run shares while it is mapped. */
export interface WriteContext {
	/** IANA zone for timestamps written without an offset. */
	timeZone: string;
	/** When this run started sending (ms). */
	sendTime: number;
}

/** Who a record is about, so a rejected item can be traced without its pairedItem. */
export interface RecordIdentity {
	memberId?: unknown;
	email?: unknown;
}

export interface WriteOperation {
	/** Names the operation in messages and the summary, e.g. `contact.upsert`. */
	name: string;
	recordType: 'contact' | 'custom_event';
	/** Whether "Check for Rejections" is on when the user has not set it. */
	verifyByDefault?: boolean;
	/** Maps one input item; reads its parameters with `parameter` for this item index. */
	buildRecord(
		this: IExecuteFunctions,
		itemIndex: number,
		parameter: ParameterReader,
		context: WriteContext,
	): MappingResult<PushRecord> & { warnings?: string[] };
	/** The member an item is about, read from its parameters (for rejected items). */
	identify(this: IExecuteFunctions, itemIndex: number, parameter: ParameterReader): RecordIdentity;
	/** Adjusts the checked records of the whole run before they are sent. */
	arrange?(this: IExecuteFunctions, planned: PlannedRecord[], context: WriteContext): void;
}

export type RejectionStage = 'validation' | 'push' | 'verification';

interface Rejection {
	itemIndex: number;
	identity?: RecordIdentity;
	stage: RejectionStage;
	reason: string;
	field?: string;
	errorPath?: string;
	record?: PushRecord;
	requestId?: string;
	errors?: FieldError[];
}

interface PushOptions {
	timeZone?: string;
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

export function pushSettings(
	options: PushOptions,
	continueOnFail: boolean,
	verifyByDefault = true,
): PushSettings {
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
		verify: options.verify ?? verifyByDefault,
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

/** Who a record names: its contact ID or account ID, and its email. */
function identityOf(record: PushRecord): RecordIdentity {
	return record['@type'] === 'contact'
		? { memberId: record.id, email: record.email }
		: { memberId: record.identity_account_id, email: record.identity_email };
}

/**
 * Records that fail a check go to the Rejected output whatever "On Error" says, and the rest are
 * still sent; only a failure of a whole request (auth, network after retries) or of the rejection
 * check follows n8n's "On Error" setting.
 */
export async function executeWrite(
	this: IExecuteFunctions,
	operation: WriteOperation,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const options = this.getNodeParameter('options', 0, {}) as PushOptions;
	const settings = pushSettings(options, continueOnFail, operation.verifyByDefault);
	const context: WriteContext = {
		timeZone: resolveTimeZone.call(this, options.timeZone),
		sendTime: Date.now(),
	};

	const parameter = parameterReader(this);
	const planned: PlannedRecord[] = [];
	const rejections: Rejection[] = [];
	const warnings = new Map<number, string[]>();
	const identify = (itemIndex: number): RecordIdentity => {
		try {
			return operation.identify.call(this, itemIndex, parameter);
		} catch {
			return {};
		}
	};
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let mapped: MappingResult<PushRecord> & { warnings?: string[] };
		try {
			mapped = operation.buildRecord.call(this, itemIndex, parameter, context);
		} catch (error) {
			rejections.push({
				itemIndex,
				identity: identify(itemIndex),
				stage: 'validation',
				reason: (error as Error).message,
			});
			continue;
		}
		const sizeError = mapped.record ? checkRecordSize(mapped.record) : undefined;
		const errors = sizeError ? [sizeError] : mapped.errors;
		if (errors.length || !mapped.record) {
			rejections.push({
				itemIndex,
				identity: mapped.record ? identityOf(mapped.record) : identify(itemIndex),
				stage: 'validation',
				reason: describeErrors(errors),
				field: errors[0]?.field,
				errorPath: errors[0] ? errorPathOf(errors[0].field) : undefined,
				record: mapped.record,
				errors,
			});
			continue;
		}
		if (mapped.warnings?.length) warnings.set(itemIndex, mapped.warnings);
		planned.push({ itemIndex, record: mapped.record });
	}
	operation.arrange?.call(this, planned, context);

	const run = planned.length ? await runPush.call(this, planned, settings) : undefined;
	const verified = settings.verify && !run?.verificationError;
	if (run?.verificationError) {
		if (!continueOnFail) throw run.verificationError;
		this.addExecutionHints({
			message: `The records were sent, but Ometria's push errors could not be read to check for rejections: ${run.verificationError.message}`,
			location: 'outputPane',
		});
	}
	for (const failed of run?.failed ?? []) {
		for (const itemIndex of itemsOf(failed)) {
			rejections.push({
				itemIndex,
				identity: identityOf(failed.record),
				stage: 'push',
				reason: failed.error.message,
				record: failed.record,
			});
		}
	}

	const success: INodeExecutionData[] = [];
	for (const delivered of run?.delivered ?? []) {
		const error = run?.rejected.get(delivered.itemIndex);
		for (const itemIndex of itemsOf(delivered)) {
			if (error) {
				rejections.push(fromPushError(itemIndex, error, delivered.record, delivered.requestId));
				continue;
			}
			success.push({
				json: {
					status: verified ? 'verified' : 'accepted',
					recordType: operation.recordType,
					recordId: delivered.record.id,
					requestId: delivered.requestId,
					timeZone: context.timeZone,
					...(itemIndex !== delivered.itemIndex ? { mergedWithItem: delivered.itemIndex } : {}),
					...(warnings.has(itemIndex) ? { warnings: warnings.get(itemIndex) } : {}),
					record: delivered.record,
				},
				pairedItem: { item: itemIndex },
			});
		}
	}
	success.sort(
		(a, b) => (a.pairedItem as IPairedItemData).item - (b.pairedItem as IPairedItemData).item,
	);
	rejections.sort((a, b) => a.itemIndex - b.itemIndex);
	const rejected: INodeExecutionData[] = rejections.map((rejection) => ({
		json: rejectionJson(operation, rejection),
		pairedItem: { item: rejection.itemIndex },
	}));

	if (warnings.size) {
		this.addExecutionHints({
			message: `${warnings.size} item(s) were sent with a warning: ${[...warnings.values()][0][0]}`,
			location: 'outputPane',
		});
	}
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
				summary: summaryOf(operation, items.length, success.length, rejections, run, verified, {
					timeZone: context.timeZone,
					warnings: warnings.size,
				}),
			},
			pairedItem: items.map((_, item) => ({ item })),
		});
	}
	return [success, rejected];
}

/** The input items a pushed record answers for: its own and those merged into it. */
function itemsOf(planned: PlannedRecord): number[] {
	return [planned.itemIndex, ...(planned.mergedItems ?? [])];
}

function fromPushError(
	itemIndex: number,
	error: PushError,
	record: PushRecord,
	requestId: string,
): Rejection {
	return {
		itemIndex,
		identity: identityOf(record),
		stage: 'verification',
		reason: describeRejection(error),
		field: error.field,
		errorPath: error.errorPath,
		record,
		requestId,
	};
}

function identityText(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	const text = String(value).trim();
	return text === '' ? null : text;
}

function rejectionJson(operation: WriteOperation, rejection: Rejection): IDataObject {
	return {
		memberId: identityText(rejection.identity?.memberId),
		email: identityText(rejection.identity?.email),
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
	/** Reads of Ometria's push errors; their 429s count in `throttled429`. */
	errorReads: number;
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
	/** Zone timestamps without an offset were read in. */
	timeZone: string;
	/** Items sent with a warning (e.g. an event moved to the send time). */
	warnings: number;
}

function summaryOf(
	operation: WriteOperation,
	itemCount: number,
	accepted: number,
	rejections: Rejection[],
	run: PushRunResult | undefined,
	verified: boolean,
	extra: { timeZone: string; warnings: number },
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
		errorReads: run?.errorReads ?? 0,
		retries: Math.max(
			0,
			(tally?.attempts ?? 0) -
				(run?.requests ?? 0) -
				(run?.failedRequests ?? 0) -
				(run?.errorReads ?? 0),
		),
		throttled429: tally?.throttled429 ?? 0,
		serverErrors: tally?.serverErrors ?? 0,
		networkErrors: tally?.networkErrors ?? 0,
		// Wall time: waits of requests in flight together count once.
		throttledMs: Math.round(
			wallTimeMs([...(tally?.rateLimitWaits ?? []), ...(tally?.throttledWaits ?? [])]),
		),
		rateLimitWaitMs: Math.round(wallTimeMs(tally?.rateLimitWaits ?? [])),
		retryWaitMs: Math.round(wallTimeMs(tally?.retryWaits ?? [])),
		durationMs,
		recordsPerSecond: durationMs > 0 ? Math.round((sent / durationMs) * 100_000) / 100 : 0,
		verified,
		verificationMayBeIncomplete: run?.verificationMayBeIncomplete ?? false,
		...extra,
	};
}
