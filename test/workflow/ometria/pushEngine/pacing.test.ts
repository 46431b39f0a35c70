import { startSandbox, type Sandbox } from '../../../../sandbox';
import { OMETRIA_NODE, runOperation } from '../support';

/**
 * The push engine's rate limiter against the sandbox's token bucket and import queue, over real
 * HTTP, through Contact › Upsert.
 */

const contacts = (count: number) =>
	Array.from({ length: count }, (_, index) => ({
		loyaltyId: `p-${index}`,
		email: `p${index}@example.com`,
	}));

const upsert = (options: Record<string, unknown>) => ({
	options: { includeSummary: true, verify: false, ...options },
});

let sandbox: Sandbox | undefined;
afterEach(async () => await sandbox?.close());

describe('Ometria push pacing (workflow)', () => {
	it('holds 8 requests/s without a single 429', async () => {
		sandbox = await startSandbox();
		const run = await runOperation(sandbox, 'contact/upsert', upsert({}), contacts(3000));
		const summary = run.output(OMETRIA_NODE, 0).at(-1)?.summary as Record<string, number>;
		expect(summary).toMatchObject({ sent: 3000, requests: 30, throttled429: 0, retries: 0 });
		expect(sandbox.state.ometria.counters.rateLimited429).toBe(0);
		// 30 requests paced at 99% of 8/s: the last starts 29 intervals after the first.
		expect(summary.durationMs).toBeGreaterThanOrEqual((29 / (8 * 0.99)) * 1000 - 50);
		expect(summary.durationMs).toBeLessThan((29 / (8 * 0.99)) * 1000 + 1500);
	});

	it('slows down before the import queue is full instead of running into it', async () => {
		sandbox = await startSandbox({
			ometria: { pushRatePerSecond: 100, queueLimit: 1000, processDelayMs: 1000 },
		});
		const run = await runOperation(
			sandbox,
			'contact/upsert',
			upsert({ maxRequestsPerSecond: 100 }),
			contacts(5000),
		);
		const summary = run.output(OMETRIA_NODE, 0).at(-1)?.summary as Record<string, number>;
		expect(summary).toMatchObject({ sent: 5000, accepted: 5000, failedToSend: 0 });
		await sandbox.state.ometria.whenIdle();
		expect(sandbox.state.ometria.contactsIn('loyalty')).toHaveLength(5000);
		const queueFull = sandbox.state.ometria.counters.queueFull429;
		console.log(JSON.stringify({ queueFull, summary }));
		expect(queueFull).toBeLessThanOrEqual(2);
	});

	it('counts every 429, reads of push errors included, and reports throttled time as wall time', async () => {
		sandbox = await startSandbox();
		sandbox.setFaults({ 'ometria.push_errors': { rate429: 0.5 } });
		const run = await runOperation(
			sandbox,
			'contact/upsert',
			upsert({ verify: true, verifyWaitSeconds: 0.2, concurrency: 3 }),
			contacts(2000),
		);
		const summary = run.output(OMETRIA_NODE, 0).at(-1)?.summary as Record<string, number>;
		const responses = sandbox.stats().responses as Record<string, Record<string, number>>;
		const served429 =
			(responses['ometria.push']?.['429'] ?? 0) + (responses['ometria.push_errors']?.['429'] ?? 0);
		expect(responses['ometria.push_errors']['429']).toBeGreaterThan(0);
		expect(summary.throttled429).toBe(served429);
		expect(summary.errorReads).toBeGreaterThan(0);
		// Three workers wait side by side: their waits are counted once, so never above the run.
		expect(summary.throttledMs).toBeLessThanOrEqual(summary.durationMs);
		expect(summary.rateLimitWaitMs).toBeLessThanOrEqual(summary.durationMs);
	});
});
