import { sleep, type IExecuteFunctions, type NodeApiError } from 'n8n-workflow';

import type { RetryPolicy } from '../../shared/retry';
import { nextStartableBatch, planBatches, type Batch, type PlannedRecord } from '../logic/batching';
import {
	PushErrorCollector,
	pushErrorList,
	SentRecordIndex,
	type PushError,
} from '../logic/pushErrors';
import type { AdaptiveRateLimiter } from '../logic/rateLimiter';
import {
	accountLimiter,
	DATA_API_RATE_PER_SECOND,
	emptyTally,
	ometriaAccount,
	pacedRequest,
	type OmetriaAccount,
	type RequestTally,
} from '../transport';

/**
 * The push engine every write operation shares: batches of at most 100 records of one type,
 * sent by a few workers whose start times the account's rate limiter paces, each request retried
 * with back-off; then, optionally, Ometria's push errors are read and joined to the input items.
 */

export interface PushSettings {
	maxRatePerSecond: number;
	concurrency: number;
	recordsPerRequest: number;
	policy: RetryPolicy;
	timeoutMs: number;
	verify: boolean;
	verifyWaitMs: number;
	/** Read the errors while pushing at most this often, before they scroll out of the last 100. */
	verifyReadIntervalMs: number;
	/** With `continueOnFail` off, a request that fails for good stops the run. */
	stopOnRequestFailure: boolean;
}

export interface DeliveredRecord extends PlannedRecord {
	requestId: string;
}

export interface FailedRecord extends PlannedRecord {
	error: NodeApiError;
}

export interface PushRunResult {
	delivered: DeliveredRecord[];
	/** Records of requests that failed after every retry. */
	failed: FailedRecord[];
	/** Ometria's validation errors per input item. */
	rejected: Map<number, PushError>;
	/** Errors of this run's requests that name no record of it. */
	unmatchedErrors: PushError[];
	/** More errors may exist than the 100 most recent ones showed. */
	verificationMayBeIncomplete: boolean;
	/** The last read of the push errors failed: rejections are unknown. */
	verificationError?: NodeApiError;
	requests: number;
	failedRequests: number;
	/** Reads of `/push/_errors` (their attempts are in the tally too). */
	errorReads: number;
	tally: RequestTally;
	durationMs: number;
}

interface PushAnswer {
	request_id?: string;
	accepted?: number;
	rejected?: number;
}

export async function runPush(
	this: IExecuteFunctions,
	records: PlannedRecord[],
	settings: PushSettings,
): Promise<PushRunResult> {
	const startedAt = Date.now();
	const account = await ometriaAccount.call(this);
	const limiter = accountLimiter(account, 'push', {
		maxRatePerSecond: settings.maxRatePerSecond,
		recordsPerRequest: settings.recordsPerRequest,
	});

	const batches = planBatches(records, settings.recordsPerRequest);
	const tally = emptyTally();
	const index = new SentRecordIndex();
	const collector = new PushErrorCollector(index);
	const result: PushRunResult = {
		delivered: [],
		failed: [],
		rejected: collector.byItem,
		unmatchedErrors: collector.unmatched,
		verificationMayBeIncomplete: false,
		requests: 0,
		failedRequests: 0,
		errorReads: 0,
		tally,
		durationMs: 0,
	};

	const started = new Set<number>();
	const done = new Set<number>();
	let fatal: NodeApiError | undefined;
	let wake: () => void = () => {};
	let progress = new Promise<void>((resolve) => (wake = resolve));
	let lastErrorReadAt = Date.now();
	let reading = false;

	/** A failed read is kept, not thrown: a later read may succeed, and the records are sent. */
	const readErrors = async () => {
		reading = true;
		result.errorReads++;
		try {
			collector.add(pushErrorList(await readPushErrors.call(this, account, tally)));
			result.verificationError = undefined;
		} catch (error) {
			result.verificationError = error as NodeApiError;
		}
		reading = false;
		lastErrorReadAt = Date.now();
	};

	const send = async (batch: Batch) => {
		try {
			const { body } = await pacedRequest.call(
				this,
				account,
				limiter,
				{
					method: 'POST',
					path: '/push',
					body: batch.entries.map((entry) => entry.record),
					itemIndex: batch.entries[0].itemIndex,
					timeoutMs: settings.timeoutMs,
					policy: settings.policy,
				},
				tally,
			);
			const answer = (body ?? {}) as PushAnswer;
			const requestId = String(answer.request_id ?? '');
			result.requests++;
			for (const entry of batch.entries) {
				index.add(requestId, String(entry.record.id), entry.itemIndex);
				result.delivered.push({ ...entry, requestId });
			}
		} catch (error) {
			result.failedRequests++;
			for (const entry of batch.entries)
				result.failed.push({ ...entry, error: error as NodeApiError });
			if (settings.stopOnRequestFailure) fatal ??= error as NodeApiError;
		}
	};

	const worker = async () => {
		while (!fatal) {
			const batch = nextStartableBatch(batches, started, done);
			if (!batch) {
				if (started.size === batches.length) return;
				await progress;
				continue;
			}
			started.add(batch.index);
			await send(batch);
			done.add(batch.index);
			wake();
			progress = new Promise<void>((resolve) => (wake = resolve));
			if (
				settings.verify &&
				!reading &&
				Date.now() - lastErrorReadAt >= settings.verifyReadIntervalMs
			) {
				await readErrors();
			}
		}
	};

	const workers = Math.max(1, Math.min(settings.concurrency, batches.length));
	await Promise.all(Array.from({ length: workers }, worker));
	if (fatal) throw fatal;

	if (settings.verify && result.requests > 0) {
		await sleep(settings.verifyWaitMs);
		await readErrors();
		result.verificationMayBeIncomplete = collector.possiblyIncomplete;
	}
	result.durationMs = Date.now() - startedAt;
	return result;
}

/** The reads count in the run's tally too: a 429 on them is a 429 of the run. */
async function readPushErrors(
	this: IExecuteFunctions,
	account: OmetriaAccount,
	tally: RequestTally,
): Promise<unknown> {
	const limiter: AdaptiveRateLimiter = accountLimiter(account, 'data', {
		maxRatePerSecond: DATA_API_RATE_PER_SECOND,
	});
	const { body } = await pacedRequest.call(
		this,
		account,
		limiter,
		{ method: 'GET', path: '/push/_errors' },
		tally,
	);
	return body;
}
