import { parseDay, parseInstant, type ZoneDay } from '../../shared/dates';

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
 * Touches inside the frequency-cap window, from the member's touch history: calendar days in the
 * member's zone (today and the `windowDays - 1` days before), not a rolling 24 hours per day, so
 * yesterday's reminder never blocks today's greeting, however late yesterday's run was or whether
 * the clocks changed overnight. An entry is a local calendar date (`YYYY-MM-DD`, as the campaign
 * record's `memberLocalDate` holds it) or an instant (ISO timestamp with an offset, epoch ms),
 * which is placed on the member's calendar; instants after the as-of moment do not count.
 */
export function countTouches(history: unknown, zoneDay: ZoneDay, windowDays: number): number {
	if (!Array.isArray(history)) return 0;
	const firstDay = zoneDay.today - windowDays + 1;
	let touches = 0;
	for (const entry of history) {
		const day = parseDay(entry, zoneDay.offsetMinutes);
		if (!(day >= firstDay && day <= zoneDay.today)) continue;
		const instant = typeof entry === 'string' && entry.length <= 10 ? NaN : parseInstant(entry);
		if (instant > zoneDay.asOfMs) continue;
		touches++;
	}
	return touches;
}
