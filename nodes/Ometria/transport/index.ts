import { createHash } from 'crypto';
import {
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
} from 'n8n-workflow';

import { requestWithRetry, type AttemptReport } from '../../shared/http';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../shared/retry';
import { AdaptiveRateLimiter, queueHeaders, type RateLimiterOptions } from '../logic/rateLimiter';
import type { WaitInterval } from '../logic/waitTime';

export const OMETRIA_CREDENTIAL = 'ometriaApi';

/** Ometria's Data API (everything but push) allows 4 requests per second per account. */
export const DATA_API_RATE_PER_SECOND = 4;

type OmetriaContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface OmetriaAccount {
	baseUrl: string;
	/** A hash of base URL and key: one rate limiter per account, never the key itself. */
	key: string;
}

export async function ometriaAccount(this: OmetriaContext): Promise<OmetriaAccount> {
	const credentials = await this.getCredentials<{ apiKey?: string; baseUrl?: string }>(
		OMETRIA_CREDENTIAL,
	);
	const baseUrl = (credentials.baseUrl || 'https://api.ometria.com/v2').replace(/\/+$/, '');
	const key = createHash('sha256')
		.update(`${baseUrl}\n${credentials.apiKey ?? ''}`)
		.digest('hex');
	return { baseUrl, key };
}

/**
 * One limiter per account and endpoint class, shared by every execution in this process, so
 * parallel executions and several Ometria nodes pace together; other processes (queue-mode
 * workers) are reconciled by the limiter's back-off on 429.
 */
const limiters = new Map<string, AdaptiveRateLimiter>();

export function accountLimiter(
	account: OmetriaAccount,
	endpoint: 'push' | 'data',
	options: Omit<RateLimiterOptions, 'now'>,
): AdaptiveRateLimiter {
	const id = `${endpoint}:${account.key}`;
	let limiter = limiters.get(id);
	if (limiter) limiter.configure(options);
	else {
		limiter = new AdaptiveRateLimiter(options);
		limiters.set(id, limiter);
	}
	return limiter;
}

/** What the requests of one run met; waits are kept as intervals so parallel ones count once. */
export interface RequestTally {
	attempts: number;
	throttled429: number;
	serverErrors: number;
	networkErrors: number;
	/** Waits for the rate limiter (pacing, 429 pauses, a full queue). */
	rateLimitWaits: WaitInterval[];
	/** Back-off between attempts. */
	retryWaits: WaitInterval[];
	/** Back-off that followed a 429. */
	throttledWaits: WaitInterval[];
}

export function emptyTally(): RequestTally {
	return {
		attempts: 0,
		throttled429: 0,
		serverErrors: 0,
		networkErrors: 0,
		rateLimitWaits: [],
		retryWaits: [],
		throttledWaits: [],
	};
}

export interface PacedRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, e.g. `/push`. */
	path: string;
	qs?: IDataObject;
	body?: unknown;
	itemIndex?: number;
	timeoutMs?: number;
	policy?: RetryPolicy;
}

/**
 * A request paced by the account's limiter, retried on 429, 5xx, timeouts and dropped
 * connections (push and reads are idempotent: records are upserts keyed by ID, events carry
 * deterministic IDs). Waiting uses `sleep` from n8n-workflow.
 */
export async function pacedRequest<T>(
	this: OmetriaContext,
	account: OmetriaAccount,
	limiter: AdaptiveRateLimiter,
	request: PacedRequest,
	tally: RequestTally = emptyTally(),
): Promise<{ body: T; headers: IDataObject; statusCode: number }> {
	const outcome = await requestWithRetry.call(
		this,
		OMETRIA_CREDENTIAL,
		{
			method: request.method,
			url: `${account.baseUrl}${request.path}`,
			qs: request.qs,
			body: request.body as IDataObject,
			json: true,
			headers: { Accept: 'application/json' },
			timeout: request.timeoutMs ?? 30_000,
		},
		{
			idempotent: true,
			policy: request.policy ?? DEFAULT_RETRY_POLICY,
			itemIndex: request.itemIndex,
			beforeAttempt: async () => {
				const waitMs = limiter.reserve();
				if (waitMs > 0) {
					const start = Date.now();
					tally.rateLimitWaits.push([start, start + waitMs]);
					await sleep(waitMs);
				}
			},
			afterAttempt: (report: AttemptReport) => {
				tally.attempts++;
				if (report.statusCode === 429) tally.throttled429++;
				else if (report.kind === 'server') tally.serverErrors++;
				else if (report.kind === 'network') tally.networkErrors++;
				if (report.waitMs !== undefined) {
					const wait: WaitInterval = [Date.now(), Date.now() + report.waitMs];
					tally.retryWaits.push(wait);
					if (report.statusCode === 429) tally.throttledWaits.push(wait);
				}
				limiter.observe({ statusCode: report.statusCode, ...queueHeaders(report.headers) });
			},
		},
	);
	return { body: outcome.body as T, headers: outcome.headers, statusCode: outcome.statusCode };
}

/** A GET against the Data API, paced at its own limit. */
export async function ometriaGet<T>(
	this: OmetriaContext,
	path: string,
	qs: IDataObject = {},
	itemIndex?: number,
): Promise<T> {
	const account = await ometriaAccount.call(this);
	const limiter = accountLimiter(account, 'data', { maxRatePerSecond: DATA_API_RATE_PER_SECOND });
	const { body } = await pacedRequest.call(this, account, limiter, {
		method: 'GET',
		path,
		qs,
		itemIndex,
	});
	return body as T;
}
