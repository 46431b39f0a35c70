import { MS_PER_DAY, parseInstant } from '../../shared/dates';

/** Why a matched member is not contacted. Stable codes, for routing and campaign logs. */
export type ExclusionReason =
	| 'duplicate'
	| 'blocklisted'
	| 'unsubscribed_all_channels'
	| 'no_contact_channel'
	| 'frequency_cap'
	| 'holdout'
	| 'needs_approval'
	| 'rule_not_matched';

export const EXCLUSION_REASONS: ExclusionReason[] = [
	'duplicate',
	'blocklisted',
	'unsubscribed_all_channels',
	'no_contact_channel',
	'frequency_cap',
	'holdout',
	'needs_approval',
	'rule_not_matched',
];

/**
 * Holdout bucket 0..9999 of a member: FNV-1a (32 bit) of `${salt}:${memberId}`. The same member
 * and salt always land in the same bucket, so a holdout group is stable across runs.
 */
export function holdoutBucket(memberId: string, salt: string): number {
	const key = `${salt}:${memberId}`;
	let hash = 0x811c9dc5;
	for (let index = 0; index < key.length; index++) {
		hash ^= key.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0) % 10000;
}

export function isInHoldout(memberId: string, salt: string, percent: number): boolean {
	return percent > 0 && holdoutBucket(memberId, salt) < percent * 100;
}

/**
 * Touches per member kept between runs (the node keeps it in workflow static data). Keys are
 * prefixed so member IDs never become object keys such as '__proto__'.
 */
export interface TouchState {
	touches: Record<string, number[]>;
}

const touchKey = (memberId: string): string => `m:${memberId}`;

export interface TouchLedger {
	/** Touches inside the window: from the member's history field and from the stored state. */
	count(memberId: string, history: unknown): number;
	record(memberId: string): void;
	/** Drops touches older than the window and members left with none. */
	prune(): TouchState;
}

export function createTouchLedger(
	state: TouchState | undefined,
	windowDays: number,
	asOfMs: number,
): TouchLedger {
	const stored: Record<string, number[]> = state?.touches ?? {};
	const windowStart = asOfMs - windowDays * MS_PER_DAY;
	const inWindow = (instant: number): boolean => instant > windowStart && instant <= asOfMs;
	return {
		count(memberId, history) {
			let touches = 0;
			if (Array.isArray(history)) {
				for (const entry of history) if (inWindow(parseInstant(entry))) touches++;
			}
			const kept = Object.prototype.hasOwnProperty.call(stored, touchKey(memberId))
				? stored[touchKey(memberId)]
				: undefined;
			if (Array.isArray(kept)) for (const instant of kept) if (inWindow(instant)) touches++;
			return touches;
		},
		record(memberId) {
			const key = touchKey(memberId);
			const kept = Object.prototype.hasOwnProperty.call(stored, key) ? stored[key] : undefined;
			if (Array.isArray(kept)) kept.push(asOfMs);
			else stored[key] = [asOfMs];
		},
		prune() {
			const touches: Record<string, number[]> = {};
			for (const [key, instants] of Object.entries(stored)) {
				if (!Array.isArray(instants)) continue;
				const recent = instants.filter((instant) => instant > windowStart);
				if (recent.length > 0) touches[key] = recent;
			}
			return { touches };
		},
	};
}
