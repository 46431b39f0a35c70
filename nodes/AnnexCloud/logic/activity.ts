import { isoWeekOf, parseAnnexDate, WEEK_MS } from './dates';
import type { PlainObject } from '../../shared/memberValues';
import { toNumber } from './unwrap';

/** Action ids with a documented meaning (docs/annex-cloud.md, "Action ids"). Sites may configure others. */
export const ACTION_IDS = {
	manual: 100,
	optIn: 101,
	expired: 106,
	redemption: 107,
	purchase: 109,
	debitCountedAsExpired: 192,
} as const;

export const DEFAULT_PURCHASE_ACTION_IDS = [ACTION_IDS.purchase];

/** Ledger lines the system writes on its own: they are not something the member did. */
export const DEFAULT_SYSTEM_ACTION_IDS = [ACTION_IDS.expired, ACTION_IDS.debitCountedAsExpired];

export interface ActivityEntry {
	actionId: number | undefined;
	/** CREDIT or DEBIT, upper case; '' when the line does not say. */
	kind: string;
	credit: number;
	debit: number;
	/** Epoch ms of `createDate`, undefined when the line has none. */
	at: number | undefined;
	expireAt: number | undefined;
	/** Released, Expired, Hold, … lower case. */
	status: string;
}

export function readActivityEntry(line: PlainObject): ActivityEntry {
	const kind = String(line.activity ?? line.activityType ?? '').toUpperCase();
	const amount = toNumber(line.points) ?? 0;
	return {
		actionId: toNumber(line.actionId ?? line.action_id),
		kind,
		credit: toNumber(line.credit) ?? (kind === 'CREDIT' ? amount : 0),
		debit: toNumber(line.debit) ?? (kind === 'DEBIT' ? amount : 0),
		at: parseAnnexDate(line.createDate ?? line.create_date ?? line.activityDate ?? line.date),
		expireAt: parseAnnexDate(line.expireDate ?? line.expire_date ?? line.expiryDate),
		status: String(line.pointStatus ?? line.status ?? '').toLowerCase(),
	};
}

export interface ActivityClassification {
	purchaseActionIds: number[];
	systemActionIds: number[];
}

/** The chosen purchase and system action ids, the documented ones where none were chosen. */
export function activityClassification(
	choices: Partial<ActivityClassification> = {},
): ActivityClassification {
	return {
		purchaseActionIds: choices.purchaseActionIds ?? DEFAULT_PURCHASE_ACTION_IDS,
		systemActionIds: choices.systemActionIds ?? DEFAULT_SYSTEM_ACTION_IDS,
	};
}

export function isMemberActivity(
	entry: ActivityEntry,
	classification: ActivityClassification,
): boolean {
	return entry.actionId === undefined || !classification.systemActionIds.includes(entry.actionId);
}

export function isPurchase(entry: ActivityEntry, classification: ActivityClassification): boolean {
	return entry.actionId !== undefined && classification.purchaseActionIds.includes(entry.actionId);
}

export interface WeekCounts {
	/** Member activities (system lines such as expiry are not counted). */
	activityCount: number;
	purchaseCount: number;
	redemptionCount: number;
	pointsEarned: number;
	pointsUsed: number;
	pointsExpired: number;
	/** Earned minus used and expired. */
	netPoints: number;
}

export interface WeekBucket extends WeekCounts {
	isoWeek: string;
	/** The Monday the week starts on, `yyyy-MM-dd`. */
	weekStart: string;
}

export interface WeeklyActivity {
	/** The week the summary ends with, null when there was nothing to summarise. */
	throughWeek: string | null;
	weeks: WeekBucket[];
	activeWeeks: number;
	/** Whole weeks between the last week with member activity and `throughWeek`; null if none. */
	weeksSinceLastActivity: number | null;
	/** How many weeks in a row, ending with `throughWeek`, had fewer activities than the week before. */
	decliningWeeks: number;
	totals: WeekCounts;
}

export interface WeeklyOptions extends Partial<ActivityClassification> {
	/** The moment the summary describes (default: the newest entry). */
	asOf?: number;
	/**
	 * Whether the (partial) week holding `asOf` is the last week. By default a given `asOf` ends
	 * the summary with the last complete week before it, so a week in progress never reads as a
	 * decline; without `asOf` the newest entry's week is included.
	 */
	includeCurrentWeek?: boolean;
	/** How many weeks to return, ending with the last week; 0 or absent: from the first entry on. */
	weeks?: number;
}

function emptyCounts(): WeekCounts {
	return {
		activityCount: 0,
		purchaseCount: 0,
		redemptionCount: 0,
		pointsEarned: 0,
		pointsUsed: 0,
		pointsExpired: 0,
		netPoints: 0,
	};
}

/**
 * Counts and points per ISO week (UTC), with the empty weeks in between filled in so a rule can
 * look at "the last N weeks" directly (inactivity, declining activity).
 */
export function weeklyActivitySummary(
	lines: PlainObject[],
	options: WeeklyOptions = {},
): WeeklyActivity {
	const classification = activityClassification(options);
	const entries = lines.map(readActivityEntry).filter((entry) => entry.at !== undefined);
	const times = entries.map((entry) => entry.at as number);
	const asOf = options.asOf ?? (times.length ? Math.max(...times) : undefined);
	if (asOf === undefined) {
		return summary(null, []);
	}
	// Without an asOf the newest entry's own week is the one described.
	const includeCurrentWeek = options.includeCurrentWeek ?? options.asOf === undefined;
	const lastWeek = isoWeekOf(includeCurrentWeek ? asOf : isoWeekOf(asOf).weekStartMs - WEEK_MS);
	const weeksWanted = options.weeks && options.weeks > 0 ? Math.floor(options.weeks) : undefined;
	const firstStart =
		weeksWanted !== undefined
			? lastWeek.weekStartMs - (weeksWanted - 1) * WEEK_MS
			: isoWeekOf(Math.min(...times, lastWeek.weekStartMs)).weekStartMs;

	const buckets = new Map<number, WeekBucket>();
	for (let start = firstStart; start <= lastWeek.weekStartMs; start += WEEK_MS) {
		const week = isoWeekOf(start);
		buckets.set(start, { isoWeek: week.isoWeek, weekStart: week.weekStart, ...emptyCounts() });
	}
	for (const entry of entries) {
		const bucket = buckets.get(isoWeekOf(entry.at as number).weekStartMs);
		if (bucket) addToBucket(bucket, entry, classification);
	}
	return summary(lastWeek.isoWeek, [...buckets.values()]);
}

function addToBucket(
	bucket: WeekBucket,
	entry: ActivityEntry,
	classification: ActivityClassification,
): void {
	const system = !isMemberActivity(entry, classification);
	if (system) {
		bucket.pointsExpired += entry.debit || entry.credit;
	} else {
		bucket.activityCount += 1;
		if (isPurchase(entry, classification)) bucket.purchaseCount += 1;
		if (entry.actionId === ACTION_IDS.redemption) bucket.redemptionCount += 1;
		bucket.pointsEarned += entry.credit;
		bucket.pointsUsed += entry.debit;
	}
	bucket.netPoints = bucket.pointsEarned - bucket.pointsUsed - bucket.pointsExpired;
}

function summary(throughWeek: string | null, weeks: WeekBucket[]): WeeklyActivity {
	const totals = emptyCounts();
	for (const week of weeks) {
		totals.activityCount += week.activityCount;
		totals.purchaseCount += week.purchaseCount;
		totals.redemptionCount += week.redemptionCount;
		totals.pointsEarned += week.pointsEarned;
		totals.pointsUsed += week.pointsUsed;
		totals.pointsExpired += week.pointsExpired;
	}
	totals.netPoints = totals.pointsEarned - totals.pointsUsed - totals.pointsExpired;
	let lastActive = -1;
	weeks.forEach((week, index) => {
		if (week.activityCount > 0) lastActive = index;
	});
	let declining = 0;
	for (let index = weeks.length - 1; index > 0; index--) {
		if (weeks[index].activityCount < weeks[index - 1].activityCount) declining++;
		else break;
	}
	return {
		throughWeek,
		weeks,
		activeWeeks: weeks.filter((week) => week.activityCount > 0).length,
		weeksSinceLastActivity: lastActive < 0 ? null : weeks.length - 1 - lastActive,
		decliningWeeks: declining,
		totals,
	};
}
