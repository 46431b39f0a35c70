import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
	type JsonObject,
} from 'n8n-workflow';

import {
	backoffDelayMs,
	classifyNetworkCode,
	classifyStatus,
	DEFAULT_RETRY_POLICY,
	shouldRetry,
	type FailureKind,
	type RetryPolicy,
} from './retry';

export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface AttemptReport {
	attempt: number;
	statusCode?: number;
	headers: IDataObject;
	kind?: FailureKind;
	waitMs?: number;
}

export interface RetryingRequestSettings {
	/** Reads and id-keyed upserts are idempotent; a points award is not. */
	idempotent: boolean;
	policy?: RetryPolicy;
	itemIndex?: number;
	/** Runs before every attempt, e.g. to wait for a rate limiter's permit. */
	beforeAttempt?: () => Promise<void>;
	/** Sees every answer, e.g. to adapt a rate limiter to 429s and queue headers. */
	afterAttempt?: (report: AttemptReport) => void;
}

export interface RequestOutcome<T> {
	statusCode: number;
	headers: IDataObject;
	body: T;
	attempts: number;
	/** Time spent waiting between attempts. */
	retryWaitMs: number;
}

function networkCode(error: { cause?: { code?: string }; code?: string }): string | undefined {
	return error.cause?.code ?? error.code;
}

/**
 * One authenticated request with bounded retries. HTTP status errors come back as responses
 * (`ignoreHttpStatusErrors`) so they can be classified; what still fails after the policy's
 * attempts becomes a `NodeApiError` carrying the item index.
 */
export async function requestWithRetry<T = unknown>(
	this: RequestContext,
	credentialType: string,
	options: IHttpRequestOptions,
	settings: RetryingRequestSettings,
): Promise<RequestOutcome<T>> {
	const policy = settings.policy ?? DEFAULT_RETRY_POLICY;
	let retryWaitMs = 0;
	for (let attempt = 1; ; attempt++) {
		await settings.beforeAttempt?.();
		let response: IN8nHttpFullResponse | undefined;
		let failure: { kind: FailureKind; error?: Error; statusCode?: number } | undefined;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
				...options,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as IN8nHttpFullResponse;
			if (response.statusCode >= 400) {
				failure = { kind: classifyStatus(response.statusCode), statusCode: response.statusCode };
			}
		} catch (error) {
			failure = { kind: classifyNetworkCode(networkCode(error)), error };
		}

		const headers = (response?.headers ?? {}) as IDataObject;
		const canRetry =
			failure !== undefined &&
			attempt < policy.maxAttempts &&
			shouldRetry(failure.kind, settings.idempotent) &&
			retryWaitMs < policy.maxTotalWaitMs;
		const waitMs = canRetry
			? Math.min(backoffDelayMs(attempt, policy), policy.maxTotalWaitMs - retryWaitMs)
			: undefined;
		settings.afterAttempt?.({
			attempt,
			statusCode: response?.statusCode,
			headers,
			kind: failure?.kind,
			waitMs,
		});

		if (!failure && response) {
			return {
				statusCode: response.statusCode,
				headers,
				body: response.body as T,
				attempts: attempt,
				retryWaitMs,
			};
		}
		if (waitMs !== undefined) {
			retryWaitMs += waitMs;
			await sleep(waitMs);
			continue;
		}
		throw apiError.call(this, failure!, response, attempt, settings.itemIndex);
	}
}

function apiError(
	this: RequestContext,
	failure: { kind: FailureKind; error?: Error; statusCode?: number },
	response: IN8nHttpFullResponse | undefined,
	attempts: number,
	itemIndex: number | undefined,
): NodeApiError {
	const tried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
	if (failure.error) {
		return new NodeApiError(this.getNode(), failure.error as unknown as JsonObject, {
			itemIndex,
			message: `${failure.error.message}${tried}`,
		});
	}
	const body = response?.body;
	const detail = typeof body === 'string' ? body : JSON.stringify(body ?? {});
	return new NodeApiError(
		this.getNode(),
		{ statusCode: failure.statusCode, body: detail } as unknown as JsonObject,
		{
			itemIndex,
			httpCode: String(failure.statusCode),
			message: `The service answered ${failure.statusCode}${tried}`,
			description: detail.slice(0, 2000),
		},
	);
}
