import { MS_PER_DAY, parseInstant, type ZoneDay } from '../../shared/dates';

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
	/**
	 * Touches inside the window: from the member's history field and from the stored state. The
	 * window is calendar days in the member's zone (today and the `windowDays - 1` days before),
	 * not a rolling 24 hours per day: yesterday's reminder never blocks today's greeting, however
	 * late yesterday's run was or whether the clocks changed overnight.
	 */
	count(memberId: string, history: unknown, zoneDay: ZoneDay): number;
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
	// Kept a day longer than the window, so members in any zone still see their whole window.
	const keepFrom = asOfMs - (windowDays + 1) * MS_PER_DAY;
	return {
		count(memberId, history, zoneDay) {
			const offsetMs = zoneDay.offsetMinutes * 60_000;
			const firstDay = zoneDay.today - windowDays + 1;
			const inWindow = (instant: number): boolean => {
				const day = Math.floor((instant + offsetMs) / MS_PER_DAY);
				return instant <= asOfMs && day >= firstDay && day <= zoneDay.today;
			};
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
				const recent = instants.filter((instant) => instant > keepFrom);
				if (recent.length > 0) touches[key] = recent;
			}
			return { touches };
		},
	};
}
