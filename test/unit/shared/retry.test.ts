import {
	backoffDelayMs,
	classifyNetworkCode,
	classifyStatus,
	DEFAULT_RETRY_POLICY,
	shouldRetry,
} from '../../../nodes/shared/retry';

describe('retry policy', () => {
	it('classifies statuses', () => {
		expect(classifyStatus(429)).toBe('throttled');
		expect([500, 502, 503, 504, 408].map(classifyStatus)).toEqual(Array(5).fill('server'));
		expect([400, 401, 403, 404, 422].map(classifyStatus)).toEqual(Array(5).fill('final'));
	});

	it('classifies network failures', () => {
		expect(classifyNetworkCode('ECONNRESET')).toBe('network');
		expect(classifyNetworkCode('ECONNREFUSED')).toBe('not-sent');
		expect(classifyNetworkCode(undefined)).toBe('final');
		expect(classifyNetworkCode('ERR_INVALID_URL')).toBe('final');
	});

	it('retries non-idempotent writes only when the server certainly did not act', () => {
		expect(shouldRetry('throttled', false)).toBe(true);
		expect(shouldRetry('not-sent', false)).toBe(true);
		expect(shouldRetry('server', false)).toBe(false);
		expect(shouldRetry('network', false)).toBe(false);
		expect(shouldRetry('server', true)).toBe(true);
		expect(shouldRetry('network', true)).toBe(true);
		expect(shouldRetry('final', true)).toBe(false);
	});

	it('backs off exponentially with jitter between half and the whole step, capped', () => {
		const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
		expect(backoffDelayMs(1, policy, () => 0)).toBe(50);
		expect(backoffDelayMs(1, policy, () => 1)).toBe(100);
		expect(backoffDelayMs(3, policy, () => 0)).toBe(200);
		expect(backoffDelayMs(3, policy, () => 1)).toBe(400);
		expect(backoffDelayMs(10, policy, () => 1)).toBe(1000);
		expect(backoffDelayMs(10, policy, () => 0)).toBe(500);
	});
});
