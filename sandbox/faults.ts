import { hashString, mixSeed, mulberry32, type Random } from './random';

/**
 * Fault injection per endpoint key (`ometria.push`, `annex.users.get`, …), with `ometria.*`,
 * `annex.*` and `*` as fallbacks. Each key draws from its own seeded stream, so the n-th request
 * to an endpoint meets the same fault on every run with the same seed and configuration.
 */

export interface EndpointFault {
	/** Share (0..1) of requests answered 429. */
	rate429?: number;
	/** Share answered with a 5xx (`status5xx`, default 503). */
	rate5xx?: number;
	/** Share whose socket is destroyed without a response. */
	rateDrop?: number;
	/** Share delayed by `slowMs` before normal handling (drawn independently of the above). */
	rateSlow?: number;
	slowMs?: number;
	status5xx?: number;
}

export type FaultConfig = Record<string, EndpointFault>;

export type FaultKind = 'none' | '429' | '5xx' | 'drop';

export interface FaultDecision {
	kind: FaultKind;
	status: number;
	slowMs: number;
}

export interface FaultCounts {
	'429': number;
	'5xx': number;
	drop: number;
	slow: number;
}

const NO_FAULT: FaultDecision = { kind: 'none', status: 0, slowMs: 0 };
const DEFAULT_SLOW_MS = 2000;

export class FaultInjector {
	private config: FaultConfig = {};
	private streams = new Map<string, Random>();
	readonly injected = new Map<string, FaultCounts>();

	constructor(private readonly seed: number) {}

	/** Replaces the whole configuration (an empty object clears it) and restarts the streams. */
	configure(config: FaultConfig): void {
		this.config = { ...config };
		this.streams.clear();
	}

	current(): FaultConfig {
		return this.config;
	}

	reset(): void {
		this.configure({});
		this.injected.clear();
	}

	private ruleFor(key: string): EndpointFault | undefined {
		const vendor = key.split('.')[0];
		return this.config[key] ?? this.config[`${vendor}.*`] ?? this.config['*'];
	}

	decide(key: string): FaultDecision {
		const rule = this.ruleFor(key);
		if (!rule) return NO_FAULT;
		let random = this.streams.get(key);
		if (!random) {
			random = mulberry32(mixSeed(this.seed, hashString(key)));
			this.streams.set(key, random);
		}
		const roll = random();
		const slowRoll = random();
		const counts = this.countsFor(key);
		const slowMs = slowRoll < (rule.rateSlow ?? 0) ? (rule.slowMs ?? DEFAULT_SLOW_MS) : 0;
		if (slowMs > 0) counts.slow++;
		let edge = rule.rate429 ?? 0;
		if (roll < edge) {
			counts['429']++;
			return { kind: '429', status: 429, slowMs };
		}
		edge += rule.rate5xx ?? 0;
		if (roll < edge) {
			counts['5xx']++;
			return { kind: '5xx', status: rule.status5xx ?? 503, slowMs };
		}
		edge += rule.rateDrop ?? 0;
		if (roll < edge) {
			counts.drop++;
			return { kind: 'drop', status: 0, slowMs };
		}
		return slowMs > 0 ? { kind: 'none', status: 0, slowMs } : NO_FAULT;
	}

	private countsFor(key: string): FaultCounts {
		let counts = this.injected.get(key);
		if (!counts) {
			counts = { '429': 0, '5xx': 0, drop: 0, slow: 0 };
			this.injected.set(key, counts);
		}
		return counts;
	}
}

/** Request and response counts per endpoint key, for `GET /_sandbox/stats`. */
export class RequestStats {
	readonly requests = new Map<string, number>();
	readonly statuses = new Map<string, Map<number, number>>();

	count(key: string): void {
		this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
	}

	status(key: string, status: number): void {
		let byStatus = this.statuses.get(key);
		if (!byStatus) {
			byStatus = new Map();
			this.statuses.set(key, byStatus);
		}
		byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
	}

	total429(): number {
		let total = 0;
		for (const byStatus of this.statuses.values()) total += byStatus.get(429) ?? 0;
		return total;
	}

	clear(): void {
		this.requests.clear();
		this.statuses.clear();
	}
}
