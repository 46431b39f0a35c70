/**
 * Paces push requests for one Ometria account: an adaptive, smooth rate limiter.
 *
 * - Pacing: request start times are spread `1000 / rate` ms apart (no bursts), aiming a little
 *   under the account's limit (`headroom`), so a steady stream never trips the server's bucket.
 * - AIMD on 429: the rate is cut multiplicatively (at most once per `decreaseCooldownMs`, since
 *   one overload answers several requests in flight with 429) and new starts pause for one
 *   interval; then it creeps back up additively with time. Several executions or queue-mode
 *   workers sharing an account each back off this way and settle below the limit together.
 * - Backlog: with `X-QueueSize-Remaining` under `queueLowWatermark` of the queue's size, the rate
 *   is scaled down in proportion, and requests wait while less than one batch would fit.
 *
 * The limiter never sleeps: `reserve()` books a start time and returns how long to wait, and the
 * caller waits (with n8n-workflow's `sleep`). The clock is injected so tests are deterministic.
 */

export interface RateLimiterOptions {
	/** The account's documented or agreed push limit, requests per second. */
	maxRatePerSecond: number;
	/** Share of the limit to aim at. */
	headroom?: number;
	minRatePerSecond?: number;
	/** Rate multiplier on a 429. */
	decreaseFactor?: number;
	/** Requests per second regained per second (default: 5% of the limit, so 8/s → 0.4/s each second). */
	recoveryPerSecond?: number;
	/** One overload cuts the rate once, however many requests in flight it answers. */
	decreaseCooldownMs?: number;
	/** Share of the queue below which the rate is scaled down. */
	queueLowWatermark?: number;
	/** Queue size assumed when the server sends no `X-QueueSize-Limit` (Ometria documents 50,000). */
	defaultQueueLimit?: number;
	/** Records one request adds to the queue. */
	recordsPerRequest?: number;
	/** How long to hold new requests while the queue has no room for a batch. */
	queueFullPauseMs?: number;
	now?: () => number;
}

export interface ResponseObservation {
	statusCode?: number;
	queueRemaining?: number;
	queueLimit?: number;
}

export interface RateLimiterStats {
	reservations: number;
	/** Sum of the waits `reserve()` handed out. */
	reservedWaitMs: number;
	throttledResponses: number;
	rateDecreases: number;
	/** Reservations slowed down by a low queue. */
	queueSlowdowns: number;
	lowestRatePerSecond: number;
}

export const DEFAULT_MAX_RATE_PER_SECOND = 8;

/**
 * The back-off and recovery constants trade two cases against each other (see the simulations in
 * test/unit/ometria/rateLimiter.test.ts): halving the rate and regaining 5% of the limit per second
 * lets three executions sharing an account settle at the limit with under 10% 429s, while random
 * 429s (not caused by the rate) still leave a usable rate instead of a collapse.
 */
const RECOVERY_SHARE_PER_SECOND = 0.05;
/**
 * After an overload the rate recovers quickly only up to a learned ceiling, a little under the
 * rate that was refused; above it, it probes twenty times slower. An account with a lower limit
 * than configured (Ometria's older accounts take 4 requests/s, not 8) then settles under its
 * limit instead of running into it again every few seconds.
 */
const CEILING_MARGIN = 0.85;
const PROBE_SHARE_OF_RECOVERY = 0.05;
/**
 * The ceiling never goes below this share of the configured limit: 429s that no rate avoids
 * (random ones, or another client's) would otherwise talk it down to nothing.
 */
const CEILING_FLOOR_SHARE = 0.4;

export class AdaptiveRateLimiter {
	private readonly now: () => number;
	private maxRate = DEFAULT_MAX_RATE_PER_SECOND;
	private headroom = 0.99;
	private minRate = 0.2;
	private decreaseFactor = 0.5;
	private recoveryPerSecond?: number;
	private decreaseCooldownMs = 500;
	private queueLowWatermark = 0.2;
	private defaultQueueLimit = 50_000;
	private recordsPerRequest = 100;
	private queueFullPauseMs = 1000;

	private rate: number;
	/** Fast recovery stops here: just under the rate of the last overload. */
	private ceiling = Infinity;
	private nextStartAt = -Infinity;
	private lastUpdateAt: number;
	private lastDecreaseAt = -Infinity;
	private queueRemaining?: number;
	private queueLimit?: number;
	/** Requests booked but not answered yet: their records are on the way to the queue. */
	private outstanding = 0;

	readonly stats: RateLimiterStats = {
		reservations: 0,
		reservedWaitMs: 0,
		throttledResponses: 0,
		rateDecreases: 0,
		queueSlowdowns: 0,
		lowestRatePerSecond: Infinity,
	};

	constructor(options: RateLimiterOptions) {
		this.now = options.now ?? (() => Date.now());
		this.configure(options);
		this.rate = this.targetRate;
		this.lastUpdateAt = this.now();
	}

	/** Applies new settings (a node may change the limit between runs); keeps the learned rate. */
	configure(options: Omit<RateLimiterOptions, 'now'>): void {
		if (!(options.maxRatePerSecond > 0)) throw new RangeError('the request rate must be above 0');
		this.maxRate = options.maxRatePerSecond;
		this.headroom = options.headroom ?? this.headroom;
		this.minRate = Math.min(options.minRatePerSecond ?? this.minRate, this.targetRate);
		this.decreaseFactor = options.decreaseFactor ?? this.decreaseFactor;
		this.recoveryPerSecond = options.recoveryPerSecond ?? this.recoveryPerSecond;
		this.decreaseCooldownMs = options.decreaseCooldownMs ?? this.decreaseCooldownMs;
		this.queueLowWatermark = options.queueLowWatermark ?? this.queueLowWatermark;
		this.defaultQueueLimit = options.defaultQueueLimit ?? this.defaultQueueLimit;
		this.recordsPerRequest = options.recordsPerRequest ?? this.recordsPerRequest;
		this.queueFullPauseMs = options.queueFullPauseMs ?? this.queueFullPauseMs;
		if (this.rate !== undefined) this.rate = Math.min(this.rate, this.targetRate);
	}

	get targetRate(): number {
		return this.maxRate * this.headroom;
	}

	/** The rate new reservations are paced at, after recovery and the backlog factor. */
	get currentRatePerSecond(): number {
		this.recover(this.now());
		return this.rate * this.queueRoom().factor;
	}

	/**
	 * Room left in Ometria's import queue: the last `X-QueueSize-Remaining` less the records of
	 * requests still on their way. Below the watermark the rate shrinks in proportion; without
	 * room for one more request, new requests wait.
	 */
	private queueRoom(): { factor: number; full: boolean } {
		if (this.queueRemaining === undefined) return { factor: 1, full: false };
		const limit = this.queueLimit && this.queueLimit > 0 ? this.queueLimit : this.defaultQueueLimit;
		const room = this.queueRemaining - this.outstanding * this.recordsPerRequest;
		const share = Math.max(0, room) / limit;
		return {
			factor: share >= this.queueLowWatermark ? 1 : Math.max(0.05, share / this.queueLowWatermark),
			full: room < this.recordsPerRequest,
		};
	}

	/** Books the next start time; answers the milliseconds to wait before starting the request. */
	reserve(): number {
		const now = this.now();
		this.recover(now);
		const queue = this.queueRoom();
		const rate = Math.max(this.minRate, this.rate) * queue.factor;
		let startAt = Math.max(now, this.nextStartAt);
		if (queue.full) startAt = Math.max(startAt, now + this.queueFullPauseMs);
		if (queue.factor < 1 || queue.full) this.stats.queueSlowdowns++;
		this.outstanding++;
		this.nextStartAt = startAt + 1000 / rate;
		const waitMs = startAt - now;
		this.stats.reservations++;
		this.stats.reservedWaitMs += waitMs;
		this.stats.lowestRatePerSecond = Math.min(this.stats.lowestRatePerSecond, rate);
		return waitMs;
	}

	/** Learns from every answer: 429s lower the rate, queue headers scale it. */
	observe(observation: ResponseObservation): void {
		const now = this.now();
		this.recover(now);
		this.outstanding = Math.max(0, this.outstanding - 1);
		if (observation.statusCode === 429) {
			this.stats.throttledResponses++;
			if (now - this.lastDecreaseAt >= this.decreaseCooldownMs) {
				this.ceiling = Math.max(
					this.minRate,
					this.maxRate * CEILING_FLOOR_SHARE,
					this.rate * CEILING_MARGIN,
				);
				this.rate = Math.max(this.minRate, this.rate * this.decreaseFactor);
				this.lastDecreaseAt = now;
				this.stats.rateDecreases++;
				this.nextStartAt = Math.max(this.nextStartAt, now + 1000 / this.rate);
			}
		}
		if (observation.queueRemaining !== undefined) {
			this.queueRemaining = observation.queueRemaining;
			this.queueLimit = observation.queueLimit;
		}
	}

	private recover(now: number): void {
		const elapsedMs = Math.max(0, now - this.lastUpdateAt);
		this.lastUpdateAt = now;
		if (this.rate >= this.targetRate) return;
		const perSecond = this.recoveryPerSecond ?? this.maxRate * RECOVERY_SHARE_PER_SECOND;
		let seconds = elapsedMs / 1000;
		if (this.rate < this.ceiling) {
			const fast = Math.min(seconds, (this.ceiling - this.rate) / perSecond);
			this.rate += perSecond * fast;
			seconds -= fast;
		}
		this.rate = Math.min(
			this.targetRate,
			this.rate + perSecond * PROBE_SHARE_OF_RECOVERY * seconds,
		);
	}
}

/** Reads Ometria's backlog headers (any case; a list value takes its first entry). */
export function queueHeaders(headers: Record<string, unknown>): {
	queueRemaining?: number;
	queueLimit?: number;
} {
	const read = (name: string): number | undefined => {
		const key = Object.keys(headers).find((header) => header.toLowerCase() === name);
		if (key === undefined) return undefined;
		const raw = headers[key];
		const value = Number(Array.isArray(raw) ? raw[0] : raw);
		return Number.isFinite(value) ? value : undefined;
	};
	return { queueRemaining: read('x-queuesize-remaining'), queueLimit: read('x-queuesize-limit') };
}
