import { AdaptiveRateLimiter, queueHeaders } from '../../../nodes/Ometria/logic/rateLimiter';

/** Ometria's push limit as the sandbox models it: a bucket of `rate` tokens, refilled at `rate`/s. */
class ServerBucket {
	private tokens: number;
	private last = 0;

	constructor(private readonly rate: number) {
		this.tokens = rate;
	}

	take(now: number): boolean {
		this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
		this.last = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}

interface SimulationResult {
	accepted: number[];
	throttled: number[];
	durationMs: number;
}

/**
 * Event-driven simulation: each client runs `workers` workers that reserve a start time, send
 * (the server bucket decides), and report the answer `latencyMs` later. Clients that join late
 * start at `startAt`. Injected 429s (random, not rate-caused) come from `fault429`.
 */
function simulate(options: {
	clients: number;
	workers: number;
	durationMs: number;
	latencyMs: number;
	serverRate?: number;
	maxRate?: number;
	fault429?: number;
	/** Client n starts n × staggerMs later. */
	staggerMs?: number;
}): SimulationResult {
	let now = 0;
	const clock = () => now;
	const server = new ServerBucket(options.serverRate ?? 8);
	let seed = 7;
	const random = () => {
		seed = (seed * 1103515245 + 12345) % 2 ** 31;
		return seed / 2 ** 31;
	};
	const limiters = Array.from(
		{ length: options.clients },
		() => new AdaptiveRateLimiter({ maxRatePerSecond: options.maxRate ?? 8, now: clock }),
	);
	const accepted = Array(options.clients).fill(0);
	const throttled = Array(options.clients).fill(0);
	type Event = {
		at: number;
		client: number;
		kind: 'reserve' | 'start' | 'answer';
		status?: number;
	};
	const events: Event[] = [];
	for (let client = 0; client < options.clients; client++) {
		const startAt = client * (options.staggerMs ?? 0);
		for (let worker = 0; worker < options.workers; worker++)
			events.push({ at: startAt, client, kind: 'reserve' });
	}
	while (events.length) {
		events.sort((a, b) => a.at - b.at);
		const event = events.shift()!;
		now = event.at;
		if (now > options.durationMs) break;
		const limiter = limiters[event.client];
		if (event.kind === 'reserve') {
			events.push({ at: now + limiter.reserve(), client: event.client, kind: 'start' });
		} else if (event.kind === 'start') {
			const injected = options.fault429 !== undefined && random() < options.fault429;
			const status = !injected && server.take(now) ? 202 : 429;
			events.push({ at: now + options.latencyMs, client: event.client, kind: 'answer', status });
		} else {
			limiter.observe({ statusCode: event.status });
			if (event.status === 429) throttled[event.client]++;
			else accepted[event.client]++;
			events.push({ at: now, client: event.client, kind: 'reserve' });
		}
	}
	return { accepted, throttled, durationMs: options.durationMs };
}

/** 99% of the 8/s limit: the rate the limiter aims at. */
const TARGET = 8 * 0.99;

describe('adaptive rate limiter', () => {
	it('spaces start times evenly a little under the limit, without a burst', () => {
		let now = 0;
		const limiter = new AdaptiveRateLimiter({ maxRatePerSecond: 8, now: () => now });
		const waits = Array.from({ length: 5 }, () => limiter.reserve());
		const interval = 1000 / (8 * 0.99);
		waits.forEach((wait, index) => expect(wait).toBeCloseTo(index * interval, 6));
		now = 10_000;
		expect(limiter.reserve()).toBe(0);
		expect(limiter.reserve()).toBeCloseTo(interval, 6);
	});

	it('cuts the rate once per overload, pauses, then creeps back up', () => {
		let now = 0;
		const limiter = new AdaptiveRateLimiter({ maxRatePerSecond: 8, now: () => now });
		limiter.reserve();
		limiter.observe({ statusCode: 429 });
		limiter.observe({ statusCode: 429 });
		expect(limiter.currentRatePerSecond).toBeCloseTo(TARGET * 0.5, 6);
		expect(limiter.stats).toMatchObject({ throttledResponses: 2, rateDecreases: 1 });
		expect(limiter.reserve()).toBeCloseTo(1000 / (TARGET * 0.5), 6);
		now = 500;
		limiter.observe({ statusCode: 429 });
		expect(limiter.stats.rateDecreases).toBe(2);
		const cut = limiter.currentRatePerSecond;
		now = 2500;
		expect(limiter.currentRatePerSecond).toBeCloseTo(cut + 2 * 0.4, 6);
		now = 300_000;
		expect(limiter.currentRatePerSecond).toBeCloseTo(TARGET, 6);
	});

	it('slows down in proportion as the queue backlog fills, and waits while it is full', () => {
		let now = 0;
		const limiter = new AdaptiveRateLimiter({ maxRatePerSecond: 8, now: () => now });
		limiter.observe(
			queueHeaders({ 'x-queuesize-limit': '50000', 'x-queuesize-remaining': '40000' }),
		);
		expect(limiter.currentRatePerSecond).toBeCloseTo(TARGET, 6);
		limiter.observe(
			queueHeaders({ 'X-QueueSize-Limit': '50000', 'X-QueueSize-Remaining': '5000' }),
		);
		expect(limiter.currentRatePerSecond).toBeCloseTo(TARGET * 0.5, 6);
		limiter.observe({ queueLimit: 50_000, queueRemaining: 50 });
		now = 10_000;
		expect(limiter.reserve()).toBe(1000);
		limiter.observe({ queueLimit: 50_000, queueRemaining: 50_000 });
		expect(limiter.currentRatePerSecond).toBeCloseTo(TARGET, 6);
	});

	it('counts the records of requests still on their way against the queue', () => {
		let now = 0;
		const limiter = new AdaptiveRateLimiter({ maxRatePerSecond: 8, now: () => now });
		limiter.observe({ queueLimit: 1000, queueRemaining: 450 });
		expect(limiter.currentRatePerSecond).toBeCloseTo(TARGET, 6);
		limiter.reserve();
		limiter.reserve();
		// 450 - 2 × 100 = 250 of 1000: just above the 20% watermark.
		expect(limiter.currentRatePerSecond).toBeCloseTo(TARGET, 6);
		limiter.reserve();
		expect(limiter.currentRatePerSecond).toBeCloseTo(TARGET * (150 / 1000 / 0.2), 6);
		limiter.reserve();
		limiter.reserve();
		now = 5000;
		// 450 - 5 × 100 < one request: wait for the queue to drain.
		expect(limiter.reserve()).toBe(1000);
	});

	it('keeps the configured limit when reconfigured, never above it', () => {
		const limiter = new AdaptiveRateLimiter({ maxRatePerSecond: 8, now: () => 0 });
		limiter.configure({ maxRatePerSecond: 4 });
		expect(limiter.currentRatePerSecond).toBeCloseTo(4 * 0.99, 6);
		expect(() => limiter.configure({ maxRatePerSecond: 0 })).toThrow(RangeError);
	});

	it('reads queue headers in any case, ignoring junk', () => {
		expect(queueHeaders({ 'X-QUEUESIZE-REMAINING': ['12'] })).toEqual({
			queueRemaining: 12,
			queueLimit: undefined,
		});
		expect(queueHeaders({ 'x-queuesize-remaining': 'n/a' })).toEqual({
			queueRemaining: undefined,
			queueLimit: undefined,
		});
	});

	it('alone against an 8/s account: at least 95% of the ceiling with under 1% 429s', () => {
		const result = simulate({ clients: 1, workers: 3, durationMs: 120_000, latencyMs: 40 });
		const rate = result.accepted[0] / 120;
		expect(rate).toBeGreaterThanOrEqual(0.95 * 8);
		expect(result.throttled[0] / (result.accepted[0] + result.throttled[0])).toBeLessThan(0.01);
	});

	it.each([
		[2, 0.07],
		[3, 0.1],
	])(
		'%i executions sharing one account settle at the limit instead of fighting',
		(clients, max429Share) => {
			const result = simulate({
				clients,
				workers: 3,
				durationMs: 300_000,
				latencyMs: 40,
				staggerMs: 10_000,
			});
			const accepted = result.accepted.reduce((sum, count) => sum + count, 0);
			const throttled = result.throttled.reduce((sum, count) => sum + count, 0);
			expect(accepted / 300).toBeGreaterThan(0.9 * 8);
			expect(accepted / 300).toBeLessThanOrEqual(8.1);
			expect(throttled / (accepted + throttled)).toBeLessThan(max429Share);
			for (const count of result.accepted) expect(count / accepted).toBeGreaterThan(0.6 / clients);
		},
	);

	it.each([
		[52_000, 0.02],
		[520_000, 0.01],
	])(
		'left at 8/s against an older 4/s account for %i ms: under the share of 429s, near the limit',
		(durationMs, max429Share) => {
			const result = simulate({ clients: 1, workers: 3, durationMs, latencyMs: 40, serverRate: 4 });
			const [accepted] = result.accepted;
			const [throttled] = result.throttled;
			expect(throttled / (accepted + throttled)).toBeLessThan(max429Share);
			expect(accepted / (durationMs / 1000)).toBeGreaterThan(0.9 * 4);
		},
	);

	it('recovers quickly only up to just under the rate that was refused, then probes slowly', () => {
		let now = 0;
		const limiter = new AdaptiveRateLimiter({ maxRatePerSecond: 8, now: () => now });
		limiter.observe({ statusCode: 429 });
		expect(limiter.currentRatePerSecond).toBeCloseTo(TARGET * 0.5, 6);
		now = 200_000;
		expect(limiter.currentRatePerSecond).toBeCloseTo(TARGET, 6);
		limiter.observe({ statusCode: 429 });
		now = 200_000 + 10_000;
		// Halved to 3.96, back to the ceiling 0.85 × 7.92 = 6.73 in 6.9 s at 0.4/s, then 0.02/s.
		const ceiling = TARGET * 0.85;
		const fastSeconds = (ceiling - TARGET * 0.5) / 0.4;
		expect(limiter.currentRatePerSecond).toBeCloseTo(ceiling + (10 - fastSeconds) * 0.02, 6);
	});

	it('keeps a usable rate under random 429s, which no slowing down can avoid', () => {
		const result = simulate({
			clients: 1,
			workers: 3,
			durationMs: 120_000,
			latencyMs: 40,
			serverRate: 50,
			maxRate: 50,
			fault429: 0.1,
		});
		expect(result.accepted[0] / 120).toBeGreaterThan(5);
	});
});
