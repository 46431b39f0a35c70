/** When and how long to retry a vendor request. Pure: the HTTP layer applies it. */

export interface RetryPolicy {
	/** Attempts in all, the first one included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Total time the retries of one request may wait before the failure is reported. */
	maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 6,
	baseDelayMs: 500,
	maxDelayMs: 20_000,
	maxTotalWaitMs: 120_000,
};

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Network failures after which the server may or may not have seen the request. */
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ESOCKETTIMEDOUT',
	'EAI_AGAIN',
	'UND_ERR_SOCKET',
	'ERR_BAD_RESPONSE',
]);

/** The request never reached a server, so even a non-idempotent write is safe to repeat. */
const NOT_SENT_NETWORK_CODES = new Set(['ECONNREFUSED']);

export type FailureKind = 'throttled' | 'server' | 'network' | 'not-sent' | 'final';

export function classifyStatus(status: number): FailureKind {
	if (status === 429) return 'throttled';
	return RETRYABLE_STATUSES.has(status) ? 'server' : 'final';
}

export function classifyNetworkCode(code: string | undefined): FailureKind {
	if (code && NOT_SENT_NETWORK_CODES.has(code)) return 'not-sent';
	return code && RETRYABLE_NETWORK_CODES.has(code) ? 'network' : 'final';
}

/**
 * Idempotent requests (reads, upserts keyed by id) are retried on every transient failure.
 * Other writes only when the server certainly did not act on them: a 429, or a refused connection.
 */
export function shouldRetry(kind: FailureKind, idempotent: boolean): boolean {
	if (kind === 'final') return false;
	if (idempotent) return true;
	return kind === 'throttled' || kind === 'not-sent';
}

/** Exponential backoff with "equal jitter": at least half the step, so retries never stampede at 0 ms. */
export function backoffDelayMs(
	retryNumber: number,
	policy: RetryPolicy,
	random: () => number = Math.random,
): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
	return Math.round(step / 2 + random() * (step / 2));
}
